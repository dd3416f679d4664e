"""The mock Conductor server: Conductor OSS's REST API over the same ``MockStore`` as the Unmeshed mock.

    from console.mock.conductor_app import create_conductor_app
    app = create_conductor_app(seed=7, executions=5000, clock=None, require_auth=None)
    app.state.store       # the MockStore (pass ``store=`` to share one with the Unmeshed mock)

Paths are under ``/api`` (base URL ``http://host:port/api``) as conductor-oss's controllers map
them (``rest/.../controllers/WorkflowResource.java``, ``WorkflowBulkResource.java``,
``MetadataResource.java``, ``TaskResource.java``), each with the method and status code the
controller has (``retry`` and ``restart`` answer 204; a void call 200 with no body; ``rerun`` and
the start calls the workflow id as text). Errors are Conductor's ErrorResponse body with the
status ``ApplicationExceptionMapper`` gives (``console.mock.conductor_ops`` says which).

The workflow routes are here; metadata and task routes in ``console.mock.conductor_meta``;
shapes in ``console.mock.conductor_dialect`` and ``conductor_tasks``; searches in
``conductor_search``. Routes are declared per path and method (no catch-all), and
``Routes.ordered()`` tries literal segments first, so ``GET /workflow/{id}/status`` is never
taken for an action and ``/workflow/search`` never for an id.

Without ``require_auth`` the server is open like Conductor OSS and ``POST /api/token`` answers
404 (the official client then stops asking). With ``require_auth="KEY_ID:SECRET"`` it behaves
like Orkes: ``POST /api/token`` with ``{keyId, keySecret}`` gives ``{token}``, and every other
request needs that token in ``X-Authorization`` (401 otherwise).
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from console.mock import conductor_dialect as cd
from console.mock.conductor_dialect import java_text as _java
from console.mock import conductor_ops as ops
from console.mock import conductor_search
from console.mock.conductor_ids import workflow_id
from console.mock.conductor_tasks import child_workflow
from console.mock.http import HeaderAuth, Routes, build_app, read_json, store_of, to_bool, to_int
from console.mock.store import BadRequest, MockStore, NotFound

#: ErrorResponse.instance: the server's id (``Utils.getServerId()``), not the path.
SERVER_ID = "meshdeck-mock-conductor"


def error(status: int, message: str, path: str = "") -> JSONResponse:
    """Conductor's ErrorResponse body (``common/.../validation/ErrorResponse.java``)."""
    return JSONResponse({"status": status, "message": message, "instance": SERVER_ID,
                         "retryable": False}, status_code=status)


def token_for(require_auth: str) -> str:
    return "mock-jwt." + hashlib.sha256(require_auth.encode()).hexdigest()[:32]


def _unauthorized(message: str) -> JSONResponse:
    """Orkes' 401 body for a missing or wrong ``X-Authorization`` token."""
    return JSONResponse({"status": 401, "message": message, "error": "INVALID_TOKEN"}, status_code=401)


def flag(request: Request, name: str, default: bool) -> bool:
    value = request.query_params.get(name)
    return default if value is None else to_bool(value, name)


def done(status: int = 200) -> Response:
    """A void controller method's answer: no body."""
    return Response(status_code=status)


routes = Routes()


# --------------------------------------------------------------------------- reading
@routes.get("/api/workflow/search")
async def search_route(request: Request) -> Response:
    return JSONResponse(conductor_search.search(store_of(request), request.query_params))


@routes.get("/api/workflow/search-v2")
async def search_v2_route(request: Request) -> Response:
    return JSONResponse(conductor_search.search_v2(store_of(request), request.query_params))


def _workflow(store: MockStore, wid: str, include_tasks: bool) -> dict[str, Any]:
    p, child = ops.lookup(store, wid)
    store.tick()
    if child is None:
        return cd.workflow(store, p, include_tasks)
    wf = child_workflow(store, p, child) or {}
    return wf if include_tasks else {**wf, "tasks": []}


