"""Contract: every failure comes back as its typed error, in one line, with the server's words
and never the token: 401, 404, 400, an HTML 500 from a proxy, retried 502s, a POST that is never
retried, invalid JSON, a refused connection. Over both transports where a server is involved."""

from __future__ import annotations

import pytest

from console.services.actions import run_action
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from console import errors
from console.backends.unmeshed import UnmeshedClient
from console.mock.app import create_app
from console.mock.clock import FakeClock
from console.models import ProcessRequest, SearchQuery

from .conftest import closed_port, pick

WRONG = "wrong"
HTML_500 = ("<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>\n"
            "<body><h1>Internal   Server Error</h1>\n<p>upstream <b>payments-db</b> exploded</p>"
            "</body></html>")
LOGIN_PAGE = "<html><body><form action='/login'>Sign in to continue</form></body></html>"


def assert_one_line_without(err: Exception, *secrets: str) -> None:
    text = str(err)
    assert "\n" not in text and text
    for secret in secrets:
        for shown in (text, repr(err), str(getattr(err, "server_message", "")),
                      str(getattr(err, "url", ""))):
            assert secret not in shown


@pytest.fixture(scope="session")
def auth_app():
    return create_app(seed=7, executions=200, clock=FakeClock(), require_auth="cid:right")


