"""Live processes in the mock (in process, on a FakeClock): your definitions run step by step,
WORKER steps wait for workers speaking the SDK's three endpoints, seeded definitions hand a step
to a real worker once one registers for it."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from console.mock.app import create_app
from console.mock.clock import FakeClock

from .conftest import find


def definition(name: str, steps: list[dict], **extra) -> tuple[str, dict]:
    return f"{name}.yaml", {"namespace": "default", "name": name, "type": "STANDARD", "steps": steps, **extra}


def worker(name: str, **extra) -> dict:
    return {"ref": name, "type": "WORKER", "name": name, **extra}


FLOW = definition("flow", [
    worker("first", input={"who": "{{ context.input.name }}", "fixed": 7}),
    {"ref": "fan", "type": "PARALLEL", "children": [
        worker("second", input={"greeting": "{{ steps.first.output.greeting }}"}),
        {"ref": "note", "type": "NOOP", "input": {"text": "said {{ steps.first.output.greeting }}"}},
    ]},
], outputMapping={"greeting": "{{ steps.second.output.echo.greeting }}", "note": "{{ steps.note.output.text }}"})
KINDS = definition("kinds", [
    {"ref": "pause", "type": "WAIT", "input": {"waitSeconds": 30}},
    {"ref": "route", "type": "SWITCH", "input": {"case": "{{ context.input.route }}"}, "children": [
        {"ref": "fast", "type": "NOOP", "input": {"path": "fast"}},
        {"ref": "default", "type": "NOOP", "input": {"path": "default"}},
    ]},
    {"ref": "script", "type": "JAVASCRIPT", "input": {"script": "() => 1"}},
    {"ref": "maybe", "type": "WORKER", "name": "maybe", "optional": True},
    {"ref": "stop", "type": "EXIT", "input": {"ended": True}},
    {"ref": "never", "type": "NOOP"},
])
BROKEN = definition("broken", [{"ref": "boom", "type": "FAIL", "input": {"message": "bad input"}},
                               {"ref": "after", "type": "NOOP"}])
RACE = definition("race", [{"ref": "both", "type": "PARALLEL", "children": [
    worker("slow"), {"ref": "quit", "type": "EXIT", "input": {"why": "enough"}}]}])
RETRIED = definition("retried", [worker("shaky", configuration={"errorPolicyName": "retry_1_fixed"})])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def dev(clock):
    app = create_app(seed=7, executions=300, clock=clock, definitions=[FLOW, KINDS, BROKEN, RETRIED, RACE])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as c:
        c.store = app.state.store
        yield c


async def run(c, name: str, inp: dict | None = None, namespace: str = "default") -> int:
    answer = await c.post("/api/process/runAsync", json={"namespace": namespace, "name": name,
                                                          "input": inp or {}})
    assert answer.status_code == 200, answer.text
    return answer.json()["processId"]


async def get(c, pid: int) -> dict:
    return (await c.get(f"/api/process/context/{pid}", params={"includeSteps": "True"})).json()


def queue(name: str, namespace: str = "default") -> dict:
    return {"orgId": 0, "namespace": namespace, "stepType": "WORKER", "name": name}


async def poll(c, *entries: tuple[str, int], size: int = 100, host: str = "host-1") -> list[dict]:
    body = [{"stepQueueNameData": queue(name), "size": n} for name, n in entries]
    answer = await c.post("/api/clients/poll", params={"size": size}, json=body,
                          headers={"UNMESHED_HOST_NAME": host})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def report(c, work: dict, status: str = "COMPLETED", output: dict | None = None, **extra) -> dict:
    result = {k: work[k] for k in ("processId", "stepId", "stepExecutionId", "shardInstanceId")}
    answer = await c.post("/api/clients/bulkResults",
                          json=[{**result, "status": status, "output": output or {}, **extra}])
    return answer.json()[str(work["stepId"])]


def by_ref(process: dict) -> dict[str, dict]:
    return {s["ref"]: s for s in process["stepRecords"]}


async def test_your_definition_waits_for_workers_and_maps_outputs_step_to_step(dev):
    pid = await run(dev, "flow", {"name": "ana"})
    first = by_ref(await get(dev, pid))["first"]
    assert first["status"] == "SCHEDULED" and first["input"] == {"who": "ana", "fixed": 7}
    assert first["start"] == 0 and len(first["executionList"]) == 1

    [work] = await poll(dev, ("first", 5), host="laptop")
    assert work["stepRef"] == "first" and work["inputParam"] == {"who": "ana", "fixed": 7}
    assert work["stepName"] == "first" and work["stepNamespace"] == "default"
    assert {"stepExecutionId", "polled", "scheduled", "updated", "priority", "shardInstanceId"} <= set(work)
    assert by_ref(await get(dev, pid))["first"]["status"] == "RUNNING"
    assert (await report(dev, work, output={"greeting": "hi ana"}))["errorMessage"] is None

    steps = by_ref(await get(dev, pid))
    assert steps["first"]["workerId"] == "laptop" and steps["first"]["executionList"][0]["executor"] == "laptop"
    assert steps["fan"]["status"] == "RUNNING" and steps["note"]["status"] == "COMPLETED"
    assert steps["second"]["status"] == "SCHEDULED" and steps["second"]["input"] == {"greeting": "hi ana"}
    [work] = await poll(dev, ("second", 5))
    await report(dev, work, output={"echo": work["inputParam"]})
    done = await get(dev, pid)
    assert done["status"] == "COMPLETED"
    assert done["output"] == {"greeting": "hi ana", "note": "said hi ana"}
    assert by_ref(done)["fan"]["output"] == {"second": {"echo": {"greeting": "hi ana"}},
                                             "note": {"text": "said hi ana"}}
    assert [s["ref"] for s in done["stepRecords"]] == ["first", "fan", "second", "note"]


async def test_poll_hands_out_at_most_each_workers_size_and_the_batch(dev):
    pids = [await run(dev, "flow", {"name": str(i)}) for i in range(5)]
    got = await poll(dev, ("first", 2))  # the SDK's size: max_in_progress minus what it runs
    assert [w["processId"] for w in got] == pids[:2]
    got = await poll(dev, ("first", 10), size=1)  # ?size= caps the whole answer
    assert [w["processId"] for w in got] == pids[2:3]
    view = (await dev.get("/__mock/workers")).json()
    row = next(q for q in view["queues"] if q["name"] == "first")
    assert row["inProgress"] == 3 and row["waiting"] == 2 and row["handedOut"] == 3
    assert row["hosts"] == ["host-1"] and row["lastPoll"] and row["registered"]
    assert "mock" in view["mockOnly"]


async def test_running_with_reschedule_comes_back_after_the_delay(dev, clock):
    pid = await run(dev, "flow")
    [work] = await poll(dev, ("first", 1))
    assert (await report(dev, work, "RUNNING", {"progress": 50}, rescheduleAfterSeconds=30))["errorMessage"] is None
    step = by_ref(await get(dev, pid))["first"]
    assert step["status"] == "RUNNING" and step["output"] == {"progress": 50}
    clock.advance(29)
    assert await poll(dev, ("first", 1)) == []
    clock.advance(1)
    [again] = await poll(dev, ("first", 1))
    assert again["stepId"] == work["stepId"] and again["runCount"] == 2
    assert again["stepExecutionId"] == work["stepExecutionId"]  # the same attempt, run again


async def test_a_failure_is_retried_as_its_policy_says_then_fails_and_resume_retries(dev):
    pid = await run(dev, "retried")
    for attempt in (1, 2):  # retry_1: the first try and one retry
        [work] = await poll(dev, ("shaky", 1))
        await report(dev, work, "FAILED", {"lastError": f"try {attempt}"})
    failed = await get(dev, pid)
    assert failed["status"] == "FAILED" and failed["output"]["error"] == "try 2"
    assert failed["output"]["failedStep"] == "shaky"
    assert [e["output"] for e in by_ref(failed)["shaky"]["executionList"]] == [
        {"lastError": "try 1"}, {"lastError": "try 2"}]
    assert await poll(dev, ("shaky", 1)) == []

    resumed = (await dev.post("/api/process/bulkResume", json=[pid])).json()
    assert resumed["count"] == 1
    [work] = await poll(dev, ("shaky", 1))
    await report(dev, work, output={"ok": True})
    done = await get(dev, pid)
    assert done["status"] == "COMPLETED" and len(by_ref(done)["shaky"]["executionList"]) == 3


async def test_terminate_cancels_the_waiting_step_and_a_late_result_is_refused(dev):
    pid = await run(dev, "flow")
    [work] = await poll(dev, ("first", 1))
    await dev.post("/api/process/bulkTerminate", json=[pid], params={"reason": "enough"})
    stopped = await get(dev, pid)
    assert stopped["status"] == "TERMINATED" and by_ref(stopped)["first"]["status"] == "CANCELLED"
    late = await report(dev, work)
    assert "not in RUNNING state" in late["errorMessage"] and "error_message" not in late

    await dev.post("/api/process/bulkResume", json=[pid])  # back to the worker's queue
    [again] = await poll(dev, ("first", 1))
    assert again["stepId"] == work["stepId"] and again["stepExecutionId"] != work["stepExecutionId"]


async def test_each_step_type_does_what_docs_mock_md_says(dev, clock):
    pid = await run(dev, "kinds", {"route": "fast"})
    assert by_ref(await get(dev, pid))["pause"]["status"] == "RUNNING"
    clock.advance(30)
    steps = by_ref(await get(dev, pid))
    assert steps["pause"]["status"] == "COMPLETED" and steps["pause"]["output"] == {"waitedSeconds": 30.0}
    assert steps["fast"]["status"] == "COMPLETED" and steps["default"]["status"] == "SKIPPED"
    assert steps["route"]["output"] == {"selectedCase": "fast"}
    assert steps["script"]["output"]["result"] is None and "does not run" in steps["script"]["output"]["mock"]
    [work] = await poll(dev, ("maybe", 1))
    await report(dev, work, "FAILED", {"lastError": "optional, so what"})
    done = await get(dev, pid)
    assert done["status"] == "COMPLETED" and done["output"] == {"ended": True}  # EXIT's input
    assert "never" not in by_ref(done) and by_ref(done)["maybe"]["status"] == "FAILED"

    other = await run(dev, "kinds", {"route": "nowhere"})
    clock.advance(30)
    steps = by_ref(await get(dev, other))
    assert steps["route"]["output"] == {"selectedCase": "default"} and steps["fast"]["status"] == "SKIPPED"
    failed = await get(dev, await run(dev, "broken"))
    assert failed["status"] == "FAILED" and failed["output"]["error"] == "bad input"
    assert "after" not in by_ref(failed)


async def test_an_exit_in_one_branch_ends_the_process_and_cancels_the_others(dev):
    done = await get(dev, await run(dev, "race"))
    assert done["status"] == "COMPLETED" and done["output"] == {"why": "enough"}
    assert by_ref(done)["slow"]["status"] == "CANCELLED"
    assert await poll(dev, ("slow", 1)) == []


async def test_seeded_definitions_stay_simulated_until_a_worker_registers(dev, clock):
    store = dev.store
    simulated = await run(dev, "refund_payment", namespace="payments")
    assert "_live" not in store.processes[simulated]

    await dev.put("/api/clients/register", json=[queue("ledger-writer", "payments")])
    pid = await run(dev, "refund_payment", namespace="payments")
    steps = by_ref(await get(dev, pid))
    assert steps["record_ledger"]["status"] == "SCHEDULED"  # the real worker's step waits
    assert steps["load_charge"]["status"] == "COMPLETED"  # the others stay simulated
    body = [{"stepQueueNameData": queue("ledger-writer", "payments"), "size": 1}]
    [work] = (await dev.post("/api/clients/poll", json=body)).json()
    await report(dev, work, output={"ledger": "written"})
    done = await get(dev, pid)
    assert done["status"] == "COMPLETED"
    assert by_ref(done)["record_ledger"]["output"] == {"ledger": "written"}
    assert by_ref(done)["send_receipt"]["executionList"][0]["executor"] == "meshdeck-mock"


async def test_resuming_a_seeded_failure_hands_the_step_to_a_registered_worker(dev):
    store = dev.store
    info = store.infos[("default", "test_process", 2)]
    index = next(i for i, (s, _) in enumerate(info["flat"]) if s["name"] == "test_worker")
    pid = find(store, status="FAILED", name="test_process",
               pred=lambda p: p["version"] == 2 and p["_fail"] == index)
    await dev.put("/api/clients/register", json=[queue("test_worker")])
    assert (await dev.post("/api/process/bulkResume", json=[pid])).json()["count"] == 1
    [work] = await poll(dev, ("test_worker", 1))
    assert work["processId"] == pid
    await report(dev, work, output={"fixed": True})
    done = await get(dev, pid)
    assert done["status"] == "COMPLETED" and by_ref(done)["test_worker"]["output"] == {"fixed": True}
    assert len(by_ref(done)["test_worker"]["executionList"]) >= 2  # the simulated attempts, then ours


async def test_run_sync_waits_for_a_live_process_up_to_its_timeout(dev):
    answer = await dev.post("/api/process/runSync", params={"timeout": "1"},
                            json={"namespace": "default", "name": "flow"})
    assert answer.status_code == 200 and answer.json()["status"] == "RUNNING"  # nobody polled
    done = await dev.post("/api/process/runSync", json={"namespace": "default", "name": "broken"})
    assert done.json()["status"] == "FAILED"


async def test_definitions_written_through_the_api_are_served_and_run(dev):
    new = {"namespace": "dev", "name": "made_by_api", "type": "STANDARD",
           "steps": [{"ref": "only", "type": "WORKER", "name": "api_step", "children": None,
                      "configuration": None, "input": {"n": "{{ context.input.n }}"}}]}
    created = await dev.post("/api/processDefinitions", json=new)
    assert created.status_code == 200, created.text
    assert created.json()["version"] == 1
    again = await dev.post("/api/processDefinitions", json={**new, "version": 1})
    assert again.status_code == 400 and "exists" in again.json()["errorMessage"]
    updated = await dev.put("/api/processDefinitions", json={**new, "version": 2})
    assert updated.status_code == 200
    assert (await dev.get("/api/processDefinitions/dev/made_by_api")).json()["version"] == 2

    pid = await run(dev, "made_by_api", {"n": 3}, namespace="dev")
    body = [{"stepQueueNameData": queue("api_step", "dev"), "size": 1}]
    [work] = (await dev.post("/api/clients/poll", json=body)).json()
    assert work["inputParam"] == {"n": 3} and work["stepNamespace"] == "dev"
    await report(dev, work, output={"n": 4})
    assert (await get(dev, pid))["output"] == {"n": 4}

    bad = await dev.put("/api/processDefinitions", json={**new, "steps": [{"ref": "a"}]})
    assert bad.status_code == 400 and "'steps[0].type'" in bad.json()["errorMessage"]


async def test_a_seeded_versions_steps_cannot_be_replaced_through_the_api(dev):
    """Its executions are built from its steps: different ones would break them. The same steps
    with another description may be written, as on a real server."""
    current = (await dev.get("/api/processDefinitions/default/test_process", params={"version": 1})).json()
    described = await dev.put("/api/processDefinitions", json={**current, "description": "new"})
    assert described.status_code == 200, described.text
    replaced = await dev.put("/api/processDefinitions", json={**current, "steps": current["steps"][:1]})
    assert replaced.status_code == 400 and "seeded" in replaced.json()["errorMessage"]
    added = await dev.put("/api/processDefinitions", json={**current, "version": 9})
    assert added.status_code == 200 and added.json()["version"] == 9


async def test_the_worker_view_needs_no_auth_even_when_the_api_does():
    app = create_app(executions=10, clock=FakeClock(), require_auth="cid:tok", empty=True,
                     definitions=[FLOW])
    bearer = f"Bearer client.sdk.cid.{hashlib.sha256(b'tok').hexdigest()}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://m") as c:
        assert (await c.get("/api/processDefinitions")).status_code == 401
        assert (await c.get("/__mock/workers")).json()["queues"] == []
        await c.post("/api/process/runAsync", json={"name": "flow"}, headers={"Authorization": bearer})
        [row] = (await c.get("/__mock/workers")).json()["queues"]
        assert row["name"] == "first" and row["waiting"] == 1 and row["lastPoll"] is None
        names = [d["name"] for d in (await c.get("/api/processDefinitions",
                                                 headers={"Authorization": bearer})).json()]
        assert names == ["flow"]  # --empty: yours only


def test_a_seeded_version_cannot_be_replaced_but_a_new_one_runs_like_the_seeded():
    clash = definition("test_process", [], version=2)
    with pytest.raises(ValueError, match=r"^test_process.yaml: default/test_process version 2 is one of"):
        create_app(executions=10, clock=FakeClock(), definitions=[clash])
    added = create_app(executions=10, clock=FakeClock(), definitions=[
        definition("test_process", [worker("test_worker")], version=3)])
    store = added.state.store
    assert store.definition("default", "test_process")["version"] == 3
    p = store.start("default", "test_process", sync=False)
    assert p["version"] == 3 and "_live" not in p  # simulated, as the seeded versions are
