"""The operator commands on Conductor through the CLI (skip, rerun-from, correlated, running,
restart --latest, remove): confirmation, read-only, per-id results, what the server refuses;
and on Unmeshed, one line saying why not, exit 2, nothing sent."""

from __future__ import annotations

import json
import time

import pytest

from console.mock import conductor_dialect as cd
from console.mock import conductor_ids as ids
from console.mock.clock import FakeClock
from console.mock.conductor_app import create_conductor_app
from tests.cli.conftest import Recorder, mounted

C = ("--mock", "--backend", "conductor")


@pytest.fixture
def mock(monkeypatch) -> Recorder:
    return mounted(monkeypatch, create_conductor_app(seed=7, executions=400,
                                                     clock=FakeClock(int(time.time() * 1000))))


def pick(mock, status: str, name: str | None = None) -> dict:
    return next(p for pid, p in sorted(mock.store.processes.items(), reverse=True)
                if cd.workflow_status(p) == status and (name is None or p["name"] == name))


def wid(p: dict) -> str:
    return ids.workflow_id(p["processId"])


def test_rerun_from_a_failed_step_by_ref_with_a_new_input(cli, mock):
    p = pick(mock, "FAILED", "charge_card")
    ref = mock.store.info(p)["flat"][p["_fail"]][0]["ref"]
    run = cli("rerun-from", wid(p), ref, "--step-input", '{"amount": 7}', "--yes", *C)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith(f"{wid(p)}\tdone\truns again from {ref} (now RUNNING)")
    assert cd.workflow_status(p) == "RUNNING"
    assert ("POST", f"/api/workflow/{wid(p)}/rerun") in mock.requests


def test_rerun_from_is_refused_before_sending_when_it_cannot_apply(cli, mock):
    running = pick(mock, "RUNNING")
    run = cli("rerun-from", wid(running), "whatever", "--yes", *C)
    assert run.exit_code == 2 and "has no step 'whatever'" in run.stderr
    step = mock.store.info(running)["flat"][0][0]["ref"]
    run = cli("rerun-from", wid(running), step, "--yes", *C)
    assert run.exit_code == 2 and "only a finished execution" in run.stderr
    assert not [r for r in mock.requests if r[0] == "POST"]


def test_rerun_from_dry_run_says_what_it_would_do_and_sends_nothing(cli, mock):
    p = pick(mock, "FAILED", "charge_card")
    ref = mock.store.info(p)["flat"][p["_fail"]][0]["ref"]
    run = cli("rerun-from", wid(p), ref, "--dry-run", "--read-only", *C)
    assert run.exit_code == 0 and f"dry run: would rerun {wid(p)} (FAILED) from step {ref}" \
        in run.stderr
    assert not [r for r in mock.requests if r[0] == "POST"] and cd.workflow_status(p) == "FAILED"


def test_rerun_from_asks_first_and_read_only_refuses(cli, mock):
    p = pick(mock, "FAILED", "charge_card")
    ref = mock.store.info(p)["flat"][p["_fail"]][0]["ref"]
    run = cli("rerun-from", wid(p), ref, *C)  # no terminal to ask on, no --yes
    assert run.exit_code == 2 and "pass --yes" in run.stderr
    run = cli("rerun-from", wid(p), ref, "--yes", "--read-only", *C)
    assert run.exit_code == 2 and "read-only" in run.stderr
    assert not [r for r in mock.requests if r[0] == "POST"] and cd.workflow_status(p) == "FAILED"


def test_skip_a_step_and_conductors_refusal(cli, mock):
    start = cli("run", "orders/create_order", "--input", "{}", "-o", "json", *C)
    assert start.exit_code == 0, start.stderr
    new = str(json.loads(start.stdout)["processId"])
    posts = len(mock.posts)
    dry = cli("skip", new, "send_confirmation", "--dry-run", *C)
    assert dry.exit_code == 0 and "dry run: would skip step send_confirmation" in dry.stderr
    assert len(mock.posts) == posts and not [r for r in mock.requests if r[0] == "PUT"]
    run = cli("skip", new, "send_confirmation", "--step-output", '{"sent": false}', "--yes", *C)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip() == f"{new}\tdone\tsend_confirmation skipped: it will not run"
    # What meshdeck can tell from the execution is refused before sending (exit 2).
    puts = len([r for r in mock.requests if r[0] == "PUT"])
    run = cli("skip", new, "send_confirmation", "--yes", *C)
    assert run.exit_code == 2 and "has started already" in run.stderr
    failed = wid(pick(mock, "FAILED"))
    run = cli("skip", failed, "x", "--yes", *C)
    assert run.exit_code == 2 and "only a step of a RUNNING execution" in run.stderr
    assert len([r for r in mock.requests if r[0] == "PUT"]) == puts


