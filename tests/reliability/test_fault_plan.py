"""The fault plan itself: the SPEC grammar, determinism from the seed, and each fault's effect
on the wire, in process and over real HTTP (uvicorn)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from console.mock.app import create_app
from console.mock.faults import FaultPlan

FULL = ("latency=200ms,jitter=100ms,error_rate=0.2,errors=500|502|503,unauthorized_after=50,"
        "html_errors,truncate_rate=0.1,reset_rate=0.05,large_output=5mb,unknown_enums,"
        "extra_fields,null_objects,endless_search,seed=3")


def test_full_spec_parses():
    plan = FaultPlan.parse(FULL)
    assert (plan.latency_ms, plan.jitter_ms, plan.error_rate) == (200, 100, 0.2)
    assert plan.errors == (500, 502, 503) and plan.unauthorized_after == 50
    assert plan.html_errors and plan.unknown_enums and plan.extra_fields and plan.null_objects
    assert plan.endless_search and plan.large_output == 5 * 1024 * 1024
    assert (plan.truncate_rate, plan.reset_rate, plan.seed) == (0.1, 0.05, 3)
    assert FaultPlan.parse("latency=1.5s,only=post|get,paths=bulk").latency_ms == 1500
    assert FaultPlan.parse("only=post|get").only == ("POST", "GET")
    assert FaultPlan.parse("").describe() == "no faults"


@pytest.mark.parametrize("spec, words", [
    ("bogus", "unknown fault 'bogus'"), ("latency=fast", "duration like 200ms"),
    ("error_rate=2", "fraction from 0 to 1"), ("errors=200", "statuses like"),
    ("large_output=huge", "size like 5mb"), ("after=-1", "whole number"),
    ("html_errors=maybe", "is a flag"), ("seed", "needs a value"),
])
def test_bad_spec_is_one_clear_line(spec, words):
    with pytest.raises(ValueError) as caught:
        FaultPlan.parse(spec)
    assert words in str(caught.value) and "\n" not in str(caught.value)


async def _hit(app, paths):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://m") as c:
        out = []
        for path in paths:
            try:
                r = await c.get(path)
                out.append((r.status_code, len(r.content)))
            except httpx.ReadError:
                out.append(("reset", 0))
        return out


PATHS = [f"/api/process/context/{1000000 + i}" for i in range(40)] * 2


def test_same_seed_same_faults_other_seed_others():
    spec = "error_rate=0.3,reset_rate=0.1,truncate_rate=0.2,seed={}"
    runs = [asyncio.run(_hit(create_app(executions=100, faults=spec.format(s)), PATHS))
            for s in (5, 5, 6)]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    statuses = {s for s, _ in runs[0]}
    assert "reset" in statuses and 200 in statuses and statuses & {500, 502, 503}


def test_after_and_switching_off():
    app = create_app(executions=50, faults="error_rate=1,errors=503,after=3")
    first = asyncio.run(_hit(app, PATHS[:5]))
    assert [s for s, _ in first] == [200, 200, 200, 503, 503]
    app.state.faults.enabled = False
    assert [s for s, _ in asyncio.run(_hit(app, PATHS[:3]))] == [200, 200, 200]
    assert app.state.faults.seen("error 503") == 2


def test_shapes_in_one_answer():
    app = create_app(executions=50, faults="unknown_enums,extra_fields,null_objects,large_output=1mb")

    async def get():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://m") as c:
            return (await c.get("/api/process/context/1000001?includeSteps=true")).json()

    data = asyncio.run(get())
    assert data["status"] == "QUARANTINED" and data["futureFlag"] is True
    assert data["input"] is None and data["stepRecords"] is None
    assert len(data["output"]["blob"]) == 1024 * 1024


def test_endless_search_always_has_a_full_page():
    app = create_app(executions=30, faults="endless_search")

    async def pages():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://m") as c:
            return [len((await c.get(f"/api/stats/process/search?limit=50&offset={o}"
                                     "&startTimeEpoch=0")).json()) for o in (0, 50, 5000)]

    assert asyncio.run(pages()) == [50, 50, 50]


def test_over_http_a_reset_drops_the_connection_and_html_errors_are_html():
    """Under uvicorn an injected reset closes the connection mid-answer; errors are HTML pages."""
    from tests.contract.conftest import ServedApp

    served = ServedApp(create_app(executions=50, faults="reset_rate=1,only=POST"))
    html = ServedApp(create_app(executions=50, faults="error_rate=1,errors=502,html_errors"))
    try:
        with httpx.Client() as c:
            with pytest.raises(httpx.RemoteProtocolError):
                c.post(f"http://127.0.0.1:{served.port}/api/process/bulkReviewed",
                       content=json.dumps([1000001]))
            assert c.get(f"http://127.0.0.1:{served.port}/api/namespaces").status_code == 200
            r = c.get(f"http://127.0.0.1:{html.port}/api/namespaces")
            assert r.status_code == 502 and r.headers["content-type"].startswith("text/html")
            assert "<title>502 Bad Gateway</title>" in r.text
    finally:
        served.stop()
        html.stop()
