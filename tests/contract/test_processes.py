"""Contract: running, reading, rerunning processes, API mappings and definitions, over both
transports (in process through ASGI, and over real HTTP to uvicorn)."""

from __future__ import annotations

import uuid

import pytest

from console import errors
from console.models import ProcessData, ProcessRequest, StepData

from .conftest import pick


def request(**kw) -> ProcessRequest:
    base = dict(namespace="default", name="test_process", version=1,
                request_id=f"req-{uuid.uuid4()}", correlation_id=f"corr-{uuid.uuid4()}",
                input={"test1": "value", "test2": 100, "test3": 100.0})
    return ProcessRequest(**(base | kw))


# ---- run ---------------------------------------------------------------------------------------

async def test_run_sync_returns_the_completed_process_with_output(env):
    req = request()
    done = await env.backend.run_sync(req, timeout=5)
    assert isinstance(done, ProcessData)
    assert done.status == "COMPLETED" and done.output
    assert (done.namespace, done.name, done.version) == ("default", "test_process", 1)
    assert done.request_id == req.request_id and done.correlation_id == req.correlation_id
    assert done.input["test1"] == "value" and done.input["test2"] == 100
    assert done.trigger_type == "API"
    assert env.status(done.process_id) == "COMPLETED"
    assert env.store.processes[done.process_id]["requestId"] == req.request_id


async def test_run_async_returns_running_then_finishes_as_the_clock_moves(env):
    started = await env.backend.run_async(request(version=2, input={"orderId": "ord_1"}))
    assert started.status == "RUNNING" and started.version == 2
    assert env.status(started.process_id) == "RUNNING"
    again = await env.backend.get_process(started.process_id)
    assert again.status == "RUNNING"
    env.clock.advance(120)
    finished = await env.backend.get_process(started.process_id, include_steps=True)
    assert finished.status == "COMPLETED" and finished.output
    assert finished.input["orderId"] == "ord_1"
    assert finished.step_records and all(s.process_id == started.process_id
                                         for s in finished.step_records)


async def test_run_of_an_unknown_definition_is_not_found(env):
    with pytest.raises(errors.NotFound) as info:
        await env.backend.run_sync(request(name="no_such_process"))
    assert "no_such_process" in str(info.value)
    with pytest.raises(errors.NotFound):
        await env.backend.run_async(request(name="no_such_process"))


# ---- read --------------------------------------------------------------------------------------

async def test_get_process_without_steps_matches_the_server_and_has_no_step_records(env):
    pid = pick(env.store, status="FAILED")[0]
    got = await env.backend.get_process(pid)
    wire = env.store.get_process(pid)
    assert got.step_records == [] and wire["stepRecords"] == []
    assert got.steps and [s.id for s in got.steps] == [s["id"] for s in wire["steps"]]
    assert got.to_wire() == wire  # every field, nothing lost or invented
    assert got.created_at is not None and got.created_at.tzinfo is not None


async def test_get_process_with_steps_has_the_records_and_the_failing_step(env):
    pid = pick(env.store, 2, status="FAILED")[1]
    got = await env.backend.get_process(pid, include_steps=True)
    wire = env.store.get_process(pid, include_steps=True)
    assert [s.id for s in got.step_records] == [s["id"] for s in wire["stepRecords"]]
    assert all(isinstance(s, StepData) for s in got.step_records)
    broke = got.failed_step()
    assert broke is not None and broke.status in ("FAILED", "TIMED_OUT") and broke.error
    assert got.to_wire() == wire


async def test_get_step_returns_the_same_record_as_the_process(env):
    pid = pick(env.store, status="COMPLETED")[0]
    process = await env.backend.get_process(pid, include_steps=True)
    for record in process.step_records[:3]:
        step = await env.backend.get_step(record.id)
        assert step == record
        assert step.to_wire() == env.store.get_step(record.id)
    retried = [s for s in process.step_records if len(s.execution_list or []) > 1]
    if retried:
        assert retried[0].attempts == len(retried[0].execution_list)
    with pytest.raises(errors.NotFound):
        await env.backend.get_step(pid * 100 + 99)


async def test_get_many_fetches_concurrently_in_input_order_with_unknown_ids(env):
    known = [str(pid) for pid in sorted(env.store.processes)[:45]]
    unknown = ["1", "2", "3", "999999999", "424242"]
    ids = known[:20] + unknown[:2] + known[20:] + unknown[2:]
    fetched = await env.backend.get_many(ids)
    assert [f.id for f in fetched] == ids
    for f in fetched:
        if f.id in unknown:
            assert f.process is None and isinstance(f.error, errors.NotFound)
        else:
            assert f.error is None and str(f.process.process_id) == f.id
            assert f.process.status == env.status(f.id)
            assert f.process.step_records == []
    with_steps = await env.backend.get_many(known[:5], include_steps=True)
    assert all(f.process.step_records for f in with_steps)