@routes.get("/api/workflow/{wid}")
async def get_workflow(request: Request) -> Response:
    include = flag(request, "includeTasks", True)
    return JSONResponse(_workflow(store_of(request), request.path_params["wid"], include))


@routes.get("/api/workflow/{wid}/status")
async def get_status(request: Request) -> Response:
    wf = _workflow(store_of(request), request.path_params["wid"], False)
    return JSONResponse(cd.status_of(wf, flag(request, "includeOutput", False),
                                     flag(request, "includeVariables", False)))


@routes.get("/api/workflow/{wid}/tasks")
async def get_tasks(request: Request) -> Response:
    q = request.query_params
    tasks = _workflow(store_of(request), request.path_params["wid"], True)["tasks"]
    wanted = {s.strip().upper() for s in q.getlist("status") for s in s.split(",") if s.strip()}
    if wanted:
        tasks = [t for t in tasks if t["status"] in wanted]
    start, count = to_int(q.get("start"), "start", 0), to_int(q.get("count"), "count", 15)
    return JSONResponse({"totalHits": len(tasks), "results": tasks[min(start, len(tasks)):start + count]})


@routes.get("/api/workflow/{name}/correlated/{cid}")
async def correlated(request: Request) -> Response:
    return JSONResponse(conductor_search.correlated(
        store_of(request), request.path_params["name"], request.path_params["cid"],
        flag(request, "includeClosed", False), flag(request, "includeTasks", False)))


@routes.post("/api/workflow/{name}/correlated")
async def correlated_many(request: Request) -> Response:
    ids = await read_json(request)
    if not isinstance(ids, list):
        raise BadRequest("body must be a JSON list of correlation ids")
    store, name = store_of(request), request.path_params["name"]
    closed, tasks = flag(request, "includeClosed", False), flag(request, "includeTasks", False)
    return JSONResponse({str(c): conductor_search.correlated(store, name, str(c), closed, tasks)
                         for c in ids})


@routes.get("/api/workflow/running/{name}")
async def running(request: Request) -> Response:
    q = request.query_params
    return JSONResponse(conductor_search.running(
        store_of(request), request.path_params["name"], to_int(q.get("version"), "version", 1),
        to_int(q.get("startTime"), "startTime", None), to_int(q.get("endTime"), "endTime", None)))


# --------------------------------------------------------------------------- starting
def _start(store: MockStore, name: str, version: Any, inp: Any, correlation: str | None,
           sync: bool, who: str) -> dict[str, Any]:
    namespace = next((ns for ns, n in store.definitions if n == name), None)
    if namespace is None:
        raise NotFound(f"No such workflow found by name: {name}, version: {_java(version)}")
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
    return PlainTextResponse(workflow_id(p["processId"]))


@routes.post("/api/workflow")
async def start_request(request: Request) -> Response:
    body = await read_json(request, {})
    if not isinstance(body, dict) or not body.get("name"):
        raise BadRequest("body must be a StartWorkflowRequest with a name")
    p = _start(store_of(request), body["name"], body.get("version"), body.get("input"),
               body.get("correlationId"), False, body.get("createdBy") or "conductor-client")
    return PlainTextResponse(workflow_id(p["processId"]))


@routes.post("/api/workflow/execute/{name}/{version}")
async def execute(request: Request) -> Response:
    body = await read_json(request, {})
    if not isinstance(body, dict):
        raise BadRequest("body must be a StartWorkflowRequest")
    store = store_of(request)
    version = to_int(request.path_params["version"], "version", None) or None
    p = _start(store, request.path_params["name"], version, body.get("input"),
               body.get("correlationId"), True, body.get("createdBy") or "conductor-client")
    wf = cd.workflow(store, p, True)
    run = {k: wf[k] for k in ("workflowId", "correlationId", "createTime", "updateTime", "input",
                              "output", "priority", "status", "tasks", "variables", "createdBy")
           if k in wf}
    run["requestId"] = request.query_params.get("requestId")
    return JSONResponse(cd.non_null(run))


