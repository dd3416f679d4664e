"""What the Conductor mock does to a workflow over time (in process, frozen clock): the rules of
``WorkflowExecutorOps`` that need the clock or the store to see (console/mock/conductor_ops.py)."""

from __future__ import annotations

import httpx
import pytest

from console.mock import conductor_dialect as cd
from console.mock import conductor_ids as ids
from console.mock.clock import FakeClock
from console.mock.conductor_app import create_conductor_app
from console.mock.conductor_tasks import build

HOUR = 3_600_000


@pytest.fixture
def mock():
    clock = FakeClock()
    app = create_conductor_app(seed=7, executions=400, clock=clock)
    app.state.clock = clock
    return app


@pytest.fixture
async def api(mock):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=mock),
                                 base_url="http://mock/api/") as client:
        yield client


def stored(mock, name: str, status: str) -> dict:
    return next(p for p in mock.state.store.processes.values()
                if p["name"] == name and cd.workflow_status(p) == status)


async def tasks(api, wid: str) -> list[dict]:
    return (await api.get(f"workflow/{wid}")).json()["tasks"]


def test_ids_lead_back_and_refuse_made_up_ones():
    assert ids.parse_workflow_id(ids.workflow_id(1_000_042)) == 1_000_042
    key = ids.parse_task_id(ids.task_id(1_000_042, 3, attempt=31, gen=5))
    assert (key.pid, key.idx, key.attempt, key.gen) == (1_000_042, 3, 31, 5)
    assert ids.task_id(1_000_042, 3) != ids.task_id(1_000_042, 3, attempt=1)
    child = ids.parse_child_id(ids.child_id(1_000_042, 7, 1))
    assert (child.idx, child.attempt) == (7, 1)
    assert ids.parse_task_id(ids.child_id(1_000_042, 7)) is None
    assert ids.parse_workflow_id(ids.task_id(1_000_042, 3)) is None
    assert ids.parse_task_id("000f426a-0004-4000-8000-000000000000") is None


async def test_terminate_relabels_a_failed_workflow_and_keeps_its_failed_task(mock, api):
    p = stored(mock, "charge_card", "FAILED")
    wid = ids.workflow_id(p["processId"])
    assert (await api.delete(f"workflow/{wid}", params={"reason": "done with it"})).status_code == 200
    wf = (await api.get(f"workflow/{wid}")).json()
    assert wf["status"] == "TERMINATED" and wf["reasonForIncompletion"] == "done with it"
    assert wf["tasks"][-1]["status"] == "FAILED"


async def test_a_fork_is_joined_and_its_join_waits_then_completes(mock, api):
    wid = (await api.post("workflow/dispute_chargeback", json={})).text
    mock.state.clock.advance(1)
    during = await tasks(api, wid)
    join = [t for t in during if t["taskType"] == "JOIN"]
    if join:  # the fork has started: its JOIN exists and waits
        assert join[0]["status"] == "IN_PROGRESS" and join[0]["inputData"]["joinOn"]
    mock.state.clock.advance(HOUR)
    after = await tasks(api, wid)
    types = [t["taskType"] for t in after]
    joined = after[types.index("JOIN")]
    assert types.index("FORK") < types.index("JOIN") and joined["status"] == "COMPLETED"
    assert set(joined["outputData"]) == set(joined["inputData"]["joinOn"])


async def test_a_failed_branch_cancels_the_join(mock, api):
    store = mock.state.store
    flat = store.info
    p = next(p for p in store.processes.values() if cd.workflow_status(p) == "FAILED"
             and p["_fail"] >= 0 and flat(p)["flat"][p["_fail"]][1] >= 0
             and flat(p)["flat"][flat(p)["flat"][p["_fail"]][1]][0]["type"] == "PARALLEL")
    found = await tasks(api, ids.workflow_id(p["processId"]))
    assert next(t for t in found if t["taskType"] == "JOIN")["status"] == "CANCELED"


