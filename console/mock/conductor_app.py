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

Search (``GET /api/workflow/search``): ``start``, ``size``, ``freeText`` (``*`` = anything, else a
substring of names, ids, input and output) and ``query``: clauses joined by ``AND``, each
``FIELD IN (a,b)``, ``FIELD = a`` or ``FIELD > n`` / ``<`` / ``>=`` / ``<=``, on workflowType,
status, correlationId, workflowId, version and startTime (epoch ms). Values may be quoted.
Answers ``{totalHits, results}`` newest first, with exact ``totalHits``.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from console.mock import conductor_dialect as cd
from console.mock.seed import BASE_PROCESS_ID
from console.mock.store import BadRequest, MockStore, NotFound

_CLAUSE = re.compile(r"^\s*(\w+)\s*(IN|=|>=|<=|>|<)\s*(.+?)\s*$", re.IGNORECASE)
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)
FIELDS = ("workflowType", "status", "correlationId", "workflowId", "version", "startTime")


def error(status: int, message: str, path: str = "") -> JSONResponse:
    """Conductor's error body."""
    return JSONResponse({"status": status, "message": message, "instance": path,
                         "retryable": False}, status_code=status)


def token_for(require_auth: str) -> str:
    return "mock-jwt." + hashlib.sha256(require_auth.encode()).hexdigest()[:32]