# --------------------------------------------------------------------------- acting on one
def _act(http: Request, action: str, **kw: Any) -> str:
    return ops.act(store_of(http), action, http.path_params["wid"], **kw)


@routes.put("/api/workflow/{wid}/pause")
async def pause(request: Request) -> Response:
    _act(request, "pause")
    return done()


@routes.put("/api/workflow/{wid}/resume")
async def resume(request: Request) -> Response:
    _act(request, "resume")
    return done()


@routes.delete("/api/workflow/{wid}")
async def terminate(request: Request) -> Response:
    _act(request, "terminate", reason=request.query_params.get("reason"))
    return done()


@routes.post("/api/workflow/{wid}/retry")
async def retry(request: Request) -> Response:
    _act(request, "retry")
    return done(204)


@routes.post("/api/workflow/{wid}/restart")
async def restart(request: Request) -> Response:
    _act(request, "restart", use_latest=flag(request, "useLatestDefinitions", False))
    return done(204)


@routes.post("/api/workflow/{wid}/rerun")
async def rerun(request: Request) -> Response:
    body = await read_json(request, {})
    if not isinstance(body, dict):
        raise BadRequest("body must be a RerunWorkflowRequest")
    return PlainTextResponse(_act(request, "rerun", request=body))


@routes.put("/api/workflow/{wid}/skiptask/{ref}")
async def skip_task(request: Request) -> Response:
    """The OSS controller binds SkipTaskRequest from the query (the official Python client
    sends it there as text it cannot bind); a JSON body, as Orkes takes it, is read too."""
    body = await read_json(request, {})
    _act(request, "skip", ref=request.path_params["ref"], request=body if isinstance(body, dict) else {})
    return done()


@routes.delete("/api/workflow/{wid}/remove")
async def remove(request: Request) -> Response:
    _act(request, "remove", archive=flag(request, "archiveWorkflow", True))
    return done()


# --------------------------------------------------------------------------- bulk
async def _bulk(request: Request, action: str, **kw: Any) -> Response:
    ids = await read_json(request)
    return JSONResponse(ops.bulk(store_of(request), action, ids, **kw))


@routes.put("/api/workflow/bulk/pause")
async def bulk_pause(request: Request) -> Response:
    return await _bulk(request, "pause")


@routes.put("/api/workflow/bulk/resume")
async def bulk_resume(request: Request) -> Response:
    return await _bulk(request, "resume")


@routes.post("/api/workflow/bulk/retry")
async def bulk_retry(request: Request) -> Response:
    return await _bulk(request, "retry")


@routes.post("/api/workflow/bulk/restart")
async def bulk_restart(request: Request) -> Response:
    return await _bulk(request, "restart", use_latest=flag(request, "useLatestDefinitions", False))


@routes.post("/api/workflow/bulk/terminate")
async def bulk_terminate(request: Request) -> Response:
    return await _bulk(request, "terminate", reason=request.query_params.get("reason"))


@routes.delete("/api/workflow/bulk/remove")
async def bulk_remove(request: Request) -> Response:
    return await _bulk(request, "remove", archive=flag(request, "archiveWorkflow", True))


# --------------------------------------------------------------------------- auth
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
    from console.mock import conductor_meta

    auth = None
    if require_auth:
        auth = HeaderAuth("X-Authorization", token_for(require_auth), invalid="invalid token",
                          reject=_unauthorized, open_paths=("/api/token",))
    return build_app(routes.merged(conductor_meta.routes), error, dialect="conductor",
                     require_auth=require_auth, auth=auth,
                     store=store or MockStore(seed=seed, executions=executions, clock=clock),
                     faults=faults, errors={ops.Conflict: 409, ops.IllegalState: 500})