async def test_a_sub_workflow_is_a_workflow_and_its_retry_starts_a_new_one(mock, api):
    store = mock.state.store
    p = next(p for p in store.processes.values() if p["name"] == "create_order"
             and cd.workflow_status(p) == "FAILED"
             and store.info(p)["flat"][p["_fail"]][0]["ref"] == "charge_card")
    wid = ids.workflow_id(p["processId"])
    sub = next(t for t in await tasks(api, wid) if t["taskType"] == "SUB_WORKFLOW")
    child = (await api.get(f"workflow/{sub['subWorkflowId']}")).json()
    assert (sub["status"], child["status"]) == ("FAILED", "FAILED")
    assert [t["referenceTaskName"] for t in child["tasks"]] == ["charge_card"] * 3
    assert "charge_card" not in {t["referenceTaskName"] for t in await tasks(api, wid)}
    assert (await api.post(f"workflow/{wid}/retry")).status_code == 204
    subs = [t for t in await tasks(api, wid) if t["taskType"] == "SUB_WORKFLOW"]
    assert len(subs) == 2 and subs[0]["retried"] and subs[1]["retriedTaskId"] == subs[0]["taskId"]
    assert subs[1]["subWorkflowId"] != subs[0]["subWorkflowId"]
    old = (await api.get(f"workflow/{subs[0]['subWorkflowId']}")).json()
    new = (await api.get(f"workflow/{subs[1]['subWorkflowId']}")).json()
    assert old["status"] == "FAILED" and new["status"] == "RUNNING"
    assert not {t["taskId"] for t in old["tasks"]} & {t["taskId"] for t in new["tasks"]}


async def test_skipping_the_step_a_run_would_fail_on_lets_it_complete(mock, api):
    store = mock.state.store
    for _ in range(20):  # a run bound to fail on a step that has not started yet
        wid = (await api.post("workflow/send_sms", json={})).text
        p = store.processes[ids.parse_workflow_id(wid)]
        p["_final"] = "FAILED"
        info = store.info(p)
        ref = info["flat"][info["failable"][(p["_r"] >> 58) % len(info["failable"])]][0]["ref"]
        if ref not in {t["referenceTaskName"] for t in await tasks(api, wid)}:
            break
    assert (await api.put(f"workflow/{wid}/skiptask/{ref}")).status_code == 200
    mock.state.clock.advance(HOUR)
    wf = (await api.get(f"workflow/{wid}")).json()
    assert wf["status"] == "COMPLETED"
    assert next(t for t in wf["tasks"] if t["referenceTaskName"] == ref)["status"] == "SKIPPED"


async def test_rerun_from_an_older_attempt_drops_the_later_ones(mock, api):
    p = stored(mock, "charge_card", "FAILED")
    wid = ids.workflow_id(p["processId"])
    before = await tasks(api, wid)
    ref = before[-1]["referenceTaskName"]
    attempts = [t for t in before if t["referenceTaskName"] == ref]
    assert len(attempts) == 3
    r = await api.post(f"workflow/{wid}/rerun", json={"reRunFromTaskId": attempts[0]["taskId"]})
    assert r.status_code == 200
    after = [t for t in await tasks(api, wid) if t["referenceTaskName"] == ref]
    assert [t["taskId"] for t in after] == [attempts[0]["taskId"]]
    assert after[0]["status"] in ("SCHEDULED", "IN_PROGRESS")


async def test_restart_gives_every_task_a_new_id(mock, api):
    p = stored(mock, "charge_card", "COMPLETED")
    wid = ids.workflow_id(p["processId"])
    before = {t["taskId"] for t in await tasks(api, wid)}
    assert (await api.post(f"workflow/{wid}/restart")).status_code == 204
    mock.state.clock.advance(HOUR)
    after = await tasks(api, wid)
    assert after and not before & {t["taskId"] for t in after}


async def test_removed_for_good_leaves_every_index(mock, api):
    store = mock.state.store
    p = stored(mock, "charge_card", "COMPLETED")
    pid, wid = p["processId"], ids.workflow_id(p["processId"])
    r = await api.delete(f"workflow/{wid}/remove", params={"archiveWorkflow": "false"})
    assert r.status_code == 200 and pid not in store.processes
    assert all(pid not in index for by in (store.by_status, store.by_name, store.by_namespace,
                                           store.by_correlation) for index in by.values())
    found = (await api.get("workflow/search", params={"query": f"workflowId IN ({wid})"})).json()
    assert found["totalHits"] == 0
    mock.state.clock.advance(HOUR)
    store.tick()  # a removed running process must not trip the clock either


async def test_a_paused_workflow_holds_its_task_in_progress(mock, api):
    wid = (await api.post("workflow/charge_card", json={})).text
    assert (await api.put(f"workflow/{wid}/pause")).status_code == 200
    mock.state.clock.advance(HOUR)
    wf = (await api.get(f"workflow/{wid}")).json()
    assert wf["status"] == "PAUSED" and wf["tasks"][-1]["status"] == "IN_PROGRESS"
    assert (await api.put(f"workflow/{wid}/resume")).status_code == 200
    mock.state.clock.advance(HOUR)
    assert (await api.get(f"workflow/{wid}/status")).json()["status"] == "COMPLETED"


def test_every_task_of_every_seeded_workflow_has_a_unique_id(mock):
    store = mock.state.store
    for p in list(store.processes.values())[:150]:
        seen = [t["taskId"] for t in build(store, p).all_tasks()]
        assert len(seen) == len(set(seen)), p["name"]
