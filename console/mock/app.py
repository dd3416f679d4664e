"""The mock Unmeshed server: a Starlette app serving every endpoint of ``shared/API.md``.

    from console.mock.app import create_app
    app = create_app(seed=7, executions=5000, clock=None, require_auth=None)
    app.state.store  # the MockStore

Errors answer ``{"errorMessage": ...}``: 404 for an unknown id, definition or endpoint, 400 for a
bad parameter or body, 401 when ``require_auth="CLIENT_ID:TOKEN"`` is set and the request lacks
``Authorization: Bearer client.sdk.{CLIENT_ID}.{sha256_hex(TOKEN)}``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from console.mock.catalog import API_MAPPINGS
from console.mock.search import search
from console.mock.store import BadRequest, MockStore, NotFound

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"errorMessage": message}, status_code=status)


def expected_bearer(require_auth: str) -> str:
    client_id, _, token = require_auth.partition(":")
    return f"Bearer client.sdk.{client_id}.{hashlib.sha256(token.encode()).hexdigest()}"


class AuthMiddleware:
    """Pure ASGI middleware: 401 unless the Authorization header is the expected bearer value."""

    def __init__(self, app: ASGIApp, bearer: str) -> None:
        self.app = app
        self.bearer = bearer.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            auth = dict(scope.get("headers") or []).get(b"authorization")
            if auth != self.bearer:
                msg = "missing Authorization header" if auth is None else "invalid client id or auth token"
                await error(401, msg)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _store(request: Request) -> MockStore:
    return request.app.state.store


def _int(value: str | None, name: str) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be an integer, got {value!r}") from None


def _bool(value: str | None, name: str) -> bool:
    v = (value or "").strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise BadRequest(f"{name} must be true or false, got {value!r}")


async def _json(request: Request, default: Any = None) -> Any:
    body = await request.body()
    if not body.strip():
        return default
    try:
        return json.loads(body)
    except ValueError:
        raise BadRequest("request body is not valid JSON") from None


# ---------------------------------------------------------------- processes
async def run_process(request: Request) -> Response:
    body = await _json(request, {})
    if not isinstance(body, dict):
        raise BadRequest("body must be a ProcessRequest JSON object")
    sync = request.url.path.endswith("runSync")
    if sync and request.query_params.get("timeout"):
        _int(request.query_params.get("timeout"), "timeout")
    store = _store(request)
    p = store.start(body.get("namespace"), body.get("name"), body.get("version"), body.get("input"),
                    body.get("requestId"), body.get("correlationId"), sync=sync, trigger="API",
                    created_by=f"client.sdk.{request.query_params.get('clientId') or 'anonymous'}")
    return JSONResponse(store.public(p, include_steps=sync))


async def get_process(request: Request) -> Response:
    pid = _int(request.path_params["pid"], "processId")
    steps = _bool(request.query_params.get("includeSteps"), "includeSteps")
    data = _store(request).get_process(pid, include_steps=steps)
    if data is None:
        raise NotFound(f"process {pid} not found")
    return JSONResponse(data)


async def get_step(request: Request) -> Response:
    sid = _int(request.path_params["sid"], "stepId")
    data = _store(request).get_step(sid)
    if data is None:
        raise NotFound(f"step {sid} not found")
    return JSONResponse(data)


async def search_processes(request: Request) -> Response:
    return JSONResponse(search(_store(request), request.query_params))


async def bulk_action(request: Request) -> Response:
    ids = await _json(request)
    store = _store(request)
    reason = request.query_params.get("reason")
    action = request.url.path.rsplit("/", 1)[-1]
    if action == "bulkTerminate":
        return JSONResponse(store.terminate(ids, reason))
    if action == "bulkResume":
        return JSONResponse(store.resume(ids))
    return JSONResponse(store.reviewed(ids, reason))


async def rerun(request: Request) -> Response:
    store = _store(request)
    pid = _int(request.query_params.get("processId"), "processId")
    version = request.query_params.get("version")
    if version:
        _int(version, "version")
    return JSONResponse(store.public(store.rerun(pid, version)))


async def resume_with_version(request: Request) -> Response:
    store = _store(request)
    pid = _int(request.query_params.get("processId"), "processId")
    version = _int(request.query_params.get("version"), "version")
    if pid not in store.processes:
        raise NotFound(f"process {pid} not found")
    result = store.resume([pid], version=version)
    detail = result["details"][0]
    if detail["error"]:
        raise BadRequest(detail["error"])
    return JSONResponse(store.get_process(pid))


async def api_call(request: Request) -> Response:
    endpoint = request.path_params["endpoint"]
    target = API_MAPPINGS.get(endpoint)
    if target is None:
        raise NotFound(f"no API mapping for endpoint {endpoint!r}")
    q = request.query_params
    call_type = (q.get("apiCallType") or "ASYNC").rsplit(".", 1)[-1].upper()
    if call_type not in ("SYNC", "ASYNC", "STREAM"):
        raise BadRequest(f"apiCallType must be SYNC, ASYNC or STREAM, got {q.get('apiCallType')!r}")
    if request.method == "POST":
        inp = await _json(request, {})
        if not isinstance(inp, dict):
            raise BadRequest("body must be a JSON object")
    else:
        inp = {k: v for k, v in q.items() if k not in ("id", "correlationId", "apiCallType")}
    store = _store(request)
    p = store.start(target[0], target[1], None, inp, q.get("id"), q.get("correlationId"),
                    sync=call_type != "ASYNC", trigger="API_MAPPING", process_type="API_ORCHESTRATION",
                    created_by=f"api-mapping:{endpoint}")
    if call_type != "STREAM":
        return JSONResponse(store.public(p))
    final = store.public(p, include_steps=True)
    delay = store.stream_delay

    async def lines():
        for step in final["stepRecords"]:
            yield json.dumps(step) + "\n"
            if delay:
                await asyncio.sleep(delay)
        yield json.dumps(final) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


# ---------------------------------------------------------------- definitions
async def list_definitions(request: Request) -> Response:
    return JSONResponse(_store(request).list_definitions())


async def get_definition(request: Request) -> Response:
    version = request.query_params.get("version")
    v = _int(version, "version") if version not in (None, "", "None", "null") else None
    pp = request.path_params
    return JSONResponse(_store(request).definition(pp["namespace"], pp["name"], v))


async def definition_versions(request: Request) -> Response:
    pp = request.path_params
    return JSONResponse(_store(request).versions(pp["namespace"], pp["name"]))


async def namespaces(request: Request) -> Response:
    return JSONResponse(_store(request).namespaces())


# ---------------------------------------------------------------- workers
async def register(request: Request) -> Response:
    return PlainTextResponse(_store(request).register(await _json(request, [])))


async def poll(request: Request) -> Response:
    size = request.query_params.get("size")
    n = _int(size, "size") if size else 0
    return JSONResponse(_store(request).poll(await _json(request, []), n))


async def bulk_results(request: Request) -> Response:
    return JSONResponse(_store(request).submit_results(await _json(request, [])))


# ---------------------------------------------------------------- app
async def _not_found(request: Request, exc: Exception) -> Response:
    return error(404, str(exc))


async def _bad_request(request: Request, exc: Exception) -> Response:
    return error(400, str(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error(exc.status_code, f"{exc.detail}: {request.method} {request.url.path}")


ROUTES = [
    Route("/api/process/runSync", run_process, methods=["POST"]),
    Route("/api/process/runAsync", run_process, methods=["POST"]),
    Route("/api/process/context/{pid}", get_process, methods=["GET"]),
    Route("/api/process/stepContext/{sid}", get_step, methods=["GET"]),
    Route("/api/stats/process/search", search_processes, methods=["GET"]),
    Route("/api/process/bulkTerminate", bulk_action, methods=["POST"]),
    Route("/api/process/bulkResume", bulk_action, methods=["POST"]),
    Route("/api/process/bulkReviewed", bulk_action, methods=["POST"]),
    Route("/api/process/rerun", rerun, methods=["POST"]),
    Route("/api/process/resumeWithVersion", resume_with_version, methods=["POST"]),
    Route("/api/call/{endpoint}", api_call, methods=["GET", "POST"]),
    Route("/api/processDefinitions", list_definitions, methods=["GET"]),
    Route("/api/processDefinitions/{namespace}/{name}/versions", definition_versions, methods=["GET"]),
    Route("/api/processDefinitions/{namespace}/{name}", get_definition, methods=["GET"]),
    Route("/api/namespaces", namespaces, methods=["GET"]),
    Route("/api/clients/register", register, methods=["PUT"]),
    Route("/api/clients/poll", poll, methods=["POST"]),
    Route("/api/clients/bulkResults", bulk_results, methods=["POST"]),
]


def create_app(seed: int = 7, executions: int = 5000, clock: Callable[[], int] | None = None,
               require_auth: str | None = None, faults: Any = None) -> Starlette:
    """Build the mock server. ``clock`` returns now in epoch ms (default: wall time).

    ``faults``: a SPEC string or a ``console.mock.faults.FaultPlan`` (see that module); the plan
    is ``app.state.faults`` (None without one) and ``app.state.faults.enabled`` switches it."""
    app = Starlette(routes=ROUTES, exception_handlers={
        NotFound: _not_found, BadRequest: _bad_request, HTTPException: _http_error})
    app.state.store = MockStore(seed=seed, executions=executions, clock=clock)
    app.state.require_auth = require_auth
    if require_auth:
        app.add_middleware(AuthMiddleware, bearer=expected_bearer(require_auth))
    app.state.faults = None
    if faults:
        from console.mock.faults import FaultMiddleware, FaultPlan

        plan = FaultPlan.parse(faults) if isinstance(faults, str) else faults
        app.add_middleware(FaultMiddleware, plan=plan)  # added last: outermost
        app.state.faults = plan
    return app