class TokenAuth:
    """Orkes-style auth: ``X-Authorization`` must carry the token ``POST /api/token`` gave."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/") != "/api/token":
            got = dict(scope.get("headers") or []).get(b"x-authorization")
            if got != self.token:
                said = "missing X-Authorization header" if got is None else "invalid token"
                body = {"status": 401, "message": said, "error": "INVALID_TOKEN"}
                await JSONResponse(body, status_code=401)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _store(request: Request) -> MockStore:
    return request.app.state.store


async def _body(request: Request, default: Any = None) -> Any:
    raw = await request.body()
    if not raw.strip():
        return default
    try:
        return json.loads(raw)
    except ValueError:
        raise BadRequest("request body is not valid JSON") from None


def _int(value: str | None, name: str, default: int | None = None) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(value)  # type: ignore[arg-type]
    except ValueError:
        raise BadRequest(f"{name} must be an integer, got {value!r}") from None


def _values(text: str) -> list[str]:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^,\s][^,]*)', text[1:-1])
        return [(a.replace('\\"', '"') if a else b or c.strip()) for a, b, c in parts]
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return [text[1:-1]]
    return [text]


def parse_query(query: str) -> list[tuple[str, str, list[str]]]:
    """``workflowType IN (a,b) AND startTime > 5`` -> [(field, op, values)]; 400 on anything else."""
    clauses = []
    for part in _AND.split(query.strip()) if query.strip() else []:
        m = _CLAUSE.match(part)
        if not m or m.group(1) not in FIELDS:
            raise BadRequest(f"cannot read query clause {part!r} (fields: {', '.join(FIELDS)})")
        op = m.group(2).upper()
        values = _values(m.group(3))
        if op in (">", "<", ">=", "<=") and (m.group(1) not in ("startTime", "version")
                                             or not values[0].lstrip("-").isdigit()):
            raise BadRequest(f"{m.group(1)} {op} needs a number, got {m.group(3)!r}")
        clauses.append((m.group(1), op, values))
    return clauses


def search(store: MockStore, params: Any) -> dict[str, Any]:
    now = store.tick()
    start = _int(params.get("start"), "start", 0)
    size = _int(params.get("size"), "size", 100)
    if start < 0 or size < 0:
        raise BadRequest("start and size must not be negative")
    clauses = parse_query(params.get("query") or "")
    lo_ms, hi_ms = None, None
    checks: list[Callable[[dict[str, Any]], bool]] = []
    index: set[int] | None = None
    for fld, op, values in clauses:
        if fld == "startTime":
            n = int(values[0])
            if op in (">", ">="):
                lo_ms = max(lo_ms or n, n + (op == ">"))
            else:
                hi_ms = min(hi_ms if hi_ms is not None else n, n - (op == "<"))
            continue
        wanted = set(values)
        if fld == "status":
            wanted = {v.upper() for v in wanted}
            hits = set().union(*(store.by_status.get(s, set()) for s in cd.store_statuses(wanted)))
            checks.append(lambda p, w=wanted: cd.workflow_status(p) in w)
        elif fld == "workflowType":
            hits = set().union(*(store.by_name.get(v, set()) for v in wanted))
        elif fld == "correlationId":
            hits = set().union(*(store.by_correlation.get(v, set()) for v in wanted))
        elif fld == "workflowId":
            hits = {pid for pid in map(cd.parse_workflow_id, wanted) if pid is not None}
        else:  # version
            checks.append(lambda p, w=wanted: str(p["version"]) in w)
            continue
        index = hits if index is None else index & hits
    text = (params.get("freeText") or "*").strip().lower()
    if text not in ("", "*"):
        checks.append(lambda p: text in p["_text"])
    created = store.created
    lo = bisect_left(created, lo_ms) if lo_ms is not None else 0
    hi = bisect_right(created, hi_ms) if hi_ms is not None else len(created)
    first, last = BASE_PROCESS_ID + lo, BASE_PROCESS_ID + hi
    order = (sorted((i for i in index if first <= i < last), reverse=True) if index is not None
             else range(last - 1, first - 1, -1))
    total, page = 0, []
    for pid in order:
        p = store.processes.get(pid)
        if p is None or not all(check(p) for check in checks):
            continue
        if start <= total < start + size:
            page.append(p)
        total += 1
    del now
    return {"totalHits": total, "results": [cd.summary(store, p) for p in page]}


# --------------------------------------------------------------------------- routes
async def search_route(request: Request) -> Response:
    return JSONResponse(search(_store(request), request.query_params))


async def get_workflow(request: Request) -> Response:
    store = _store(request)
    store.tick()
    p = cd._get(store, request.path_params["wid"])
    include = (request.query_params.get("includeTasks") or "true").lower() != "false"
    return JSONResponse(cd.workflow(store, p, include))


async def get_task(request: Request) -> Response:
    store = _store(request)
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


async def start_by_name(request: Request) -> Response:
    q = request.query_params
    p = _start(_store(request), request.path_params["name"], _int(q.get("version"), "version"),
               await _body(request, {}), q.get("correlationId"), False, "conductor-client")
    return PlainTextResponse(cd.workflow_id(p["processId"]))


async def start_request(request: Request) -> Response:
    body = await _body(request, {})
    if not isinstance(body, dict) or not body.get("name"):
        raise BadRequest("body must be a StartWorkflowRequest with a name")
    p = _start(_store(request), body["name"], body.get("version"), body.get("input"),
               body.get("correlationId"), False, body.get("createdBy") or "conductor-client")
    return PlainTextResponse(cd.workflow_id(p["processId"]))


async def execute(request: Request) -> Response:
    body = await _body(request, {})
    if not isinstance(body, dict):
        raise BadRequest("body must be a StartWorkflowRequest")
    store = _store(request)
    version = _int(request.path_params["version"], "version")
    p = _start(store, request.path_params["name"], version, body.get("input"),
               body.get("correlationId"), True, body.get("createdBy") or "conductor-client")
    wf = cd.workflow(store, p, True)
    run = {k: wf[k] for k in ("workflowId", "correlationId", "createTime", "updateTime", "input",
                              "output", "priority", "status", "tasks", "variables", "createdBy")}
    run["requestId"] = request.query_params.get("requestId")
    return JSONResponse(run)


def _check_method(request: Request, table: dict[str, str], action: str) -> None:
    """Each action answers to the one method Conductor uses for it, so a client bug shows."""
    want = table.get(action)
    if want is None:
        raise NotFound(f"no such action {action!r}: {request.method} {request.url.path}")
    if request.method != want:
        raise HTTPException(405, f"use {want}, not {request.method}")


async def single_action(request: Request) -> Response:
    store = _store(request)
    wid = request.path_params["wid"]
    path = request.url.path.rstrip("/")
    if request.method == "DELETE":
        cd.act(store, "terminate", wid, reason=request.query_params.get("reason"))
        return Response(status_code=200)
    action = path.rsplit("/", 1)[-1]
    _check_method(request, _ACTIONS, action)
    if action == "rerun":
        body = await _body(request, {})
        return PlainTextResponse(cd.act(store, "rerun", wid, rerun=body if isinstance(body, dict) else {}))
    cd.act(store, action, wid)
    return Response(status_code=200)


async def bulk_route(request: Request) -> Response:
    action = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    _check_method(request, _BULK, action)
    ids = await _body(request)
    return JSONResponse(cd.bulk(_store(request), action, ids, request.query_params.get("reason")))


async def list_definitions(request: Request) -> Response:
    store = _store(request)
    return JSONResponse([cd.definition(store, d) for d in store.list_definitions()])


async def get_definition(request: Request) -> Response:
    store = _store(request)
    name = request.path_params["name"]
    namespace = next((ns for ns, n in store.definitions if n == name), None)
    if namespace is None:
        raise NotFound(f"No such workflow found by name: {name}")
    version = _int(request.query_params.get("version"), "version")
    return JSONResponse(cd.definition(store, store.definition(namespace, name, version)))


async def token(request: Request) -> Response:
    expected = request.app.state.require_auth
    if not expected:
        return error(404, "authentication is not enabled on this server", request.url.path)
    body = await _body(request, {})
    key_id, _, secret = expected.partition(":")
    if not isinstance(body, dict) or body.get("keyId") != key_id or body.get("keySecret") != secret:
        return error(401, "invalid key id or secret", request.url.path)
    return JSONResponse({"token": token_for(expected)})


def _handler(status: int) -> Callable:
    async def handle(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return error(exc.status_code, f"{exc.detail}: {request.method} {request.url.path}",
                         request.url.path)
        return error(status, str(exc), request.url.path)
    return handle


ROUTES = [
    Route("/api/token", token, methods=["POST"]),
    Route("/api/workflow/search", search_route, methods=["GET"]),
    Route("/api/workflow/bulk/{action:str}", bulk_route, methods=["PUT", "POST"]),
    Route("/api/workflow/execute/{name}/{version}", execute, methods=["POST"]),
    Route("/api/workflow", start_request, methods=["POST"]),
    Route("/api/workflow/{wid}/{action:str}", single_action, methods=["PUT", "POST"]),
    Route("/api/workflow/{wid}", get_workflow, methods=["GET"]),
    Route("/api/workflow/{wid}", single_action, methods=["DELETE"]),
    Route("/api/workflow/{name}", start_by_name, methods=["POST"]),
    Route("/api/tasks/{tid}", get_task, methods=["GET"]),
    Route("/api/metadata/workflow", list_definitions, methods=["GET"]),
    Route("/api/metadata/workflow/{name}", get_definition, methods=["GET"]),
]
_ACTIONS = {"pause": "PUT", "resume": "PUT", "retry": "POST", "restart": "POST", "rerun": "POST"}
_BULK = {"pause": "PUT", "resume": "PUT", "retry": "POST", "restart": "POST", "terminate": "POST"}


def create_conductor_app(seed: int = 7, executions: int = 5000, clock: Callable[[], int] | None = None,
                         require_auth: str | None = None, faults: Any = None,
                         store: MockStore | None = None) -> Starlette:
    """Build the Conductor-dialect mock; ``store`` shares an existing MockStore (else a new one)."""
    app = Starlette(routes=ROUTES, exception_handlers={
        NotFound: _handler(404), BadRequest: _handler(400), cd.Conflict: _handler(409),
        HTTPException: _handler(400)})
    app.state.store = store or MockStore(seed=seed, executions=executions, clock=clock)
    app.state.require_auth = require_auth
    app.state.dialect = "conductor"
    if require_auth:
        app.add_middleware(TokenAuth, token=token_for(require_auth))
    app.state.faults = None
    if faults:
        from console.mock.faults import FaultMiddleware, FaultPlan

        plan = FaultPlan.parse(faults) if isinstance(faults, str) else faults
        app.add_middleware(FaultMiddleware, plan=plan)
        app.state.faults = plan
    return app
