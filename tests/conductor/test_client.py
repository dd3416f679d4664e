"""ConductorClient: shapes (retries folded, nesting, ISO times), search query building, Orkes
token auth (the secret never shown), and capability info."""

from __future__ import annotations

import json

import httpx
import pytest

from console import errors
from console.backends.conductor import shapes
from console.backends.conductor.client import ConductorClient, api_base
from console.mock.conductor_app import create_conductor_app
from console.mock.clock import FROZEN_NOW_MS, FakeClock
from console.models import SearchQuery
from console.services.search import count_matches


def test_api_base_adds_api_only_when_the_url_has_no_path():
    assert api_base("http://conductor", 8080) == "http://conductor:8080/api"
    assert api_base("https://acme.orkesconductor.io/api", 8080) == "https://acme.orkesconductor.io/api"


def test_retried_tasks_fold_into_attempts_and_fork_children_nest():
    fork = {"taskId": "f", "referenceTaskName": "fork", "taskType": "FORK_JOIN", "status": "COMPLETED",
            "workflowTask": {"type": "FORK_JOIN", "forkTasks": [[{"taskReferenceName": "a"}],
                                                                [{"taskReferenceName": "b"}]]}}
    tasks = [fork,
             {"taskId": "a1", "referenceTaskName": "a", "status": "FAILED", "retried": True,
              "startTime": 1, "endTime": 2, "reasonForIncompletion": "boom"},
             {"taskId": "a2", "referenceTaskName": "a", "status": "IN_PROGRESS", "startTime": 3},
             {"taskId": "b1", "referenceTaskName": "b", "status": "CANCELED",
              "reasonForIncompletion": "stopped", "outputData": {}},
             {"taskId": "l", "referenceTaskName": "loop", "taskType": "DO_WHILE", "status": "COMPLETED",
              "workflowTask": {"loopOver": [{"taskReferenceName": "step"}]}},
             {"taskId": "s1", "referenceTaskName": "step__1", "status": "COMPLETED"}]
    steps = {s.id: s for s in shapes.steps(tasks)}
    assert "a1" not in steps and len(steps["a2"].execution_list) == 2
    assert steps["a2"].status == "RUNNING" and steps["a2"].parent_id == "f"
    assert steps["b1"].status == "CANCELLED" and steps["b1"].error == "stopped"
    assert steps["b1"].conductorStatus == "CANCELED"
    assert steps["s1"].parent_id == "l" and steps["f"].parent_id is None


def test_summary_times_and_text_payloads():
    p = shapes.process({"workflowId": "x-1", "workflowType": "w", "status": "FAILED",
                        "startTime": "2026-11-25T12:00:00.000Z", "endTime": "2026-11-25T12:00:01.500Z",
                        "input": '{"a": 1}', "output": "{}", "reasonForIncompletion": "bad"})
    assert p.process_id == "x-1" and p.created == FROZEN_NOW_MS and p.duration_ms == 1500
    assert p.input == {"a": 1} and p.output == {"error": "bad"}


def test_search_query_is_built_and_unsupported_filters_refused():
    q = SearchQuery(start_time_epoch=100, names=["a", "b c"], statuses=["FAILED", "CANCELLED"],
                    correlation_ids=["k"], full_text_search_query="oops", limit=5, offset=10)
    params = shapes.search_params(q)
    assert params["query"] == ('workflowType IN (a,"b c") AND status IN (FAILED,TERMINATED) AND '
                               'correlationId = k AND startTime > 99')
    assert (params["start"], params["size"], params["freeText"]) == (10, 5, "oops")
    with pytest.raises(errors.BadRequest, match="cannot search by tag"):
        ConductorClient.check_filters(SearchQuery(tags=["env"]))
    with pytest.raises(errors.BadRequest, match="status REVIEWED"):
        ConductorClient.check_filters(SearchQuery(statuses=["REVIEWED"]))
    ConductorClient.check_filters(q)  # CANCELLED is searched as TERMINATED


async def test_exact_count_comes_from_total_hits():
    app = create_conductor_app(executions=300, clock=FakeClock(FROZEN_NOW_MS))
    client = ConductorClient("http://mock/api", None, transport=httpx.ASGITransport(app=app))
    q = SearchQuery(start_time_epoch=FROZEN_NOW_MS - 30 * 86_400_000, statuses=["FAILED"])
    count = await count_matches(client, q)
    walked = sum(1 for _ in [r async for r in _walk(client, q)])
    assert not count.capped and count.value == walked > 0
    assert client.unsupported("review") and client.unsupported("pause") is None
    await client.aclose()


async def _walk(client, q):
    offset = 0
    while True:
        rows = await client.search(q.page(offset, 50))
        for r in rows:
            yield r
        if len(rows) < 50:
            return
        offset += 50


async def test_orkes_token_exchange_renewal_and_the_secret_never_shown():
    app = create_conductor_app(executions=50, clock=FakeClock(FROZEN_NOW_MS),
                               require_auth="key-1:s3cret-value")
    seen: list[httpx.Request] = []
    asgi = httpx.ASGITransport(app=app)

    class Spy(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            seen.append(request)
            return await asgi.handle_async_request(request)

    client = ConductorClient("http://mock/api", None, "key-1", "s3cret-value", transport=Spy())
    assert "s3cret" not in repr(client)
    assert await client.list_definitions()
    assert [r.url.path for r in seen] == ["/api/token", "/api/metadata/workflow/latest-versions"]
    assert json.loads(seen[0].content) == {"keyId": "key-1", "keySecret": "s3cret-value"}
    assert seen[1].headers["X-Authorization"].startswith("mock-jwt.")
    client.http.headers["X-Authorization"] = "expired"
    assert await client.list_definitions()  # 401 -> one new token -> sent again
    assert [r.url.path for r in seen[2:]] == ["/api/metadata/workflow/latest-versions", "/api/token",
                                              "/api/metadata/workflow/latest-versions"]
    bad = ConductorClient("http://mock/api", None, "key-1", "wrong", transport=asgi)
    with pytest.raises(errors.Unauthorized) as info:
        await bad.list_definitions()
    assert "wrong" not in str(info.value) and "key-1" in str(info.value)
    await client.aclose()
    await bad.aclose()


async def test_open_server_without_credentials_says_what_to_set():
    app = create_conductor_app(executions=20, clock=FakeClock(FROZEN_NOW_MS), require_auth="k:s")
    client = ConductorClient("http://mock/api", None, transport=httpx.ASGITransport(app=app))
    with pytest.raises(errors.Unauthorized, match="CONDUCTOR_AUTH_KEY"):
        await client.list_definitions()
    await client.aclose()
