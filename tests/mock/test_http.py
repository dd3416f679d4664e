"""Definitions, steps, errors, auth and the worker protocol over HTTP."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from console.mock.app import create_app
from console.mock.clock import FakeClock

from .conftest import find


async def test_definitions_endpoints(client):
    defs = (await client.get("/api/processDefinitions")).json()
    assert len(defs) >= 20
    one = (await client.get("/api/processDefinitions/default/test_process")).json()
    assert one["name"] == "test_process" and one["steps"]
    versions = (await client.get("/api/processDefinitions/payments/charge_card/versions")).json()
    assert versions == [1, 2, 3]
    v1 = (await client.get("/api/processDefinitions/payments/charge_card", params={"version": 1})).json()
    v3 = (await client.get("/api/processDefinitions/payments/charge_card")).json()
    assert v1["version"] == 1 and v3["version"] == 3 and len(v1["steps"]) < len(v3["steps"])
    nested = [s for s in v3["steps"] if s["children"]]
    assert nested and nested[0]["children"][0]["ref"]
    r = await client.get("/api/processDefinitions/default/nope")
    assert r.status_code == 404 and r.json()["errorMessage"]
    r = await client.get("/api/processDefinitions/payments/charge_card", params={"version": "x"})
    assert r.status_code == 400


async def test_namespaces(client):
    names = {n["name"] for n in (await client.get("/api/namespaces")).json()}
    assert {"default", "payments", "orders", "notifications"} <= names


async def test_get_process_include_steps_case_insensitive(client, store):
    pid = find(store, status="COMPLETED")
    for flag in ("True", "true", "TRUE"):
        data = (await client.get(f"/api/process/context/{pid}", params={"includeSteps": flag})).json()
        assert data["stepRecords"]
    for flag in ("False", "false"):
        data = (await client.get(f"/api/process/context/{pid}", params={"includeSteps": flag})).json()
        assert data["stepRecords"] == [] and data["steps"]


async def test_step_context(client, store):
    pid = find(store, status="FAILED")
    steps = store.get_process(pid, include_steps=True)["stepRecords"]
    r = await client.get(f"/api/process/stepContext/{steps[-1]['id']}")
    assert r.status_code == 200 and r.json() == steps[-1]
    assert (await client.get(f"/api/process/stepContext/{pid * 100 + 99}")).status_code == 404
    assert (await client.get("/api/process/stepContext/x")).status_code == 400


@pytest.mark.parametrize("path,status", [("/api/process/context/1", 404), ("/api/process/context/abc", 400),
                                         ("/api/process/context/12?includeSteps=maybe", 400),
                                         ("/api/nothing/here", 404)])
async def test_error_bodies(client, path, status):
    r = await client.get(path)
    assert r.status_code == status
    assert isinstance(r.json()["errorMessage"], str)


async def test_auth_required():
    app = create_app(executions=50, clock=FakeClock(), require_auth="ops:s3cret")
    good = f"Bearer client.sdk.ops.{hashlib.sha256(b's3cret').hexdigest()}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://m") as c:
        for headers in ({}, {"Authorization": "Bearer client.sdk.ops.s3cret"},
                        {"Authorization": f"Bearer client.sdk.other.{hashlib.sha256(b's3cret').hexdigest()}"}):
            r = await c.get("/api/namespaces", headers=headers)
            assert r.status_code == 401 and r.json()["errorMessage"]
        assert (await c.get("/api/namespaces", headers={"Authorization": good})).status_code == 200


async def test_worker_register_poll_results(client, store, clock):
    queue = {"orgId": 0, "namespace": "default", "stepType": "WORKER", "name": "test_worker"}
    r = await client.put("/api/clients/register", json=[queue])
    assert r.status_code == 200 and r.text == "OK"
    poll = [{"stepQueueNameData": queue, "size": 10}]
    assert (await client.post("/api/clients/poll", params={"size": 10}, json=poll)).json() == []

    pid = (await client.post("/api/process/runAsync", json={"namespace": "default", "name": "test_process",
                                                            "input": {"n": 1}})).json()["processId"]
    clock.advance(60)  # parked on the worker step: time alone does not finish it
    assert (await client.get(f"/api/process/context/{pid}")).json()["status"] == "RUNNING"
    work = (await client.post("/api/clients/poll", params={"size": 10}, json=poll,
                              headers={"UNMESHED_HOST_NAME": "host-1"})).json()
    assert len(work) == 1 and work[0]["processId"] == pid and work[0]["stepRef"] == "test_worker"
    assert work[0]["inputParam"]["n"] == 1
    assert (await client.post("/api/clients/poll", params={"size": 10}, json=poll)).json() == []
    step = store.get_process(pid, include_steps=True)["stepRecords"]
    assert step[-1]["ref"] == "test_worker" and step[-1]["status"] == "RUNNING"

    result = {**{k: work[0][k] for k in ("processId", "stepId", "stepExecutionId", "runCount")},
              "output": {"greeting": "hi"}, "status": "StepStatus.COMPLETED"}
    answer = (await client.post("/api/clients/bulkResults", json=[result])).json()
    assert answer[str(work[0]["stepId"])]["errorMessage"] is None
    clock.advance(10)
    data = (await client.get(f"/api/process/context/{pid}", params={"includeSteps": "true"})).json()
    assert data["status"] == "COMPLETED"
    worker_step = next(s for s in data["stepRecords"] if s["ref"] == "test_worker")
    assert worker_step["output"] == {"greeting": "hi"}
    again = (await client.post("/api/clients/bulkResults", json=[result])).json()
    assert again[str(work[0]["stepId"])]["errorMessage"]


async def test_worker_failure_fails_the_process_after_the_steps_retries(client, store):
    """test_worker's policy is retry_3_linear: three failures are retried, the fourth fails it."""
    queue = {"orgId": 0, "namespace": "default", "stepType": "WORKER", "name": "test_worker"}
    await client.put("/api/clients/register", json=[queue])
    pid = (await client.post("/api/process/runAsync", json={"namespace": "default", "name": "test_process"})).json()["processId"]
    for attempt in range(4):
        assert store.get_process(pid)["status"] == "RUNNING", attempt
        work = (await client.post("/api/clients/poll", json=[{"stepQueueNameData": queue, "size": 1}])).json()
        assert len(work) == 1 and work[0]["runCount"] == 1
        await client.post("/api/clients/bulkResults", json=[{"processId": pid, "stepId": work[0]["stepId"],
                                                              "status": "FAILED", "output": {"error": f"boom {attempt}"}}])
    data = store.get_process(pid, include_steps=True)
    assert data["status"] == "FAILED" and data["output"]["error"] == "boom 3"
    step = next(s for s in data["stepRecords"] if s["ref"] == "test_worker")
    assert step["status"] == "FAILED" and [e["output"]["error"] for e in step["executionList"]] == [
        "boom 0", "boom 1", "boom 2", "boom 3"]