"""The mock's file store: an in-memory tree behind Unmeshed's ``api/files/*`` endpoints (API.md,
"Definitions, files and the official CLI").

Failures answer 200 with ``{"error": true, "errorMessage": ...}`` in the body, as the official
CLI expects of the real server (a client must read the body, not only the status). Paths are
absolute, ``/`` separated; ``/`` always exists. An upload needs its folder to exist
(``uploadFolder`` creates one, and the missing ones above it).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from console.mock.http import Routes, read_json, store_of


class FileProblem(Exception):
    """Answered as a body-level error (200 with ``"error": true``)."""


@dataclass
class FileTree:
    """Folders (a set of paths) and files (path -> bytes, last modified)."""

    folders: set[str] = field(default_factory=lambda: {"/"})
    files: dict[str, tuple[bytes, int]] = field(default_factory=dict)

    @staticmethod
    def clean(path: Any) -> str:
        if not isinstance(path, str) or not path.strip():
            raise FileProblem("a path is required")
        parts = [p for p in path.strip().split("/") if p]
        if any(p in (".", "..") for p in parts):
            raise FileProblem(f"invalid path {path!r}")
        return "/" + "/".join(parts)

    def entry(self, path: str) -> dict[str, Any]:
        pure = PurePosixPath(path)
        folder = path in self.folders
        data, modified = self.files.get(path, (b"", 0))
        return {"name": pure.name, "path": path, "folder": folder,
                "size": None if folder else len(data), "lastModified": modified,
                "fileExtension": None if folder else pure.suffix.lstrip(".") or None}

    def view(self, path: str) -> dict[str, Any]:
        if path not in self.folders:
            raise FileProblem(f"folder {path} not found")
        children = sorted(p for p in self.folders | set(self.files)
                          if p != "/" and str(PurePosixPath(p).parent) == path)
        return {"currentPath": path, "entries": [self.entry(p) for p in children],
                "errorMessage": None, "error": False}

    def make_folder(self, path: str) -> None:
        if path in self.files:
            raise FileProblem(f"{path} is a file")
        for parent in [*reversed(PurePosixPath(path).parents), PurePosixPath(path)]:
            if str(parent) in self.files:
                raise FileProblem(f"{parent} is a file")
            self.folders.add(str(parent))

    def put(self, folder: str, name: str, data: bytes, now: int) -> str:
        if folder not in self.folders:
            raise FileProblem(f"folder {folder} not found (create it first)")
        if not name or "/" in name or name in (".", ".."):
            raise FileProblem(f"invalid file name {name!r}")
        path = self.clean(f"{folder}/{name}")
        if path in self.folders:
            raise FileProblem(f"{path} is a folder")
        self.files[path] = (data, now)
        return path

    def remove(self, path: str) -> None:
        if path == "/":
            raise FileProblem("the root folder cannot be deleted")
        if path in self.files:
            del self.files[path]
            return
        if path not in self.folders:
            raise FileProblem(f"{path} not found")
        inside = path + "/"
        self.folders = {p for p in self.folders if p != path and not p.startswith(inside)}
        self.files = {p: v for p, v in self.files.items() if not p.startswith(inside)}


def tree_of(request: Request) -> FileTree:
    state = request.app.state
    if not hasattr(state, "files"):
        state.files = FileTree()
    return state.files


def said_in_body(handler: Callable[[Request], Awaitable[Response]]
                 ) -> Callable[[Request], Awaitable[Response]]:
    """A handler whose ``FileProblem`` is answered as a body-level error (200, ``"error": true``)."""

    @functools.wraps(handler)
    async def handle(request: Request) -> Response:
        try:
            return await handler(request)
        except FileProblem as exc:
            return JSONResponse({"errorMessage": str(exc), "error": True})

    return handle


async def body_path(request: Request, key: str) -> str:
    body = await read_json(request, {})
    return FileTree.clean(body.get(key) if isinstance(body, dict) else None)


def ok(**values: Any) -> JSONResponse:
    return JSONResponse({**values, "errorMessage": None, "error": False})


def register(routes: Routes) -> None:
    """Add the file routes to the Unmeshed dialect's ``routes``."""

    @routes.post("/api/files/view")
    @said_in_body
    async def view(request: Request) -> Response:
        return JSONResponse(tree_of(request).view(await body_path(request, "path")))

    @routes.post("/api/files/uploadFolder")
    @said_in_body
    async def upload_folder(request: Request) -> Response:
        path = await body_path(request, "folderPath")
        tree_of(request).make_folder(path)
        return ok(folderPath=path)

    @routes.post("/api/files/upload")
    @said_in_body
    async def upload(request: Request) -> Response:
        folder = FileTree.clean(request.query_params.get("folderPath") or "/")
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise FileProblem("multipart field 'file' is required")
        name = request.query_params.get("customFileName") or upload.filename or ""
        path = tree_of(request).put(folder, name, await upload.read(), store_of(request).clock())
        return ok(status="UPLOADED", filePath=path, fileName=name)

    @routes.post("/api/files/download", "/api/files/downloadBase64")
    @said_in_body
    async def download(request: Request) -> Response:
        tree, path = tree_of(request), await body_path(request, "path")
        if path not in tree.files:
            raise FileProblem(f"file {path} not found")
        data = tree.files[path][0]
        if request.url.path.endswith("Base64"):
            return JSONResponse({"fileName": PurePosixPath(path).name, "fileSize": len(data),
                                 "contentBase64": base64.b64encode(data).decode("ascii")})
        return Response(data, media_type="application/octet-stream")

    @routes.delete("/api/files/delete")
    @said_in_body
    async def delete(request: Request) -> Response:
        path = await body_path(request, "path")
        tree_of(request).remove(path)
        return ok(message=f"deleted {path}")
