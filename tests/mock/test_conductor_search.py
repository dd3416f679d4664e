"""Conductor's ``GET /api/workflow/search`` on the mock: every clause, paging and the exact
``totalHits`` agree with the obvious way (test every stored workflow, newest first)."""

from __future__ import annotations

import httpx
import pytest

from console.mock import conductor_dialect as cd
from console.mock import conductor_ids as ids
from console.mock.clock import FakeClock
from console.mock.conductor_app import create_conductor_app


@pytest.fixture(scope="module")
def app():
    app = create_conductor_app(seed=11, executions=1500, clock=FakeClock())
    store = app.state.store
    for p in list(store.processes.values())[::97]:  # some ended runs that a resume would change
        if p["status"] in ("FAILED", "TIMED_OUT"):
            store.reviewed([p["processId"]], "seen")
    return app


def reference(store, query: dict[str, str]) -> tuple[int, list[str]]:
    """(totalHits, the page's workflow ids) by testing every workflow against each clause."""
    clauses = [c.split(" ", 2) for c in query.get("query", "").split(" AND ") if c]
    text = query.get("freeText", "*").lower()

    def ok(p) -> bool:
        for field, op, value in clauses:
            values = value.strip("()").split(",")
            if field == "startTime":
                n, at = int(values[0]), p["created"]
                if not {">": at > n, ">=": at >= n, "<": at < n, "<=": at <= n}[op]:
                    return False
            elif field == "status" and cd.workflow_status(p) not in values:
                return False
            elif field == "workflowType" and p["name"] not in values:
                return False
            elif field == "correlationId" and p["correlationId"] not in values:
                return False
            elif field == "workflowId" and ids.workflow_id(p["processId"]) not in values:
                return False
            elif field == "version" and str(p["version"]) not in values:
                return False
        return text == "*" or text in p["_text"]

    hits = [p for p in sorted(store.processes.values(), key=lambda p: -p["processId"]) if ok(p)]
    start, size = int(query.get("start", 0)), int(query.get("size", 100))
    return len(hits), [ids.workflow_id(p["processId"]) for p in hits[start:start + size]]


def queries(store) -> list[dict[str, str]]:
    procs = sorted(store.processes.values(), key=lambda p: p["processId"])
    mid = procs[len(procs) // 2]
    some = procs[-3]
    wids = ",".join(ids.workflow_id(p["processId"]) for p in procs[100:106])
    return [
        {},
        {"start": "40", "size": "25"},
        {"query": "status IN (FAILED)"},
        {"query": "status IN (TERMINATED,PAUSED)", "size": "1000"},
        {"query": "status IN (FAILED,TIMED_OUT)", "start": "30", "size": "10"},
        {"query": f"workflowType IN ({some['name']},send_email)", "size": "1000"},
        {"query": f"startTime > {mid['created']}", "size": "5"},
        {"query": f"startTime >= {mid['created']} AND startTime < {procs[-40]['created']}"},
        {"query": f"startTime <= {mid['created']} AND status IN (COMPLETED)", "start": "10"},
        {"query": f"correlationId IN ({some['correlationId']})"},
        {"query": f"workflowId IN ({wids})"},
        {"query": f"workflowId IN ({wids}) AND status IN (COMPLETED)"},
        {"query": f"version IN (1) AND workflowType IN ({some['name']})"},
        {"freeText": "timeout", "size": "1000"},
        {"freeText": some["correlationId"]},
        {"query": f"status IN (RUNNING) AND startTime > {procs[0]['created']}", "size": "1000"},
        # a narrow window and a common status: the scan walks the window, not the index
        {"query": f"startTime >= {procs[-60]['created']} AND status IN (COMPLETED)", "size": "1000"},
        {"query": f"startTime >= {procs[-6]['created']} AND workflowType IN ({some['name']})"},
        {"query": "workflowType IN (no_such_workflow)"},
    ]


async def test_search_agrees_with_the_obvious_way(app):
    store = app.state.store
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as client:
        for query in queries(store):
            r = await client.get("/api/workflow/search", params=query)
            assert r.status_code == 200, (query, r.text)
            body = r.json()
            total, expected = reference(store, query)
            assert body["totalHits"] == total, query
            assert [row["workflowId"] for row in body["results"]] == expected, query


async def test_search_rows_are_summaries_newest_first(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as client:
        body = (await client.get("/api/workflow/search", params={"size": "3"})).json()
    rows = body["results"]
    assert len(rows) == 3 and body["totalHits"] == len(app.state.store.processes)
    assert {"workflowType", "workflowId", "status", "startTime", "input", "output"} <= set(rows[0])
    assert [r["startTime"] for r in rows] == sorted((r["startTime"] for r in rows), reverse=True)


@pytest.mark.parametrize("params", [{"start": "-1"}, {"size": "x"}, {"query": "colour = red"},
                                    {"query": "status > 3"}, {"query": "startTime > soon"}])
async def test_search_refuses_what_it_cannot_read(app, params):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as client:
        r = await client.get("/api/workflow/search", params=params)
    assert r.status_code == 400 and r.json()["message"]
