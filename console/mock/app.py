"""The mock Unmeshed server: a Starlette app serving every endpoint of ``shared/API.md``.

    from console.mock.app import create_app
    app = create_app(seed=7, executions=5000, clock=None, require_auth=None)
    app.state.store  # the MockStore

A process of your own definition (``definitions=``, ``console.mock.dev_definitions``) runs live:
its WORKER steps wait for workers polling ``api/clients/poll`` (``console.mock.workers``), and
``runSync`` answers when it has ended, or after its ``timeout`` (default ``SYNC_WAIT_SECONDS``)
with the process still RUNNING.

Errors answer ``{"errorMessage": ...}``: 404 for an unknown id, definition or endpoint, 400 for a
bad parameter or body, 401 when ``require_auth="CLIENT_ID:TOKEN"`` is set and the request lacks
``Authorization: Bearer client.sdk.{CLIENT_ID}.{sha256_hex(TOKEN)}``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

from console.mock import definitions_api, dev_routes, files, workers
from console.mock.catalog import API_MAPPINGS
from console.mock.dev_definitions import install
from console.mock.http import HeaderAuth, Routes, build_app, read_json, store_of, to_bool, to_int
from console.mock.search import search
from console.mock.store import BadRequest, MockStore, NotFound

#: How long ``runSync`` (and a SYNC API mapping call) waits for a live process without ``timeout``.
SYNC_WAIT_SECONDS = 5.0


def error(status: int, message: str, path: str = "") -> JSONResponse:
    """Unmeshed's error body (the SDK reads ``errorMessage``)."""
    return JSONResponse({"errorMessage": message}, status_code=status)


def expected_bearer(require_auth: str) -> str:
    client_id, _, token = require_auth.partition(":")
    return f"Bearer client.sdk.{client_id}.{hashlib.sha256(token.encode()).hexdigest()}"


routes = Routes()


async def settle(store: MockStore, p: dict[str, Any], seconds: float) -> None:
    """Wait up to ``seconds`` for a live process to end (other requests, such as the workers'
    polls, are served meanwhile); a simulated one has already answered."""
    deadline = time.monotonic() + seconds
    while p.get("_live") and p["status"] == "RUNNING" and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
        store.tick()


def sync_wait(request: Request) -> float:
    timeout = request.query_params.get("timeout")
    return min(float(to_int(timeout, "timeout")), 300.0) if timeout else SYNC_WAIT_SECONDS


# ---------------------------------------------------------------- processes
@routes.post("/api/process/runSync", "/api/process/runAsync")
async def run_process(request: Request) -> Response:
    body = await read_json(request, {})
    if not isinstance(body, dict):
        raise BadRequest("body must be a ProcessRequest JSON object")
    sync = request.url.path.endswith("runSync")
    wait = sync_wait(request) if sync else 0.0
    store = store_of(request)
    p = store.start(body.get("namespace"), body.get("name"), body.get("version"), body.get("input"),
                    body.get("requestId"), body.get("correlationId"), sync=sync, trigger="API",
                    created_by=f"client.sdk.{request.query_params.get('clientId') or 'anonymous'}")
    if sync:
        await settle(store, p, wait)
    return JSONResponse(store.public(p, include_steps=sync))


@routes.get("/api/process/context/{pid}")
async def get_process(request: Request) -> Response:
    pid = to_int(request.path_params["pid"], "processId")
    steps = to_bool(request.query_params.get("includeSteps"), "includeSteps")
    data = store_of(request).get_process(pid, include_steps=steps)
    if data is None:
        raise NotFound(f"process {pid} not found")
    return JSONResponse(data)


@routes.get("/api/process/stepContext/{sid}")
async def get_step(request: Request) -> Response:
    sid = to_int(request.path_params["sid"], "stepId")
    data = store_of(request).get_step(sid)
    if data is None:
        raise NotFound(f"step {sid} not found")
    return JSONResponse(data)


@routes.get("/api/stats/process/search")
async def search_processes(request: Request) -> Response:
    return JSONResponse(search(store_of(request), request.query_params))


@routes.post("/api/process/bulkTerminate", "/api/process/bulkResume", "/api/process/bulkReviewed")
async def bulk_action(request: Request) -> Response:
    ids = await read_json(request)
    store = store_of(request)
    reason = request.query_params.get("reason")
    action = request.url.path.rsplit("/", 1)[-1]
    if action == "bulkTerminate":
        return JSONResponse(store.terminate(ids, reason))
    if action == "bulkResume":
        return JSONResponse(store.resume(ids))
    return JSONResponse(store.reviewed(ids, reason))


