"""How an HTTP answer becomes data or a typed error: status codes, bodies that are not JSON,
JSON of the wrong shape. Shared by every backend's client."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from console import errors
from console.models import WireModel

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
        try:
            return adapter.validate_json(body)
        except ValidationError as exc:
            if any(e["type"] == "json_invalid" for e in exc.errors()):
                raise
            return validate_leniently(adapter, json.loads(body))  # a field of a wrong type
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


#: Rounds of leaving fields empty before an answer counts as the wrong shape altogether.
_LENIENT_ROUNDS = 5


def validate_leniently(adapter: TypeAdapter, data: Any) -> Any:
    """``adapter.validate_python(data)``, except that a field holding a type its model cannot
    hold (a time as text, a word for a number, an object for a list) is left empty instead of
    failing the whole answer: one odd field must not hide a row, or a page of rows.

    Each row (the answer's model, or each model of a list) names what it lost in ``dropped``:
    wire path without list positions (``created``, ``stepRecords.start``) -> the value sent.
    ``data`` is changed in place. ``ValidationError`` when the answer itself has the wrong shape
    (an object where a list of rows is expected, a row that is not an object)."""
    lost: list[tuple[tuple[Any, ...], Any]] = []
    for _ in range(_LENIENT_ROUNDS):
        try:
            value = adapter.validate_python(data)
        except ValidationError as exc:
            targets: dict[tuple[int, Any], tuple[dict, Any, tuple[Any, ...]]] = {}
            for error in exc.errors():
                found = _field_at(data, error["loc"])
                if found is None:
                    raise
                targets.setdefault((id(found[0]), found[1]), found)
            for holder, key, path in targets.values():
                lost.append((path, holder[key]))
                holder[key] = None
            continue
        for path, sent in lost:
            row = value
            if isinstance(row, list) and path and isinstance(path[0], int) and path[0] < len(row):
                row, path = row[path[0]], path[1:]
            note_dropped(row, ".".join(str(p) for p in path if not isinstance(p, int)), sent)
        return value
    return adapter.validate_python(data)  # still failing: let its error say where


def _field_at(data: Any, loc: tuple[Any, ...]) -> tuple[dict, Any, tuple[Any, ...]] | None:
    """The deepest object field on ``loc`` that holds something (a list item or a union's
    branch name is not a field: the field holding it is): (object, key, path), or None."""
    found = None
    node, path = data, ()
    for part in loc:
        if isinstance(node, dict) and part in node:
            if node[part] is not None:
                found = (node, part, path + (part,))
        elif not (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            break
        path += (part,)
        node = node[part]
    return found


def note_dropped(row: Any, name: str, sent: Any) -> None:
    """Record on ``row`` (a model) that its field ``name`` was left empty, and what was sent."""
    if isinstance(row, WireModel):
        row.note_dropped(name, sent)
