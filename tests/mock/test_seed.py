"""The generated data: deterministic, production-like, lazily stepped."""

from __future__ import annotations

import time
from collections import Counter

from console.mock.catalog import flatten
from console.mock.clock import FROZEN_NOW_MS, FakeClock, frozen_clock
from console.mock.search import search
from console.mock.store import MockStore

from .conftest import find


def test_same_seed_same_data():
    a = MockStore(seed=3, executions=500, clock=frozen_clock)
    b = MockStore(seed=3, executions=500, clock=frozen_clock)
    assert a.processes == b.processes
    pid = find(a, status="FAILED")
    assert a.get_process(pid, include_steps=True) == b.get_process(pid, include_steps=True)
    c = MockStore(seed=4, executions=500, clock=frozen_clock)
    assert [p["requestId"] for p in c.processes.values()] != [p["requestId"] for p in a.processes.values()]


def test_frozen_now_is_2026_11_25_noon_utc():
    assert FROZEN_NOW_MS == 1_795_608_000_000
    assert frozen_clock() == FROZEN_NOW_MS
    clock = FakeClock()
    assert clock() == FROZEN_NOW_MS and clock.advance(1.5) == FROZEN_NOW_MS + 1500


def test_definitions_catalog(store):
    defs = store.list_definitions()
    assert len(defs) >= 20
    assert len({d["namespace"] for d in defs}) >= 3
    assert any(d["namespace"] == "default" and d["name"] == "test_process" for d in defs)
    types = set()
    for d in defs:
        flat = flatten(d["steps"])
        assert 3 <= len(flat) <= 15, d["name"]
        types |= {s["type"] for s, _ in flat}
        assert not any(k.startswith("_") for k in d)
    assert {"WORKER", "HTTP", "JAVASCRIPT", "SWITCH", "PARALLEL", "FOREACH", "SUB_PROCESS", "WAIT", "JQ",
            "NOOP"} <= types
    assert any(len(store.versions(d["namespace"], d["name"])) > 1 for d in defs)


def test_executions_look_like_production(store, clock):
    procs = list(store.processes.values())
    assert len(procs) == 3000
    statuses = Counter(p["status"] for p in procs)
    assert statuses.most_common(1)[0][0] == "COMPLETED"
    assert set(statuses) == {"COMPLETED", "FAILED", "TIMED_OUT", "RUNNING", "TERMINATED", "CANCELLED", "REVIEWED"}
    assert {p["triggerType"] for p in procs} == {"MANUAL", "SCHEDULED", "API_MAPPING", "WEBHOOK", "API",
                                                 "SUB_PROCESS"}
    assert {"STANDARD", "API_ORCHESTRATION", "INTERNAL", "DYNAMIC"} <= {p["processType"] for p in procs}
    week = 7 * 86_400_000
    assert all(clock() - week <= p["created"] <= clock() for p in procs)
    ids = sorted(store.processes)
    assert ids[0] >= 1_000_000
    assert [store.processes[i]["created"] for i in ids] == sorted(p["created"] for p in procs)
    assert any(p["correlationId"].startswith("order-") for p in procs)
    assert len({p["requestId"] for p in procs}) == len(procs)
    failed = store.processes[find(store, status="FAILED")]
    assert failed["output"]["error"]
    assert all(isinstance(t, dict) and {"name", "value"} <= set(t) for t in failed["tags"])


def test_process_without_steps_has_empty_step_records(store):
    data = store.get_process(find(store, status="COMPLETED"))
    assert data["stepRecords"] == []
    assert data["steps"] and {"id", "processId", "ref"} == set(data["steps"][0])
    assert {"created", "updated"} <= set(data) and not any(k.startswith("_") for k in data)


def test_lazy_steps_are_nested_deterministic_and_carry_errors(store):
    pid = find(store, status="FAILED", pred=lambda p: p["name"] in ("create_order", "daily_digest", "gdpr_export"))
    data = store.get_process(pid, include_steps=True)
    records = data["stepRecords"]
    assert records == store.get_process(pid, include_steps=True)["stepRecords"]
    ids = [s["id"] for s in records]
    assert len(set(ids)) == len(ids) and all(i // 100 == pid for i in ids)
    by_id = {s["id"]: s for s in records}
    for s in records:
        assert {"start", "schedule", "updated", "executionList", "status", "type"} <= set(s)
        if s["parentId"] is not None:
            assert by_id[s["parentId"]]["ref"] == s["parentRef"]
    failing = [s for s in records if s["status"] == "FAILED"]
    assert any("error" in s["output"] for s in failing)
    assert any(len(s["executionList"]) > 1 for s in failing)  # retried attempts
    assert [{"id": s["id"], "processId": pid, "ref": s["ref"]} for s in records] == data["steps"]


def test_some_processes_have_nested_steps(store):
    nested = 0
    for pid in list(store.processes)[:200]:
        recs = store.get_process(pid, include_steps=True)["stepRecords"]
        nested += any(s["parentId"] for s in recs)
    assert nested > 20


def test_hundred_thousand_executions_build_and_search():
    started = time.perf_counter()
    store = MockStore(seed=7, executions=100_000, clock=frozen_clock)
    built = time.perf_counter() - started
    assert len(store.processes) == 100_000
    started = time.perf_counter()
    hits = search(store, {"statuses": "FAILED", "names": "charge_card", "startTimeEpoch": "0", "limit": "50"})
    took = time.perf_counter() - started
    assert hits and all(h["status"] == "FAILED" and h["name"] == "charge_card" for h in hits)
    print(f"\n100k build {built:.2f}s, one filtered search {took * 1000:.2f} ms")  # measured, not asserted
