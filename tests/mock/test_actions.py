"""Bulk actions, starting processes, API mappings and the clock-driven progression."""

from __future__ import annotations

import json

import pytest

from .conftest import find

RUN = {"namespace": "default", "name": "test_process", "input": {"test1": "value", "test2": 100}}


def detail_map(body):
    return {d["id"]: d for d in body["details"]}


async def status_of(client, pid):
    r = await client.get(f"/api/process/context/{pid}")
    assert r.status_code == 200
    return r.json()["status"]


async def test_terminate_mixed_ids(client, store):
    running = find(store, status="RUNNING")
    done = find(store, status="COMPLETED")
    r = await client.post("/api/process/bulkTerminate", params={"reason": "stuck"}, json=[running, str(done), 42])
    body = r.json()
    assert r.status_code == 200 and body["count"] == 1
    d = detail_map(body)
    assert set(d) == {str(running), str(done), "42"}
    assert d[str(running)]["error"] is None
    assert d[str(done)]["error"] and d["42"]["error"] == "process not found"
    data = store.get_process(running, include_steps=True)
    assert data["status"] == "TERMINATED" and data["output"]["reason"] == "stuck"
    assert data["stepRecords"][-1]["status"] == "CANCELLED"
    assert await status_of(client, done) == "COMPLETED"


async def test_resume_then_finishes_with_the_clock(client, store, clock):
    failed = find(store, status="FAILED")
    timed_out = find(store, status="TIMED_OUT")
    running = find(store, status="RUNNING")
    r = await client.post("/api/process/bulkResume", params={"clientId": "x"}, json=[failed, timed_out, running, "nope"])
    body = r.json()
    assert body["count"] == 2
    d = detail_map(body)
    assert d[str(failed)]["error"] is None and d[str(timed_out)]["error"] is None
    assert d[str(running)]["error"] and d["nope"]["error"]
    assert await status_of(client, failed) == "RUNNING"
    clock.advance(60)
    assert await status_of(client, failed) == "COMPLETED"
    assert await status_of(client, timed_out) == "COMPLETED"


async def test_reviewed(client, store):
    ids = [find(store, status=s) for s in ("FAILED", "TERMINATED", "CANCELLED", "COMPLETED", "RUNNING")]
    body = (await client.post("/api/process/bulkReviewed", params={"reason": "known issue"}, json=ids)).json()
    assert body["count"] == 3
    d = detail_map(body)
    assert [d[str(i)]["error"] is None for i in ids] == [True, True, True, False, False]
    assert {store.processes[i]["status"] for i in ids[:3]} == {"REVIEWED"}
    # a reviewed failure still shows its failed step
    steps = store.get_process(ids[0], include_steps=True)["stepRecords"]
    assert steps[-1]["status"] == "FAILED"


async def test_action_body_must_be_a_list(client):
    r = await client.post("/api/process/bulkTerminate", json={"ids": [1]})
    assert r.status_code == 400 and r.json()["errorMessage"]


async def test_running_process_finishes_when_clock_advances(client, store, clock):
    pid = find(store, status="RUNNING")
    before = store.get_process(pid, include_steps=True)
    assert before["stepRecords"][-1]["status"] == "RUNNING"
    clock.advance(3 * 3600)
    after = store.get_process(pid, include_steps=True)
    assert after["status"] in ("COMPLETED", "FAILED")
    assert len(after["stepRecords"]) >= len(before["stepRecords"])


async def test_run_sync_completes_with_output_and_default_input(client, store):
    r = await client.post("/api/process/runSync", params={"clientId": "c", "timeout": "5"},
                          json={**RUN, "namespace": "payments", "name": "charge_card", "requestId": "req001",
                                "correlationId": "corr001"})
    data = r.json()
    assert r.status_code == 200 and data["status"] == "COMPLETED" and data["output"]
    assert data["requestId"] == "req001" and data["correlationId"] == "corr001"
    assert data["input"]["source"] == "meshdeck-mock" and data["input"]["test1"] == "value"
    assert data["stepRecords"] and all(s["status"] in ("COMPLETED", "SKIPPED") for s in data["stepRecords"])
    assert store.get_process(data["processId"])["status"] == "COMPLETED"


async def test_run_async_runs_then_completes(client, clock):
    data = (await client.post("/api/process/runAsync", params={"clientId": "c"}, json=RUN)).json()
    assert data["status"] == "RUNNING" and data["processId"] > 1_000_000
    clock.advance(10)
    assert await status_of(client, data["processId"]) == "COMPLETED"


@pytest.mark.parametrize("path", ["runSync", "runAsync"])
async def test_run_unknown_definition_is_404(client, path):
    r = await client.post(f"/api/process/{path}", json={"namespace": "nope", "name": "missing"})
    assert r.status_code == 404 and "missing" in r.json()["errorMessage"]


async def test_rerun_makes_a_new_process_and_keeps_the_old(client, store):
    old = find(store, status="FAILED", name="charge_card")
    before = store.get_process(old)
    r = await client.post("/api/process/rerun", params={"clientId": "c", "processId": str(old), "version": "1"})
    new = r.json()
    assert r.status_code == 200 and new["processId"] != old
    assert (new["name"], new["version"], new["input"]) == ("charge_card", 1, before["input"])
    assert store.get_process(old) == before
    r = await client.post("/api/process/rerun", params={"processId": "5"})
    assert r.status_code == 404


async def test_resume_with_version(client, store):
    pid = find(store, status="FAILED", name="charge_card")
    r = await client.post("/api/process/resumeWithVersion", params={"processId": pid, "version": 3})
    assert r.status_code == 200 and store.processes[pid]["status"] == "RUNNING"
    assert store.processes[pid]["version"] == 3


@pytest.mark.parametrize("endpoint", ["test_process_endpoint", "create_order", "refund_payment", "send_email"])
async def test_api_mapping_sync_and_async(client, endpoint):
    r = await client.post(f"/api/call/{endpoint}", params={"id": "req-1", "correlationId": "c-1",
                                                            "apiCallType": "SYNC"}, json={"test": "value"})
    sync = r.json()
    assert r.status_code == 200 and sync["status"] == "COMPLETED" and sync["output"]
    assert sync["triggerType"] == "API_MAPPING" and sync["requestId"] == "req-1"
    r = await client.get(f"/api/call/{endpoint}", params={"apiCallType": "ASYNC", "correlationId": "c-2"})
    assert r.json()["status"] == "RUNNING" and r.json()["processId"]


async def test_api_mapping_defaults_to_async(client):
    assert (await client.get("/api/call/create_order")).json()["status"] == "RUNNING"


async def test_api_mapping_stream_is_ndjson(client, store):
    store.stream_delay = 0
    r = await client.post("/api/call/create_order", params={"apiCallType": "STREAM"}, json={"orderId": "o-1"})
    assert r.status_code == 200 and "ndjson" in r.headers["content-type"]
    lines = [json.loads(x) for x in r.text.splitlines() if x.strip()]
    *steps, final = lines
    assert steps and all(s["status"] in ("COMPLETED", "SKIPPED") and "ref" in s for s in steps)
    assert final["status"] == "COMPLETED" and final["processId"] == steps[0]["processId"]


async def test_api_mapping_unknown_endpoint_404(client):
    r = await client.get("/api/call/does_not_exist")
    assert r.status_code == 404 and r.json()["errorMessage"]
