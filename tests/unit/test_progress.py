"""Progress of what is running (console.services.progress): what a definition's history
teaches, how far a run is, when it should end, "slow", the cache, and the whole service against
the mock over the backend contract."""

from __future__ import annotations

import pytest

from console.connect import open_backend
from console.mock.app import create_app
from console.mock.clock import FROZEN_NOW_MS, FakeClock
from console.models import ProcessData, StepData
from console.services import progress as prog
from console.services.progress import (
    MIN_RUNS,
    ProfileCache,
    RunProfile,
    leaf_steps,
    learn,
    progress,
    progress_of_many,
)
from tests.contract.conftest import settings as client_settings

NOW = 1_000_000_000


def step(ref: str, status: str, start: int | None, end: int | None, sid: int,
         parent: int | None = None) -> StepData:
    return StepData(id=sid, ref=ref, status=status, start=start, updated=end, parent_id=parent)


def run(status: str, created: int, took: int | None, steps: list[StepData]) -> ProcessData:
    return ProcessData(process_id=created, name="checkout", namespace="shop", status=status,
                       created=created, updated=created + took if took else created,
                       step_records=steps)


def completed(n: int, took: int) -> list[ProcessData]:
    """``n`` completed runs of ``took`` ms: a (1 s), b (3 s), then c (6 s) in most of them."""
    runs = []
    for i in range(n):
        t = 10_000 * i
        steps = [step("a", "COMPLETED", t, t + 1000, 1), step("b", "COMPLETED", t + 1000,
                                                                t + 4000, 2)]
        if i % 4:  # c runs in 3 runs of 4
            steps.append(step("c", "COMPLETED", t + 4000, t + 10_000, 3))
        runs.append(run("COMPLETED", t, took, steps))
    return runs


def test_history_gives_p50_p95_step_medians_and_how_often_each_step_runs():
    runs = completed(8, 10_000)
    profile = learn("shop", "checkout", runs, runs, ["a", "b", "c", "d"])
    assert profile.runs == 8 and profile.p50_ms == profile.p95_ms == 10_000
    assert profile.step_ms == {"a": 1000.0, "b": 3000.0, "c": 6000.0}
    assert profile.step_share == {"a": 1.0, "b": 1.0, "c": 0.75}
    assert profile.typical_refs() == {"a", "b", "c"}  # d never ran: a branch not taken


def test_a_container_does_not_count_twice():
    """A parallel's time is its children's: only leaves are weighed."""
    box = step("fork", "COMPLETED", 0, 5000, 1)
    kids = [step("x", "COMPLETED", 0, 5000, 2, parent=1), step("y", "COMPLETED", 0, 4000, 3,
                                                                parent=1)]
    assert [s.ref for s in leaf_steps([box, *kids])] == ["x", "y"]
    profile = learn(None, "p", [], [run("COMPLETED", 0, 5000, [box, *kids])])
    assert "fork" not in profile.step_ms


def test_finished_steps_weigh_their_usual_duration_and_a_running_one_counts_in_part():
    runs = completed(8, 10_000)
    profile = learn("shop", "checkout", runs, runs)
    now = NOW + 5000
    # a (1 s) and b (3 s) done, c (6 s) running for 3 s: (1 + 3 + 3) / 10 = 70 %
    live = run("RUNNING", NOW, None, [step("a", "COMPLETED", NOW, NOW + 1000, 1),
                                      step("b", "COMPLETED", NOW + 1000, NOW + 4000, 2),
                                      step("c", "RUNNING", now - 3000, None, 3)])
    found = progress(live, profile, now)
    assert found is not None and found.weighted
    assert found.percent == 70 and found.done == 2 and found.expected == 3
    assert found.finish_ms("p50") == NOW + 10_000 and not found.slow
    assert found.cell() == "▰▰▰▰▱ 70%" and found.bar(10) == "▰▰▰▰▰▰▰▱▱▱"


def test_never_100_percent_while_under_way_and_slow_past_the_p95():
    runs = completed(MIN_RUNS, 10_000)
    profile = learn("shop", "checkout", runs, runs)
    done = [step(r, "COMPLETED", NOW, NOW + 1, i) for i, r in enumerate("abc", start=1)]
    late = progress(run("RUNNING", NOW, None, done), profile, NOW + 60_000)
    assert late is not None and late.percent == 99 and late.slow
    assert late.cell().endswith("slow") and "SLOW" in late.words()


def test_too_little_history_never_says_slow():
    runs = completed(MIN_RUNS - 1, 10_000)
    found = progress(run("RUNNING", NOW, None, []), learn(None, "p", runs, runs), NOW + 10**9)
    assert found is not None and not found.slow


def test_without_history_the_definitions_steps_are_counted():
    profile = RunProfile("shop", "checkout", definition_refs=("a", "b", "c", "d"))
    live = run("RUNNING", NOW, None, [step("a", "COMPLETED", NOW, NOW + 5, 1),
                                      step("b", "RUNNING", NOW + 5, None, 2)])
    found = progress(live, profile, NOW + 10)
    assert found is not None and not found.weighted
    assert found.done == 1 and found.expected == 4
    assert "1 of 4" in found.words() and "no completed run" in found.words()


def test_only_executions_under_way_have_progress():
    for status in ("COMPLETED", "FAILED", "TERMINATED", None):
        assert progress(run(status or "", NOW, 5, []), None, NOW) is None


# ---- the cache and the service against the mock -----------------------------------------------

@pytest.fixture
def backend():
    app = create_app(seed=7, executions=2000, clock=FakeClock(FROZEN_NOW_MS))
    return open_backend(client_settings(), mock_app=app)


async def test_running_search_rows_get_progress_from_their_definitions_history(backend):
    from console.models import SearchQuery

    rows = await backend.search(SearchQuery(statuses=["RUNNING", "COMPLETED"], limit=40,
                                            start_time_epoch=FROZEN_NOW_MS - 7 * 86_400_000))
    cache = ProfileCache()
    found = await progress_of_many(backend, rows, FROZEN_NOW_MS, cache)
    running = {str(p.process_id) for p in rows if p.status == "RUNNING"}
    assert running and set(found) == running  # only those under way, every one of them
    for item in found.values():
        assert item.weighted and item.p50_ms and item.p95_ms and item.p50_ms <= item.p95_ms
        assert 0 <= item.fraction < 1
    assert cache._kept  # one profile per definition, kept


async def test_a_profile_is_learnt_once_until_it_expires(backend, monkeypatch):
    calls = []
    real = prog.load_profile

    async def counting(*args):
        calls.append(args[2])
        return await real(*args)

    monkeypatch.setattr(prog, "load_profile", counting)
    cache = ProfileCache(ttl_ms=1000)
    first = await cache.get(backend, "payments", "charge_card", FROZEN_NOW_MS)
    again = await cache.get(backend, "payments", "charge_card", FROZEN_NOW_MS + 999)
    assert again is first and calls == ["charge_card"]
    await cache.get(backend, "payments", "charge_card", FROZEN_NOW_MS + 1000)
    assert calls == ["charge_card", "charge_card"]
    assert first.runs > 0 and first.definition_refs  # the definition was read too