# ---- rerun -------------------------------------------------------------------------------------

async def test_rerun_starts_a_new_process_and_leaves_the_original_alone(env):
    pid = pick(env.store, 3, status="FAILED")[2]
    before = env.store.get_process(pid)
    new = await env.backend.rerun(pid)
    assert new.process_id != pid and new.process_id in env.store.processes
    assert new.status == "RUNNING"
    assert (new.namespace, new.name, new.version) == (before["namespace"], before["name"],
                                                      before["version"])
    assert new.input == before["input"]
    assert env.store.get_process(pid) == before


async def test_rerun_with_a_version_and_of_an_unknown_id(env):
    pid = pick(env.store, status="COMPLETED",
               pred=lambda p: p["name"] == "test_process" and p["version"] == 2)[0]
    new = await env.backend.rerun(pid, version=1)
    assert new.version == 1 and new.name == "test_process" and new.process_id != pid
    with pytest.raises(errors.NotFound):
        await env.backend.rerun(7)


# ---- API mappings ------------------------------------------------------------------------------

async def test_api_mapping_get_sync_waits_for_the_output(env):
    answer = await env.backend.call_api_mapping(
        "test_process_endpoint", request_id="req-get-sync", correlation_id="corr-get-sync",
        call_type="SYNC")
    assert answer["status"] == "COMPLETED" and answer["output"]
    assert answer["requestId"] == "req-get-sync" and answer["correlationId"] == "corr-get-sync"
    assert answer["triggerType"] == "API_MAPPING"
    assert env.status(answer["processId"]) == "COMPLETED"


async def test_api_mapping_post_passes_the_body_as_input(env):
    body = {"orderId": "ord_contract", "amount": 12.5}
    sync = await env.backend.call_api_mapping("create_order", method="POST", body=body,
                                              call_type="SYNC")
    assert sync["status"] == "COMPLETED" and sync["name"] == "create_order"
    assert sync["input"]["orderId"] == "ord_contract" and sync["input"]["amount"] == 12.5
    queued = await env.backend.call_api_mapping("create_order", method="POST", body=body,
                                                call_type="ASYNC")
    assert queued["status"] == "RUNNING"
    assert env.status(queued["processId"]) == "RUNNING"


async def test_api_mapping_async_is_the_default_and_unknown_endpoints_are_not_found(env):
    answer = await env.backend.call_api_mapping("send_email")
    assert answer["status"] == "RUNNING"
    with pytest.raises(errors.NotFound) as info:
        await env.backend.call_api_mapping("no_such_endpoint", call_type="SYNC")
    assert "no_such_endpoint" in str(info.value)


async def test_stream_api_mapping_sends_each_step_then_the_process(env):
    lines = [line async for line in env.backend.stream_api_mapping(
        "test_process_endpoint", method="POST", body={"k": "v"}, request_id="req-stream")]
    *steps, final = lines
    assert final["status"] == "COMPLETED" and final["requestId"] == "req-stream"
    assert final["input"]["k"] == "v"
    assert steps and [s["id"] for s in steps] == [s["id"] for s in final["stepRecords"]]
    assert all(s["processId"] == final["processId"] for s in steps)
    with pytest.raises(errors.NotFound):
        async for _ in env.backend.stream_api_mapping("no_such_endpoint"):
            pass


# ---- definitions -------------------------------------------------------------------------------

async def test_definitions_list_one_version_and_versions(env):
    defs = await env.backend.list_definitions()
    assert len(defs) >= 20 and len({d.namespace for d in defs}) >= 3
    assert {(d.namespace, d.name) for d in defs} == set(env.store.definitions)
    versions = await env.backend.definition_versions("payments", "charge_card")
    assert versions == sorted(env.store.definitions[("payments", "charge_card")]) and len(versions) > 1
    latest = await env.backend.get_definition("payments", "charge_card")
    first = await env.backend.get_definition("payments", "charge_card", version=versions[0])
    assert latest.version == versions[-1] and first.version == versions[0]
    assert first.step_count < latest.step_count
    assert latest.to_wire() == env.store.definition("payments", "charge_card")
    nested = [s for s in latest.steps if s.children]
    assert nested and nested[0].children[0].ref


async def test_definitions_unknown_and_namespaces(env):
    with pytest.raises(errors.NotFound):
        await env.backend.get_definition("default", "no_such_process")
    with pytest.raises(errors.NotFound):
        await env.backend.get_definition("payments", "charge_card", version=99)
    with pytest.raises(errors.NotFound):
        await env.backend.definition_versions("nowhere", "nothing")
    names = await env.backend.namespaces()
    assert names == sorted({ns for ns, _ in env.store.definitions})
    assert {"default", "payments", "orders"} <= set(names)