@routes.post("/api/process/rerun")
async def rerun(request: Request) -> Response:
    store = store_of(request)
    pid = to_int(request.query_params.get("processId"), "processId")
    version = request.query_params.get("version")
    if version:
        to_int(version, "version")
    return JSONResponse(store.public(store.rerun(pid, version)))


@routes.post("/api/process/resumeWithVersion")
async def resume_with_version(request: Request) -> Response:
    store = store_of(request)
    pid = to_int(request.query_params.get("processId"), "processId")
    version = to_int(request.query_params.get("version"), "version")
    if pid not in store.processes:
        raise NotFound(f"process {pid} not found")
    result = store.resume([pid], version=version)
    detail = result["details"][0]
    if detail["error"]:
        raise BadRequest(detail["error"])
    return JSONResponse(store.get_process(pid))


@routes.get("/api/call/{endpoint}")
@routes.post("/api/call/{endpoint}")
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
        inp = await read_json(request, {})
        if not isinstance(inp, dict):
            raise BadRequest("body must be a JSON object")
    else:
        inp = {k: v for k, v in q.items() if k not in ("id", "correlationId", "apiCallType")}
    store = store_of(request)
    p = store.start(target[0], target[1], None, inp, q.get("id"), q.get("correlationId"),
                    sync=call_type != "ASYNC", trigger="API_MAPPING", process_type="API_ORCHESTRATION",
                    created_by=f"api-mapping:{endpoint}")
    if call_type != "ASYNC":
        await settle(store, p, SYNC_WAIT_SECONDS)
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
@routes.get("/api/processDefinitions")
async def list_definitions(request: Request) -> Response:
    return JSONResponse(store_of(request).list_definitions())


@routes.get("/api/processDefinitions/{namespace}/{name}")
async def get_definition(request: Request) -> Response:
    version = request.query_params.get("version")
    v = to_int(version, "version") if version not in (None, "", "None", "null") else None
    pp = request.path_params
    return JSONResponse(store_of(request).definition(pp["namespace"], pp["name"], v))


@routes.get("/api/processDefinitions/{namespace}/{name}/versions")
async def definition_versions(request: Request) -> Response:
    pp = request.path_params
    return JSONResponse(store_of(request).versions(pp["namespace"], pp["name"]))


@routes.get("/api/namespaces")
async def namespaces(request: Request) -> Response:
    return JSONResponse(store_of(request).namespaces())


# ---------------------------------------------------------------- workers
@routes.put("/api/clients/register")
async def register(request: Request) -> Response:
    return PlainTextResponse(store_of(request).engine.hub.register(await read_json(request, [])))


@routes.post("/api/clients/poll")
async def poll(request: Request) -> Response:
    size = to_int(request.query_params.get("size"), "size", 0)
    host = request.headers.get("UNMESHED_HOST_NAME") or (request.client.host if request.client else "-")
    return JSONResponse(workers.poll(store_of(request), await read_json(request, []), size, host))


@routes.post("/api/clients/bulkResults")
async def bulk_results(request: Request) -> Response:
    return JSONResponse(workers.submit(store_of(request), await read_json(request, [])))


routes.include(dev_routes.routes)


# Definition writes and schedules, and the file store: their own modules, same routes.
definitions_api.register(routes)
files.register(routes)


# ---------------------------------------------------------------- app
def create_app(seed: int = 7, executions: int = 5000, clock: Callable[[], int] | None = None,
               require_auth: str | None = None, faults: Any = None,
               definitions: list[tuple[str, dict[str, Any]]] | None = None,
               empty: bool = False) -> Starlette:
    """Build the mock server. ``clock`` returns now in epoch ms (default: wall time).

    ``faults``: a SPEC string or a ``console.mock.faults.FaultPlan`` (see that module); the plan
    is ``app.state.faults`` (None without one) and ``app.state.faults.enabled`` switches it.
    ``definitions``: ``(where from, definition)`` pairs of your own (checked by
    ``console.definition_files``), served and run live; ``ValueError`` starting with where from
    for one the mock cannot run. ``empty``: no seeded definitions or executions.
    ``GET /__mock/workers`` (the mock-only worker view) needs no auth."""
    auth = None
    if require_auth:
        auth = HeaderAuth("Authorization", expected_bearer(require_auth),
                          invalid="invalid client id or auth token",
                          reject=lambda message: error(401, message), open_paths=(workers.VIEW_PATH,))
    store = MockStore(seed=seed, executions=executions, clock=clock, catalog=not empty)
    for where, definition in definitions or []:
        try:
            install(store, definition, source="file")
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    return build_app(routes, error, dialect="unmeshed", require_auth=require_auth, auth=auth,
                     store=store, faults=faults)
