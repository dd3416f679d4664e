"""Routes the dev server adds to the Unmeshed dialect (``console.mock.app`` includes them).

- ``GET /__mock/workers``: the mock-only view of which workers polled which queues, when, and
  what they hold (``console.mock.workers.view``). Not a server API: it lives outside ``api/``
  and a real Unmeshed server has nothing like it.
- ``POST`` and ``PUT api/processDefinitions``: minimal create and update of one definition
  (API.md's rows), so that a definition written through the API runs with your workers. The
  definitions endpoints of the mock (create, update, delete, bulk upsert) are being built
  separately; when they land, they replace these two and call ``dev_definitions.install``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from console.mock import workers
from console.mock.dev_definitions import install
from console.mock.http import Routes, read_json, store_of
from console.mock.store import BadRequest

routes = Routes()


@routes.get(workers.VIEW_PATH)
async def worker_view(request: Request) -> Response:
    return JSONResponse(workers.view(store_of(request)))


@routes.post("/api/processDefinitions")
@routes.put("/api/processDefinitions")
async def write_definition(request: Request) -> Response:
    """POST creates a definition version (400 if it exists), PUT writes it (creates or replaces)."""
    body = await read_json(request)
    store = store_of(request)
    try:
        if not isinstance(body, dict):
            raise ValueError("the body must be one process definition (a JSON object)")
        key = (body.get("namespace"), body.get("name"), body.get("version") or 1)
        if request.method == "POST" and key in store.infos:
            raise ValueError(f"{key[0]}/{key[1]} version {key[2]} already exists (PUT updates it)")
        return JSONResponse(install(store, body, source="api", where="body"))
    except ValueError as exc:
        raise BadRequest(f"invalid process definition: {exc}") from None
