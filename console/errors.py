"""Typed errors of the client. Each carries one human line (``str(e)``) and never the token."""

from __future__ import annotations

import json
import re
from typing import Any

_TAG = re.compile(r"<[^>]+>")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_NOT_TEXT = re.compile(r"<(head|style|script)[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")


class MeshdeckError(Exception):
    """Base of every error meshdeck reports to a person. ``str(e)`` is one line."""

    exit_code = 1

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None,
                 server_message: str | None = None) -> None:
        self.url = url
        self.status = status
        self.server_message = server_message
        text = message
        if server_message:
            text = f"{message}: {server_message}"
        super().__init__(_SPACE.sub(" ", text).strip())


class Unreachable(MeshdeckError):
    """Connection refused, DNS failure, TLS failure or timeout."""


class Unauthorized(MeshdeckError):
    """401 or 403: wrong client id or token, or not allowed."""


class NotFound(MeshdeckError):
    """404: no such process, step, definition or endpoint."""


class BadRequest(MeshdeckError):
    """400 and other 4xx: the server refused the request as asked."""


class ServerError(MeshdeckError):
    """5xx: the server failed."""


class BadResponse(MeshdeckError):
    """A 2xx answer that is not what the contract promises: HTML, invalid or truncated JSON."""


class OutcomeUnknown(MeshdeckError):
    """A POST whose answer never came: it may or may not have happened. Never retried."""


def server_message(body: bytes | str | None, limit: int = 200) -> str | None:
    """The server's own words from an error body: ``errorMessage``, ``message`` or ``error`` of a
    JSON object, else the first ``limit`` characters of a text (for HTML: the title, then the body's
    text without tags)."""
    if not body:
        return None
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        payload: Any = json.loads(text)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        for key in ("errorMessage", "message", "error"):
            value = payload.get(key)
            if value:
                return _SPACE.sub(" ", str(value)).strip()[:limit]
    title_match = _TITLE.search(text)
    title = _SPACE.sub(" ", title_match.group(1)).strip() if title_match else ""
    stripped = _SPACE.sub(" ", _TAG.sub(" ", _NOT_TEXT.sub(" ", text))).strip()
    if title and not stripped.startswith(title):
        stripped = f"{title} {stripped}".strip()
    return stripped[:limit] or None
