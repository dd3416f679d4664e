"""How an HTTP answer becomes data or a typed error: status codes, bodies that are not JSON,
JSON of the wrong shape. Shared by every backend's client."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from console import errors

if TYPE_CHECKING:  # httpx itself is imported by console.client, which trims its import first
    import httpx

_adapters: dict[type, TypeAdapter] = {}


def adapter_for(cls: type) -> TypeAdapter:
    adapter = _adapters.get(cls)
    if adapter is None:
        adapter = _adapters[cls] = TypeAdapter(cls)
    return adapter


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:160]


def raise_for_status(method: str, url: str, response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    said = errors.server_message(response.content)
    label = f"{method} {url} answered {status}"
    if status in (401, 403):
        raise errors.Unauthorized(f"{label} (check the client id and token)", url=url,
                                  status=status, server_message=said)
    if status == 404:
        raise errors.NotFound(f"{label} (not found)", url=url, status=status,
                              server_message=said)
    if status >= 500:
        raise errors.ServerError(label, url=url, status=status, server_message=said)
    raise errors.BadRequest(label, url=url, status=status, server_message=said)


def parse_json(response: httpx.Response, adapter: TypeAdapter | None = None) -> Any:
    """The body as JSON (validated by ``adapter``), or a BadResponse that says what came."""
    url = str(response.url)
    body = response.content
    if not body.strip():
        if adapter is None:
            return None
        raise errors.BadResponse(f"{url} answered {response.status_code} with an empty body",
                                 url=url, status=response.status_code)
    ctype = response.headers.get("content-type", "")
    if "html" in ctype or body.lstrip()[:1] == b"<":
        raise errors.BadResponse(f"{url} answered with HTML, not JSON (a proxy or login page?)",
                                 url=url, status=response.status_code,
                                 server_message=errors.server_message(body))
    try:
        if adapter is None:
            return json.loads(body)
        return adapter.validate_json(body)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise errors.BadResponse(f"{url} sent invalid or truncated JSON", url=url,
                                     status=response.status_code) from None
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the body"
        raise errors.BadResponse(f"{url} sent JSON of an unexpected shape at {where}",
                                 url=url, status=response.status_code,
                                 server_message=first["msg"]) from None
    except ValueError:
        raise errors.BadResponse(f"{url} sent invalid or truncated JSON", url=url,
                                 status=response.status_code) from None
