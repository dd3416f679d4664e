"""The mock Conductor server: Conductor's (and Orkes') REST dialect over the same ``MockStore``.

    from console.mock.conductor_app import create_conductor_app
    app = create_conductor_app(seed=7, executions=5000, clock=None, require_auth=None)
    app.state.store       # the MockStore (pass ``store=`` to share one with the Unmeshed mock)

Paths are under ``/api`` (base URL ``http://host:port/api``), as the official ``conductor-python``
client calls them; shapes and semantics are in ``console.mock.conductor_dialect``. Without
``require_auth`` the server is open like Conductor OSS and ``POST /api/token`` answers 404 (the
official client then stops asking). With ``require_auth="KEY_ID:SECRET"`` it behaves like Orkes:
``POST /api/token`` with ``{keyId, keySecret}`` gives ``{token}``, and every other request needs
that token in ``X-Authorization`` (401 otherwise).

Search (``GET /api/workflow/search``) is ``console.mock.conductor_search``; the HTTP plumbing
(request parsing, error answers, auth, faults) is ``console.mock.http``, shared with the Unmeshed
dialect.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from console.mock import conductor_dialect as cd
from console.mock.conductor_search import search
from console.mock.http import HeaderAuth, Routes, build_app, read_json, store_of, to_int
from console.mock.store import BadRequest, MockStore, NotFound


def error(status: int, message: str, path: str = "") -> JSONResponse:
    """Conductor's error body."""
    return JSONResponse({"status": status, "message": message, "instance": path,
                         "retryable": False}, status_code=status)


def token_for(require_auth: str) -> str:
    return "mock-jwt." + hashlib.sha256(require_auth.encode()).hexdigest()[:32]


def _unauthorized(message: str) -> JSONResponse:
    """Orkes' 401 body for a missing or wrong ``X-Authorization`` token."""
    return JSONResponse({"status": 401, "message": message, "error": "INVALID_TOKEN"}, status_code=401)


# --------------------------------------------------------------------------- routes
#: Conductor's routes; ``Routes.ordered()`` puts ``/workflow/search`` and ``/workflow/bulk/..`` before
#: ``/workflow/{wid}...``, so no route swallows another.
routes = Routes()


@routes.get("/api/workflow/search")
async def search_route(request: Request) -> Response:
    return JSONResponse(search(store_of(request), request.query_params))


@routes.get("/api/workflow/{wid}")
async def get_workflow(request: Request) -> Response:
    store = store_of(request)
    store.tick()
    p = cd._get(store, request.path_params["wid"])
    include = (request.query_params.get("includeTasks") or "true").lower() != "false"
    return JSONResponse(cd.workflow(store, p, include))


@routes.get("/api/tasks/{tid}")
async def get_task(request: Request) -> Response:
    store = store_of(request)
    found = cd.parse_task_id(request.path_params["tid"])
    p = store.processes.get(found[0]) if found else None
    task = None
    if p is not None:
        data = store.get_process(p["processId"], include_steps=True) or {}
        task = next((t for t in cd.tasks(store, p, data.get("stepRecords") or [])
                     if t["taskId"] == request.path_params["tid"].lower()), None)
    if task is None:
        raise NotFound(f"No such task found by id: {request.path_params['tid']}")
    return JSONResponse(task)


def _start(store: MockStore, name: str, version: Any, inp: Any, correlation: str | None,
           sync: bool, who: str) -> dict[str, Any]:
    namespace = next((ns for ns, n in store.definitions if n == name), None)
    if namespace is None:
        raise NotFound(f"No such workflow defined. name={name}, version={version}")
    if inp is not None and not isinstance(inp, dict):
        raise BadRequest("input must be a JSON object")
    return store.start(namespace, name, version, inp or {}, None, correlation, sync=sync,
                       trigger="API", created_by=who)


@routes.post("/api/workflow/{name}")
async def start_by_name(request: Request) -> Response:
    q = request.query_params
    version = to_int(q.get("version"), "version", None)
    p = _start(store_of(request), request.path_params["name"], version, await read_json(request, {}),
               q.get("correlationId"), False, "conductor-client")
    return PlainTextResponse(cd.workflow_id(p["processId"]))


@routes.post("/api/workflow")
async def start_request(request: Request) -> Response:
    body = await read_json(request, {})
    if not isinstance(body, dict) or not body.get("name"):
        raise BadRequest("body must be a StartWorkflowRequest with a name")
    p = _start(store_of(request), body["name"], body.get("version"), body.get("input"),
               body.get("correlationId"), False, body.get("createdBy") or "conductor-client")
    return PlainTextResponse(cd.workflow_id(p["processId"]))


