"""ConductorClient's operator features against the Conductor mock (in process): skip a step,
rerun from a step, correlated executions, running ids, remove and restart on the latest
definition through the bulk engine, the owner app in the namespace's place; and Unmeshed,
which has none of them, saying why."""

from __future__ import annotations

import httpx
import pytest

from console import errors
from console.backends.base import Backend, Unsupported
from console.backends.conductor.client import ConductorClient
from console.backends.unmeshed import UnmeshedClient
from console.mock import conductor_dialect as cd
from console.mock import conductor_ids as ids
from console.mock.clock import FROZEN_NOW_MS, FakeClock
from console.mock.conductor_app import create_conductor_app
from console.models import SearchQuery
from console.services.actions import run_action
from console.services.action_specs import outcome_rows

HOUR = 3_600_000


@pytest.fixture
def mock():
    app = create_conductor_app(seed=7, executions=400, clock=FakeClock(FROZEN_NOW_MS))
    app.state.seen = []
    return app


@pytest.fixture
async def client(mock):
    asgi = httpx.ASGITransport(app=mock)

    class Spy(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            mock.state.seen.append((request.method, request.url.path, dict(request.url.params)))
            return await asgi.handle_async_request(request)

    backend = ConductorClient("http://mock/api", None, transport=Spy())
    yield backend
    await backend.aclose()


def pick(mock, name: str, status: str) -> str:
    p = next(p for p in mock.state.store.processes.values()
             if p["name"] == name and cd.workflow_status(p) == status)
    return ids.workflow_id(p["processId"])


async def test_rerun_from_a_step_with_a_new_input(mock, client):
    wid = pick(mock, "charge_card", "FAILED")
    before = await client.get_process(wid, include_steps=True)
    failed = before.failed_step()
    again = await client.rerun_from_step(wid, str(failed.id), {"amount": 5})
    assert again.process_id == wid and again.status == "RUNNING"
    after = await client.get_process(wid, include_steps=True)
    step = next(s for s in after.step_records if s.ref == failed.ref)
    assert step.id == failed.id and step.input == {"amount": 5} and step.status == "RUNNING"
    assert len(step.execution_list) == len(failed.execution_list)  # the earlier attempts stay
    assert ("POST", f"/api/workflow/{wid}/rerun") in [s[:2] for s in mock.state.seen]


async def test_skip_a_step_and_what_conductor_refuses(mock, client):
    run = await client.run_async(_request("create_order"))
    wid = str(run.process_id)
    await client.skip_step(wid, "send_confirmation", step_output={"sent": False})
    steps = (await client.get_process(wid, include_steps=True)).step_records
    skipped = next(s for s in steps if s.ref == "send_confirmation")
    assert skipped.status == "SKIPPED" and skipped.output == {"sent": False}
    with pytest.raises(errors.BadRequest, match="already been processed"):
        await client.skip_step(wid, "send_confirmation")
    with pytest.raises(errors.BadRequest, match="is not running so the task"):
        await client.skip_step(pick(mock, "charge_card", "FAILED"), "fraud_check")


async def test_correlated_and_running_ids(mock, client):
    store = mock.state.store
    p = next(p for p in store.processes.values() if cd.workflow_status(p) == "RUNNING")
    found = await client.correlated(p["name"], p["correlationId"])
    assert ids.workflow_id(p["processId"]) in {str(x.process_id) for x in found}
    assert all(x.status == "RUNNING" for x in found)
    every = await client.correlated(p["name"], p["correlationId"], include_finished=True)
    assert len(every) >= len(found)
    running = await client.running_ids(p["name"])
    expected = {ids.workflow_id(q["processId"]) for q in store.processes.values()
                if q["name"] == p["name"] and cd.workflow_status(q) in ("RUNNING", "PAUSED")}
    assert set(running) == expected
    asked = [params["version"] for method, path, params in mock.state.seen
             if path.startswith("/api/workflow/running/")]
    assert asked == [str(v) for v in sorted(store.definitions[(p["namespace"], p["name"])])]
    only = await client.running_ids(p["name"], version=p["version"])
    assert ids.workflow_id(p["processId"]) in only and set(only) <= expected


async def test_remove_and_restart_latest_go_through_the_bulk_engine(mock, client):
    gone = pick(mock, "send_sms", "COMPLETED")
    store = mock.state.store
    old = next(ids.workflow_id(p["processId"]) for p in store.processes.values()
               if p["name"] == "charge_card" and p["version"] == 1
               and cd.workflow_status(p) in cd.TERMINAL)
    outcome = await run_action(client, "remove", [gone, "nope"])
    rows = {r.id: r for r in outcome_rows(outcome)}
    assert rows[gone].result == "done" and rows[gone].message == "removed"
    assert rows["nope"].result == "failed"
    assert ("DELETE", "/api/workflow/bulk/remove", {"archiveWorkflow": "false"}) in mock.state.seen
    with pytest.raises(errors.NotFound):
        await client.get_process(gone)
    outcome = await run_action(client, "restart_latest", [old])
    assert outcome_rows(outcome)[0].message == "restarted on the latest definition"
    assert (await client.get_process(old)).version == 3


async def test_the_owner_app_stands_where_a_namespace_would(mock, client):
    rows = await client.search(SearchQuery(start_time_epoch=0, limit=5))
    detail = await client.get_process(str(rows[0].process_id))
    assert rows[0].namespace == detail.namespace and detail.namespace != "default"
    assert client.NAMESPACE_LABEL == "owner app"
    assert ("GET", "/api/workflow/search-v2") in [s[:2] for s in mock.state.seen]
    definitions = await client.list_definitions()
    assert {d.namespace for d in definitions} == set(await client.namespaces())
    assert await client.definition_versions("", "charge_card") == [1, 2, 3]


async def test_definitions_from_a_server_without_latest_versions():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("latest-versions"):
            return httpx.Response(404, json={"status": 404, "message": "No static resource"})
        return httpx.Response(200, json=[{"name": "a", "version": 1}, {"name": "a", "version": 2},
                                         {"name": "b", "version": 1, "ownerApp": "ops"}])

    client = ConductorClient("http://old/api", None, transport=httpx.MockTransport(handler))
    found = sorted((d.name, d.version, d.namespace) for d in await client.list_definitions())
    assert found == [("a", 2, None), ("b", 1, "ops")]
    await client.aclose()


async def test_a_step_comes_with_its_earlier_attempts(mock, client):
    wid = pick(mock, "charge_card", "FAILED")
    failed = (await client.get_process(wid, include_steps=True)).failed_step()
    step = await client.get_step(str(failed.id))
    assert step.id == failed.id and len(step.execution_list) == 3


@pytest.mark.parametrize("call,words", [
    (lambda b: b.skip_step("1", "x"), "publishes no API to skip a step"),
    (lambda b: b.rerun_from_step("1", "2"), "publishes no API to rerun from a step"),
    (lambda b: b.correlated("n", "c"), "meshdeck search --correlation-id"),
    (lambda b: b.running_ids("n"), "meshdeck search --status RUNNING"),
])
async def test_unmeshed_has_none_and_says_why(call, words):
    backend = UnmeshedClient("http://nowhere", None, "c", "t")
    assert not (backend.IMPLEMENTS_SKIP_STEP or backend.IMPLEMENTS_RERUN_FROM_STEP
                or backend.IMPLEMENTS_CORRELATED or backend.IMPLEMENTS_RUNNING_IDS)
    with pytest.raises(Unsupported, match=words):
        await call(backend)
    for action in ("remove", "restart_latest"):
        assert "Unmeshed" in backend.unsupported(action)
    await backend.aclose()


def test_the_base_contract_defaults_to_unsupported():
    assert not any(getattr(Backend, f) for f in ("IMPLEMENTS_SKIP_STEP", "IMPLEMENTS_RERUN_FROM_STEP",
                                                 "IMPLEMENTS_CORRELATED", "IMPLEMENTS_RUNNING_IDS"))
    assert ConductorClient.IMPLEMENTS_SKIP_STEP and ConductorClient.IMPLEMENTS_RUNNING_IDS


def _request(name: str):
    from console.models import ProcessRequest

    return ProcessRequest(name=name, input={})
