"""The mock's file store: an in-memory tree behind Unmeshed's ``api/files/*`` endpoints (API.md,
"Definitions, files and the official CLI").

Failures answer 200 with ``{"error": true, "errorMessage": ...}`` in the body, as the official
CLI expects of the real server (a client must read the body, not only the status). Paths are
absolute, ``/`` separated; ``/`` always exists. An upload needs its folder to exist
(``uploadFolder`` creates one, and the missing ones above it).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from console.mock.http import Routes, read_json


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


def failed(message: str) -> JSONResponse:
    return JSONResponse({"errorMessage": message, "error": True})


def register(routes: Routes) -> None:
    """Add the file routes to the Unmeshed dialect's ``routes``."""

    async def body_path(request: Request, key: str) -> str:
        body = await read_json(request, {})
        return FileTree.clean(body.get(key) if isinstance(body, dict) else None)

    @routes.post("/api/files/view")
    async def view(request: Request) -> Response:
        try:
            return JSONResponse(tree_of(request).view(await body_path(request, "path")))
        except FileProblem as exc:
            return failed(str(exc))

    @routes.post("/api/files/uploadFolder")
    async def upload_folder(request: Request) -> Response:
        try:
            path = await body_path(request, "folderPath")
            tree_of(request).make_folder(path)
        except FileProblem as exc:
            return failed(str(exc))
        return JSONResponse({"folderPath": path, "errorMessage": None, "error": False})

    @routes.post("/api/files/upload")
    async def upload(request: Request) -> Response:
        from console.mock.http import store_of

        try:
            folder = FileTree.clean(request.query_params.get("folderPath") or "/")
            form = await request.form()
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise FileProblem("multipart field 'file' is required")
            name = request.query_params.get("customFileName") or upload.filename or ""
            data = await upload.read()
            path = tree_of(request).put(folder, name, data, store_of(request).clock())
        except FileProblem as exc:
            return failed(str(exc))
        return JSONResponse({"status": "UPLOADED", "filePath": path, "fileName": name,
                             "errorMessage": None, "error": False})

    @routes.post("/api/files/download", "/api/files/downloadBase64")
    async def download(request: Request) -> Response:
        tree = tree_of(request)
        try:
            path = await body_path(request, "path")
            if path not in tree.files:
                raise FileProblem(f"file {path} not found")
        except FileProblem as exc:
            return failed(str(exc))
        data = tree.files[path][0]
        if request.url.path.endswith("Base64"):
            return JSONResponse({"fileName": PurePosixPath(path).name, "fileSize": len(data),
                                 "contentBase64": base64.b64encode(data).decode("ascii")})
        return Response(data, media_type="application/octet-stream")

    @routes.delete("/api/files/delete")
    async def delete(request: Request) -> Response:
        try:
            path = await body_path(request, "path")
            tree_of(request).remove(path)
        except FileProblem as exc:
            return failed(str(exc))
        return JSONResponse({"message": f"deleted {path}", "errorMessage": None, "error": False})