class Broken:
    """A server behind a bad proxy: HTML errors, truncated JSON, flaky 502/503. Counts hits."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.app = Starlette(routes=[
            Route("/api/process/context/{pid}", self.context, methods=["GET"]),
            Route("/api/process/bulkTerminate", self.bulk, methods=["POST"]),
            Route("/api/process/runAsync", self.bulk, methods=["POST"]),
            Route("/api/stats/process/search", self.search, methods=["GET"]),
        ])

    def _hit(self, key: str) -> None:
        self.hits[key] = self.hits.get(key, 0) + 1

    async def context(self, request: Request) -> Response:
        pid = request.path_params["pid"]
        self._hit(pid)
        if pid == "500":
            return HTMLResponse(HTML_500, status_code=500)
        if pid == "502":
            return HTMLResponse("<html><body><h1>502 Bad Gateway</h1></body></html>", 502)
        if pid == "flaky":  # 503 twice, then the real answer
            if self.hits[pid] <= 2:
                return JSONResponse({"message": "warming up"}, status_code=503)
            return JSONResponse({"processId": 77, "status": "COMPLETED"})
        if pid == "truncated":
            return Response(b'{"processId": 1, "status": "RUNN', media_type="application/json")
        if pid == "login":
            return HTMLResponse(LOGIN_PAGE)
        return Response("no", status_code=418)

    async def bulk(self, request: Request) -> Response:
        self._hit(request.url.path)
        return JSONResponse({"error": "shard rebalancing, try later"}, status_code=503)

    async def search(self, request: Request) -> Response:
        self._hit("search")
        return JSONResponse({"unexpected": "an object, not a list"})


@pytest.fixture(scope="session")
def broken():
    return Broken()


@pytest.fixture
def quick(connect):
    """``quick(app, **kw)``: a client with a tiny retry backoff, so retry tests stay fast."""
    def make(app, **kw):
        client = connect(app, **kw)
        client.http.backoff = 0.01
        return client
    return make


# ---- 401 ---------------------------------------------------------------------------------------

async def test_a_wrong_token_is_unauthorized_and_never_shown(connect, auth_app):
    client = connect(auth_app, client_id="cid", token=WRONG)
    pid = pick(auth_app.state.store, status="RUNNING")[0]
    for call in (lambda: client.get_process(pid), lambda: client.search(SearchQuery(limit=1)),
                 lambda: client.run_async(ProcessRequest(name="test_process"))):
        with pytest.raises(errors.Unauthorized) as info:
            await call()
        err = info.value
        assert err.status == 401 and "401" in str(err)
        assert "invalid client id or auth token" in str(err)
        assert_one_line_without(err, WRONG)
    outcome = await run_action(client, "terminate", [str(pid)])
    assert outcome.failed == [str(pid)] and "401" in outcome.stopped_by
    assert WRONG not in outcome.stopped_by and WRONG not in repr(client)
    assert auth_app.state.store.processes[pid]["status"] == "RUNNING"  # refused, not done


async def test_the_right_token_passes_and_a_wrong_client_id_does_not(connect, auth_app):
    pid = pick(auth_app.state.store)[0]
    good = connect(auth_app, client_id="cid", token="right")
    assert (await good.get_process(pid)).process_id == pid
    other = connect(auth_app, client_id="someone-else", token="right")
    with pytest.raises(errors.Unauthorized) as info:
        await other.get_process(pid)
    assert_one_line_without(info.value, "right")


# ---- 404 and 400 from the mock -----------------------------------------------------------------

async def test_unknown_things_are_not_found_with_the_server_message(env):
    with pytest.raises(errors.NotFound) as info:
        await env.backend.get_process(1)
    assert info.value.status == 404 and info.value.server_message == "process 1 not found"
    assert "process 1 not found" in str(info.value) and "/api/process/context/1" in str(info.value)
    with pytest.raises(errors.NotFound):
        await env.backend.get_step(123)
    with pytest.raises(errors.NotFound):
        await env.backend.definition_versions("default", "nope")


async def test_bad_parameters_are_bad_requests(env):
    with pytest.raises(errors.BadRequest) as info:
        await env.backend.get_process("abc")
    assert info.value.status == 400 and "processId" in info.value.server_message
    with pytest.raises(errors.BadRequest) as info:
        await env.backend.search(SearchQuery(limit=-1))
    assert "negative" in str(info.value)


# ---- a broken server ---------------------------------------------------------------------------

async def test_an_html_500_is_a_server_error_with_the_stripped_text(quick, broken):
    client = quick(broken.app, token=WRONG)
    before = broken.hits.get("500", 0)
    with pytest.raises(errors.ServerError) as info:
        await client.get_process(500)
    err = info.value
    assert err.status == 500 and "answered 500" in str(err)
    assert err.server_message.startswith("500 Internal Server Error Internal Server Error")
    assert "upstream payments-db exploded" in str(err)
    assert "<" not in str(err) and ">" not in str(err)
    assert_one_line_without(err, WRONG)
    assert broken.hits["500"] == before + 1  # a plain 500 is not retried


async def test_a_get_is_retried_on_502_and_503_then_gives_up_or_succeeds(quick, broken):
    client = quick(broken.app)
    before = broken.hits.get("502", 0)
    with pytest.raises(errors.ServerError) as info:
        await client.get_process(502)
    assert broken.hits["502"] == before + 4  # the first try and three retries
    assert "502 Bad Gateway" in str(info.value)
    broken.hits.pop("flaky", None)
    got = await client.get_process("flaky")
    assert got.process_id == 77 and broken.hits["flaky"] == 3


async def test_a_post_is_never_retried(quick, broken):
    client = quick(broken.app)
    path = "/api/process/bulkTerminate"
    before = broken.hits.get(path, 0)
    outcome = await run_action(client, "terminate", ["1", "2"])
    assert broken.hits[path] == before + 1
    assert outcome.failed == ["1", "2"] and "shard rebalancing" in outcome.stopped_by
    before = broken.hits.get("/api/process/runAsync", 0)
    with pytest.raises(errors.ServerError) as info:
        await client.run_async(ProcessRequest(name="x"))
    assert "shard rebalancing, try later" in str(info.value)
    assert broken.hits["/api/process/runAsync"] == before + 1


@pytest.mark.parametrize("pid,fragment", [("truncated", "invalid or truncated JSON"),
                                          ("login", "HTML, not JSON")])
async def test_a_200_that_is_not_json_is_a_bad_response(quick, broken, pid, fragment):
    client = quick(broken.app)
    with pytest.raises(errors.BadResponse) as info:
        await client.get_process(pid)
    assert fragment in str(info.value) and info.value.status == 200
    assert_one_line_without(info.value)


async def test_json_of_the_wrong_shape_is_a_bad_response(quick, broken):
    with pytest.raises(errors.BadResponse) as info:
        await quick(broken.app).search(SearchQuery())
    assert "unexpected shape" in str(info.value)


# ---- nobody listening --------------------------------------------------------------------------

async def test_a_refused_connection_is_unreachable_and_names_the_url():
    port = closed_port()
    client = UnmeshedClient("http://127.0.0.1", port, "cid", WRONG, backoff=0.01, timeout=3)
    try:
        with pytest.raises(errors.Unreachable) as info:
            await client.get_process(5)
        url = f"http://127.0.0.1:{port}/api/process/context/5"
        assert info.value.url == url and url in str(info.value)
        assert_one_line_without(info.value, WRONG)
        with pytest.raises(errors.Unreachable) as info:  # refused: nothing was sent, so not
            await client.run_async(ProcessRequest(name="x"))  # "outcome unknown"
        assert f"127.0.0.1:{port}/api/process/runAsync" in str(info.value)
        fetched = await client.get_many(["5", "6"])
        assert all(isinstance(f.error, errors.Unreachable) for f in fetched)
    finally:
        await client.aclose()
