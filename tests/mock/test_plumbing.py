"""The HTTP plumbing both dialects share (``console.mock.http``): each dialect keeps its own error
body and auth header, routes never swallow each other, faults wire into both."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from starlette.responses import PlainTextResponse

from console.mock.app import create_app
from console.mock.clock import FakeClock
from console.mock.conductor_app import create_conductor_app, token_for
from console.mock.http import REQUIRED, Routes, to_int
from console.mock.store import BadRequest


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")


@pytest.fixture(scope="module")
def unmeshed():
    return create_app(seed=7, executions=50, clock=FakeClock())


@pytest.fixture(scope="module")
def conductor():
    return create_conductor_app(seed=7, executions=50, clock=FakeClock())


@pytest.mark.parametrize("method,path,status,message", [
    ("GET", "/api/process/context/1", 404, "process 1 not found"),
    ("GET", "/api/process/context/abc", 400, "processId must be an integer, got 'abc'"),
    ("POST", "/api/process/runAsync?clientId=x", 400, "request body is not valid JSON"),
    ("GET", "/api/nothing/here", 404, "Not Found: GET /api/nothing/here"),
    ("DELETE", "/api/namespaces", 405, "Method Not Allowed: DELETE /api/namespaces"),
])
async def test_unmeshed_error_body(unmeshed, method, path, status, message):
    async with _client(unmeshed) as client:
        r = await client.request(method, path, content=b"{nope" if method == "POST" else None)
    assert (r.status_code, r.json()) == (status, {"errorMessage": message})


@pytest.mark.parametrize("method,path,status,message", [
    ("GET", "/api/workflow/00000001-0000-4000-8000-000000000000", 404,
     "No such workflow found by id: 00000001-0000-4000-8000-000000000000"),
    ("GET", "/api/metadata/workflow/charge_card?version=x", 400, "version must be an integer, got 'x'"),
    ("POST", "/api/workflow", 400, "request body is not valid JSON"),
    ("GET", "/api/workflow/search?query=colour%3Dred", 400,
     "cannot read query clause 'colour=red' (fields: workflowType, status, correlationId, "
     "workflowId, version, startTime)"),
    ("GET", "/api/nothing/here", 404, "Not Found: GET /api/nothing/here"),
    ("POST", "/api/workflow/x/pause", 405, "Method Not Allowed: POST /api/workflow/x/pause"),
    ("PUT", "/api/workflow/x/status", 405, "Method Not Allowed: PUT /api/workflow/x/status"),
])
async def test_conductor_error_body(conductor, method, path, status, message):
    async with _client(conductor) as client:
        r = await client.request(method, path, content=b"{nope" if method == "POST" else None)
    assert r.status_code == status
    assert r.json() == {"status": status, "message": message,
                        "instance": "meshdeck-mock-conductor", "retryable": False}


async def test_conductor_conflict_is_409_in_its_own_body(conductor):
    store = conductor.state.store
    from console.mock import conductor_ids as ids

    done = next(p for p in store.processes.values() if p["status"] == "COMPLETED")
    wid = ids.workflow_id(done["processId"])
    async with _client(conductor) as client:
        r = await client.put(f"/api/workflow/{wid}/pause")
    assert r.status_code == 409
    assert r.json()["message"] == f"Workflow {done['name']}.{done['version']}/{wid} has ended, status cannot be updated."
    assert r.json()["retryable"] is False


async def test_unmeshed_auth_header():
    app = create_app(executions=20, clock=FakeClock(), require_auth="ops:s3cret")
    good = f"Bearer client.sdk.ops.{hashlib.sha256(b's3cret').hexdigest()}"
    async with _client(app) as client:
        missing = await client.get("/api/namespaces")
        wrong = await client.get("/api/namespaces", headers={"Authorization": "Bearer nope"})
        ok = await client.get("/api/namespaces", headers={"Authorization": good})
    assert (missing.status_code, missing.json()) == (401, {"errorMessage": "missing Authorization header"})
    assert (wrong.status_code, wrong.json()) == (401, {"errorMessage": "invalid client id or auth token"})
    assert ok.status_code == 200


async def test_conductor_auth_header_and_open_token_path():
    app = create_conductor_app(executions=20, clock=FakeClock(), require_auth="key:secret")
    async with _client(app) as client:
        missing = await client.get("/api/metadata/workflow")
        wrong = await client.get("/api/metadata/workflow", headers={"X-Authorization": "nope"})
        token = await client.post("/api/token", json={"keyId": "key", "keySecret": "secret"})
        ok = await client.get("/api/metadata/workflow", headers={"X-Authorization": token.json()["token"]})
        bearer = await client.get("/api/metadata/workflow", headers={"Authorization": token_for("key:secret")})
    assert (missing.status_code, missing.json()) == (
        401, {"status": 401, "message": "missing X-Authorization header", "error": "INVALID_TOKEN"})
    assert wrong.json()["message"] == "invalid token"
    assert token.status_code == 200 and ok.status_code == 200
    assert bearer.status_code == 401  # Conductor's header, not Unmeshed's


@pytest.mark.parametrize("factory", [create_app, create_conductor_app])
async def test_faults_wire_into_both_dialects(factory):
    app = factory(executions=20, clock=FakeClock(), faults="fail_first=1,errors=503")
    path = "/api/namespaces" if factory is create_app else "/api/metadata/workflow"
    async with _client(app) as client:
        first, second = await client.get(path), await client.get(path)
    assert (first.status_code, second.status_code) == (503, 200)
    assert app.state.faults.seen("error 503") == 1
    assert factory(executions=20, clock=FakeClock()).state.faults is None


async def test_routes_put_literal_segments_before_parameters_whatever_the_order():
    from starlette.applications import Starlette

    routes = Routes()

    @routes.get("/api/things/{tid}")
    async def one(request):
        return PlainTextResponse("one " + request.path_params["tid"])

    @routes.get("/api/things/{tid}/{action}")
    async def act(request):
        return PlainTextResponse("act")

    @routes.get("/api/things/search", "/api/things/{tid}/status")  # declared last, still wins
    async def special(request):
        return PlainTextResponse("special")

    async with _client(Starlette(routes=routes.ordered())) as client:
        said = [(await client.get(p)).text for p in
                ("/api/things/search", "/api/things/7", "/api/things/7/status", "/api/things/7/pause")]
    assert said == ["special", "one 7", "special", "act"]


def test_to_int_required_or_default():
    assert to_int("12", "n") == 12 and to_int(None, "n", None) is None and to_int("", "n", 5) == 5
    for value, default in ((None, REQUIRED), ("", REQUIRED), ("x", 5), ("1.5", None)):
        with pytest.raises(BadRequest, match="n must be an integer"):
            to_int(value, "n", default)