def test_correlated_and_running(cli, mock):
    p = pick(mock, "RUNNING")
    run = cli("correlated", p["name"], p["correlationId"], "--all", "-o", "json", *C)
    assert run.exit_code == 0, run.stderr
    rows = json.loads(run.stdout)
    assert wid(p) in {r["processId"] for r in rows}
    table = cli("correlated", p["name"], p["correlationId"], *C)
    assert "OWNER APP" in table.stdout
    run = cli("running", p["name"], *C)
    assert run.exit_code == 0 and wid(p) in run.stdout.split()
    assert "(every version)" in run.stderr
    run = cli("running", p["name"], "--version", str(p["version"]), "-o", "json", *C)
    assert wid(p) in json.loads(run.stdout)


def test_restart_latest_and_remove_from_the_action_table(cli, mock):
    old = next(p for p in mock.store.processes.values() if p["name"] == "charge_card"
               and p["version"] == 1 and cd.workflow_status(p) in cd.TERMINAL)
    run = cli("restart", wid(old), "--latest", "--yes", *C)
    assert run.exit_code == 0, run.stderr
    assert "restart --latest: 1 done (of 1)" in run.stderr and old["version"] == 3
    assert any("useLatestDefinitions=true" in q for q in mock.queries)
    done, running = pick(mock, "COMPLETED"), pick(mock, "RUNNING")
    run = cli("remove", wid(done), wid(running), "-o", "ndjson", "--yes", *C)
    results = [json.loads(line) for line in run.lines]
    assert [r["result"] for r in results] == ["done", "skipped"], run.stderr
    assert results[1]["message"].startswith("cannot remove a RUNNING process")
    assert run.exit_code == 3 and done["processId"] not in mock.store.processes
    assert running["processId"] in mock.store.processes  # Conductor would have deleted it
    run = cli("remove", wid(pick(mock, "COMPLETED")), "--yes", "--read-only", *C)
    assert run.exit_code == 2 and "read-only" in run.stderr


def test_remove_by_query_keeps_to_finished_ones(cli, mock):
    name = pick(mock, "RUNNING")["name"]
    run = cli("remove", "--name", name, "--since", "30d", "--dry-run", "-o", "json", *C)
    assert run.exit_code == 0, run.stderr
    planned = json.loads(run.stdout)
    assert planned and {r["status"] for r in planned} <= {"COMPLETED", "FAILED", "TIMED_OUT",
                                                          "TERMINATED"}


@pytest.mark.parametrize("args,why", [
    (("skip", "1000001", "x", "--yes"), "publishes no API to skip a step"),
    (("rerun-from", "1000001", "x", "--yes"), "publishes no API to rerun from a step"),
    (("correlated", "n", "c"), "meshdeck search --correlation-id"),
    (("running", "n"), "meshdeck search --status RUNNING"),
    (("remove", "1000001", "--yes"), "publishes no API to delete an execution"),
    (("restart", "1000001", "--latest", "--yes"), "no restart"),
])
def test_unmeshed_refuses_with_the_reason(cli, args, why, monkeypatch):
    run = cli(*args, "--mock")
    assert run.exit_code == 2 and why in run.stderr and len(run.err_lines) == 1


def test_resume_says_per_status_what_it_will_do_before_asking(cli, mock, monkeypatch):
    from console.cli import common

    paused = pick(mock, "RUNNING")
    assert cli("pause", wid(paused), "--yes", *C).exit_code == 0
    monkeypatch.setattr(common, "interactive", lambda: True)
    run = cli("resume", "--status", "PAUSED,FAILED", "--since", "30d", *C, input="n\n")
    assert run.exit_code == 2 and "not confirmed" in run.stderr
    assert "  1 would resume (it is PAUSED)" in run.stderr
    assert " would retry from the failed task" in run.stderr


def test_remove_says_it_cannot_be_undone_before_asking(cli, mock, monkeypatch):
    from console.cli import common

    monkeypatch.setattr(common, "interactive", lambda: True)
    done = pick(mock, "COMPLETED")
    run = cli("remove", wid(done), *C, input="n\n")
    assert run.exit_code == 2 and "cannot be undone" in run.stderr
    assert done["processId"] in mock.store.processes
