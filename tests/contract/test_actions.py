"""Contract: bulk terminate / resume / review with mixed valid, wrong-status and unknown ids,
chunking, dry-run plans and rerun-many, over both transports; state checked in the mock's store."""

from __future__ import annotations

import pytest

from console.services.actions import run_action

from console.services import actions

from .conftest import pick

UNKNOWN = ["1", "999999999"]


def snapshot(store, ids) -> dict[str, dict]:
    return {str(pid): store.get_process(int(pid)) for pid in ids}


async def _mixed(env, action, valid, invalid, reason=None):
    """Send ``valid + invalid + UNKNOWN + a non-numeric id``; check every per-id result."""
    ids = [str(i) for i in valid[:1] + invalid[:1] + UNKNOWN[:1] + valid[1:] + invalid[1:]
           + UNKNOWN[1:]] + ["not-a-number"]
    untouched = snapshot(env.store, invalid)
    outcome = await run_action(env.backend, action, ids, reason=reason)
    assert outcome.complete and outcome.stopped_by is None
    assert outcome.ids == ids and set(outcome.details) == set(ids)
    assert outcome.succeeded == [i for i in ids if i in {str(v) for v in valid}]
    assert outcome.failed == [i for i in ids if i not in {str(v) for v in valid}]
    for pid in invalid:
        detail = outcome.details[str(pid)]
        assert untouched[str(pid)]["status"] in detail.error  # says why: the current status
        assert env.store.get_process(pid) == untouched[str(pid)]
    for pid in UNKNOWN:
        assert "not found" in outcome.details[pid].error
    assert "invalid" in outcome.details["not-a-number"].error
    return outcome


async def test_bulk_terminate_stops_only_the_running_ones(env):
    valid = pick(env.store, 2, status="RUNNING")
    invalid = pick(env.store, 1, status="COMPLETED") + pick(env.store, 1, status="FAILED")
    outcome = await _mixed(env, "terminate", valid, invalid, reason="contract: stuck")
    for pid in valid:
        assert outcome.details[str(pid)].message
        assert env.status(pid) == "TERMINATED"
        assert env.store.processes[pid]["output"]["reason"] == "contract: stuck"


async def test_bulk_resume_restarts_only_stopped_ones(env):
    valid = (pick(env.store, 2, status="FAILED") + pick(env.store, 1, status="TIMED_OUT")
             + pick(env.store, 1, status="TERMINATED"))
    invalid = pick(env.store, 1, status="RUNNING") + pick(env.store, 1, status="REVIEWED")
    await _mixed(env, "resume", valid, invalid)
    assert all(env.status(pid) == "RUNNING" for pid in valid)


async def test_bulk_review_marks_only_failed_like_ones(env):
    valid = pick(env.store, 2, status="FAILED") + pick(env.store, 1, status="CANCELLED")
    invalid = pick(env.store, 1, status="COMPLETED") + pick(env.store, 1, status="REVIEWED")
    await _mixed(env, "review", valid, invalid, reason="known outage")
    for pid in valid:
        assert env.status(pid) == "REVIEWED"
        assert env.store.processes[pid]["output"]["reviewReason"] == "known outage"


async def test_bulk_actions_are_sent_in_chunks_with_progress_and_merged(env):
    env.backend.chunk_size = 3
    posts: list[str] = []
    env.backend.http.on_request = lambda method, url, status, ms: posts.append(f"{method} {status}")
    valid = pick(env.store, 5, status="FAILED")
    invalid = pick(env.store, 2, status="COMPLETED")
    ids = [str(i) for i in valid[:3] + invalid + valid[3:]] + ["424242"]
    progress: list[tuple[int, int]] = []
    outcome = await actions.run_action(env.backend, "review", ids + ids[:2],  # repeats sent once
                                     on_progress=lambda done, total: progress.append((done, total)))
    assert posts == ["POST 200"] * 3
    assert progress == [(3, 8), (6, 8), (8, 8)]
    assert outcome.ids == ids and outcome.complete
    assert outcome.succeeded == [str(v) for v in valid[:3]] + [str(v) for v in valid[3:]]
    assert outcome.failed == [str(i) for i in invalid] + ["424242"]
    assert all(env.status(pid) == "REVIEWED" for pid in valid)
    assert all(env.status(pid) == "COMPLETED" for pid in invalid)


async def test_plan_is_a_dry_run_that_reads_current_statuses(env):
    running = pick(env.store, 1, status="RUNNING")
    done = pick(env.store, 1, status="COMPLETED")
    ids = [str(running[0]), str(done[0]), "31337"]
    before = snapshot(env.store, running + done)
    items = await actions.plan(env.backend, "terminate", ids)
    assert [i.id for i in items] == ids
    assert [(i.status, i.applies) for i in items] == [("RUNNING", True), ("COMPLETED", False),
                                                      (None, False)]
    assert "would terminate" in items[0].note
    assert "COMPLETED" in items[1].note and "RUNNING" in items[1].note
    assert items[2].note == "not found"
    assert snapshot(env.store, running + done) == before
    review = await actions.plan(env.backend, "review", [str(done[0])])
    assert not review[0].applies
    rerun = await actions.plan(env.backend, "rerun", [str(done[0]), "31337"])
    assert [i.applies for i in rerun] == [True, False]


async def test_rerun_makes_one_new_process_per_id_and_reports_errors(env):
    originals = pick(env.store, 1, status="FAILED") + pick(env.store, 1, status="COMPLETED")
    before = snapshot(env.store, originals)
    known = set(env.store.processes)
    progress: list[tuple[int, int]] = []
    ids = [str(originals[0]), "55555", str(originals[1]), str(originals[0])]
    outcome = await run_action(env.backend, "rerun", ids,
                               on_progress=lambda d, t: progress.append((d, t)))
    assert outcome.ids == [str(originals[0]), "55555", str(originals[1])]
    assert progress[-1] == (3, 3) and len(progress) == 3
    assert outcome.failed == ["55555"] and "55555" in outcome.details["55555"].error
    for pid in originals:
        new = outcome.started[str(pid)]
        assert outcome.details[str(pid)].ok and new.process_id not in known
        assert new.name == before[str(pid)]["name"]
        assert env.status(new.process_id) == "RUNNING"
    assert snapshot(env.store, originals) == before
    assert len(env.store.processes) == len(known) + 2


@pytest.mark.parametrize("action", ["terminate", "resume", "review"])
async def test_an_all_unknown_list_changes_nothing_and_reports_each_id(env, action):
    count = {s: len(ids) for s, ids in env.store.by_status.items()}
    outcome = await run_action(env.backend, action, ["11", "12", "13"])
    assert outcome.failed == ["11", "12", "13"] and outcome.succeeded == []
    assert {s: len(ids) for s, ids in env.store.by_status.items()} == count