@routes.post("/api/workflow/execute/{name}/{version}")
async def execute(request: Request) -> Response:
    body = await read_json(request, {})
    if not isinstance(body, dict):
        raise BadRequest("body must be a StartWorkflowRequest")
    store = store_of(request)
    version = to_int(request.path_params["version"], "version", None)
    p = _start(store, request.path_params["name"], version, body.get("input"),
               body.get("correlationId"), True, body.get("createdBy") or "conductor-client")
    wf = cd.workflow(store, p, True)
    run = {k: wf[k] for k in ("workflowId", "correlationId", "createTime", "updateTime", "input",
                              "output", "priority", "status", "tasks", "variables", "createdBy")}
    run["requestId"] = request.query_params.get("requestId")
    return JSONResponse(run)


_ACTIONS = {"pause": "PUT", "resume": "PUT", "retry": "POST", "restart": "POST", "rerun": "POST"}
_BULK = {"pause": "PUT", "resume": "PUT", "retry": "POST", "restart": "POST", "terminate": "POST"}


def _check_method(request: Request, table: dict[str, str], action: str) -> None:
    """Each action answers to the one method Conductor uses for it, so a client bug shows."""
    want = table.get(action)
    if want is None:
        raise NotFound(f"no such action {action!r}: {request.method} {request.url.path}")
    if request.method != want:
        raise HTTPException(405, f"use {want}, not {request.method}")


@routes.put("/api/workflow/{wid}/{action:str}")
@routes.post("/api/workflow/{wid}/{action:str}")
@routes.delete("/api/workflow/{wid}")
async def single_action(request: Request) -> Response:
    store = store_of(request)
    wid = request.path_params["wid"]
    path = request.url.path.rstrip("/")
    if request.method == "DELETE":
        cd.act(store, "terminate", wid, reason=request.query_params.get("reason"))
        return Response(status_code=200)
    action = path.rsplit("/", 1)[-1]
    _check_method(request, _ACTIONS, action)
    if action == "rerun":
        body = await read_json(request, {})
        return PlainTextResponse(cd.act(store, "rerun", wid, rerun=body if isinstance(body, dict) else {}))
    cd.act(store, action, wid)
    return Response(status_code=200)


@routes.put("/api/workflow/bulk/{action:str}")
@routes.post("/api/workflow/bulk/{action:str}")
async def bulk_route(request: Request) -> Response:
    action = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    _check_method(request, _BULK, action)
    ids = await read_json(request)
    return JSONResponse(cd.bulk(store_of(request), action, ids, request.query_params.get("reason")))


@routes.get("/api/metadata/workflow")
async def list_definitions(request: Request) -> Response:
    store = store_of(request)
    return JSONResponse([cd.definition(store, d) for d in store.list_definitions()])


@routes.get("/api/metadata/workflow/{name}")
async def get_definition(request: Request) -> Response:
    store = store_of(request)
    name = request.path_params["name"]
    namespace = next((ns for ns, n in store.definitions if n == name), None)
    if namespace is None:
        raise NotFound(f"No such workflow found by name: {name}")
    version = to_int(request.query_params.get("version"), "version", None)
    return JSONResponse(cd.definition(store, store.definition(namespace, name, version)))


@routes.post("/api/token")
async def token(request: Request) -> Response:
    expected = request.app.state.require_auth
    if not expected:
        return error(404, "authentication is not enabled on this server", request.url.path)
    body = await read_json(request, {})
    key_id, _, secret = expected.partition(":")
    if not isinstance(body, dict) or body.get("keyId") != key_id or body.get("keySecret") != secret:
        return error(401, "invalid key id or secret", request.url.path)
    return JSONResponse({"token": token_for(expected)})


def create_conductor_app(seed: int = 7, executions: int = 5000, clock: Callable[[], int] | None = None,
                         require_auth: str | None = None, faults: Any = None,
                         store: MockStore | None = None) -> Starlette:
    """Build the Conductor-dialect mock; ``store`` shares an existing MockStore (else a new one)."""
    auth = None
    if require_auth:
        auth = HeaderAuth("X-Authorization", token_for(require_auth), invalid="invalid token",
                          reject=_unauthorized, open_paths=("/api/token",))
    return build_app(routes, error, dialect="conductor", require_auth=require_auth, auth=auth,
                     store=store or MockStore(seed=seed, executions=executions, clock=clock),
                     faults=faults, errors={cd.Conflict: 409})
