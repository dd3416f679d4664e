"""Unmeshed's file store, as functions of the one ``HttpTransport`` (API.md, "Definitions, files
and the official CLI"). Every answer is checked for a failure said in its body (``"error":
true``), which is an error even under a 200 (``console.remote_files.check_body``)."""

from __future__ import annotations

import base64
from typing import Any

from console import errors
from console.backends.http import HttpTransport
from console.backends.responses import parse_json
from console.remote_files import FileEntry, FileListing, check_body, join


async def _answer(http: HttpTransport, what: str, method: str, path: str, **kwargs: Any) -> Any:
    response = await http.request(method, path, **kwargs)
    return check_body(parse_json(response) if response.content.strip() else {}, what)


async def list_folder(http: HttpTransport, path: str) -> FileListing:
    answer = await _answer(http, f"listing {path}", "POST", "api/files/view",
                           json_body={"path": path}, idempotent=True)
    if not isinstance(answer, dict):
        raise errors.BadResponse(f"{http.url('api/files/view')} did not answer a folder listing")
    return FileListing.model_validate(answer)


async def upload(http: HttpTransport, folder: str, name: str, data: bytes) -> FileEntry:
    answer = await _answer(http, f"uploading {join(folder, name)}", "POST", "api/files/upload",
                           params={"folderPath": folder or "/", "customFileName": name},
                           files={"file": (name, data, "application/octet-stream")})
    answer = answer if isinstance(answer, dict) else {}
    return FileEntry(name=answer.get("fileName") or name,
                     path=answer.get("filePath") or join(folder, name), folder=False,
                     size=len(data))


async def create_folder(http: HttpTransport, path: str) -> None:
    await _answer(http, f"creating folder {path}", "POST", "api/files/uploadFolder",
                  json_body={"folderPath": path})


async def download(http: HttpTransport, path: str) -> bytes:
    """The raw bytes; a JSON body that says ``"error": true`` is an error, and the base64 form
    (``contentBase64``) is decoded."""
    response = await http.request("POST", "api/files/download", json_body={"path": path},
                                  idempotent=True)
    if "json" in response.headers.get("content-type", ""):
        answer = check_body(parse_json(response), f"downloading {path}")
        if isinstance(answer, dict) and isinstance(answer.get("contentBase64"), str):
            return base64.b64decode(answer["contentBase64"])
    return response.content


async def delete(http: HttpTransport, path: str) -> None:
    await _answer(http, f"deleting {path}", "DELETE", "api/files/delete", json_body={"path": path})
