"""Routes the dev server adds to the Unmeshed dialect (``console.mock.app`` includes them).

- ``GET /__mock/workers``: the mock-only view of which workers polled which queues, when, and
  what they hold (``console.mock.workers.view``). Not a server API: it lives outside ``api/``
  and a real Unmeshed server has nothing like it.

Definitions written through the API (``console.mock.definitions_api``) run with your workers too.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from console.mock import workers
from console.mock.http import Routes, store_of

routes = Routes()


@routes.get(workers.VIEW_PATH)
async def worker_view(request: Request) -> Response:
    return JSONResponse(workers.view(store_of(request)))
