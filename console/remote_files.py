"""The shapes of a server's file store (API.md, "Definitions, files and the official CLI") and
the one rule its answers need: a failure may come in the body (``"error": true`` with an
``errorMessage``) under a 200, and is then an error all the same."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from console import errors
from console.models import WireModel


class FileEntry(WireModel):
    """One file or folder of the store."""

    name: str | None = None
    path: str | None = Field(None, description="absolute, '/' separated: /scripts/job.py")
    folder: bool | None = Field(None, description="a folder (else a file)")
    size: int | None = Field(None, description="bytes (files only)")
    last_modified: int | None = Field(None, description="epoch milliseconds")
    file_extension: str | None = None


class FileListing(WireModel):
    """A folder's entries (``POST api/files/view``)."""

    current_path: str | None = None
    entries: list[FileEntry] | None = None
    #: A failure said in the body of a 200 answer (see ``check_body``).
    error: bool | None = None
    error_message: str | None = None


def check_body(answer: Any, what: str) -> Any:
    """``answer`` unchanged, unless it says in its body that it failed: then ``BadRequest``
    (or ``NotFound`` when the server's words say so) with the server's message."""
    if isinstance(answer, dict) and answer.get("error") is True:
        said = answer.get("errorMessage") or answer.get("message") or "no reason given"
        kind = errors.NotFound if "not found" in str(said).lower() else errors.BadRequest
        raise kind(f"{what} failed", server_message=str(said))
    return answer


def join(folder: str, name: str) -> str:
    """``/a`` + ``b`` -> ``/a/b``; paths in the store are absolute, with ``/`` between parts."""
    return "/" + "/".join(p for p in (folder.strip("/"), name.strip("/")) if p)
