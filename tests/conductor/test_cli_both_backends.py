"""The CLI's core flows against both backends' mocks (same store, two dialects): search, get,
bulk terminate/resume with per-id results, dry run, and actions a backend lacks."""

from __future__ import annotations

import json

from console.mock import conductor_dialect as cd
from console.mock import conductor_ids as ids


def wire_ids(mock, status: str, n: int) -> list[str]:
    """Ids (newest first) whose status in the mock's own dialect is ``status``."""
    store = mock.store
    out = []
    for pid in sorted(store.processes, reverse=True):
        p = store.processes[pid]
        if mock.dialect == "conductor":
            if cd.workflow_status(p) == status:
                out.append(ids.workflow_id(pid))
        elif p["status"] == status:
            out.append(str(pid))
        if len(out) == n:
            break
    return out


def status_in(mock, wid: str) -> str:
    store = mock.store
    if mock.dialect == "conductor":
        return cd.workflow_status(store.processes[ids.parse_workflow_id(wid)])
    return store.processes[int(wid)]["status"]


def test_search_filters_by_status_and_name(cli, dialect_mock):
    mock, flags = dialect_mock
    run = cli("search", "--mock", *flags, "--status", "FAILED", "--since", "30d", "-o", "json",
              "--limit", "20")
    assert run.exit_code == 0, run.stderr
    rows = json.loads(run.stdout)
    assert rows and {r["status"] for r in rows} == {"FAILED"}
    assert [str(r["processId"]) for r in rows] == wire_ids(mock, "FAILED", len(rows))
    name = rows[0]["name"]
    run = cli("search", "--mock", *flags, "--name", name, "--since", "30d", "-o", "json")
    assert run.exit_code == 0 and {r["name"] for r in json.loads(run.stdout)} == {name}


def test_tables_head_the_namespace_as_the_backend_calls_it(cli, dialect_mock):
    mock, flags = dialect_mock
    header = "OWNER APP" if mock.dialect == "conductor" else "NAMESPACE"
    for args in (("search", "--since", "30d", "--limit", "3"), ("definitions", "list")):
        run = cli(*args, "--mock", *flags)
        assert run.exit_code == 0 and header in run.lines[0], (args, run.lines[:1])


def test_get_shows_the_failed_step(cli, dialect_mock):
    mock, flags = dialect_mock
    target = wire_ids(mock, "FAILED", 1)[0]
    run = cli("get", target, "--steps", "--mock", *flags, "-o", "json")
    assert run.exit_code == 0, run.stderr
    [data] = json.loads(run.stdout)
    assert str(data["processId"]) == target and data["status"] == "FAILED"
    failed = [s for s in data["stepRecords"] if s["status"] in ("FAILED", "TIMED_OUT")]
    assert failed and failed[-1]["output"].get("error")


def test_terminate_reports_per_id_and_changes_the_store(cli, dialect_mock):
    mock, flags = dialect_mock
    running = wire_ids(mock, "RUNNING", 2)
    done = wire_ids(mock, "COMPLETED", 1)
    run = cli("terminate", *running, *done, "--yes", "--reason", "stuck", "--mock", *flags,
              "-o", "ndjson")
    assert run.exit_code == 3, run.stderr
    results = {r["id"]: r for r in map(json.loads, run.lines)}
    assert [results[i]["result"] for i in running] == ["done", "done"]
    assert results[done[0]]["result"] == "skipped" and "COMPLETED" in results[done[0]]["message"]
    assert [status_in(mock, i) for i in running] == ["TERMINATED", "TERMINATED"]
    assert "terminate: 2 done, 1 skipped (of 3)" in run.stderr


def test_typed_ids_are_checked_like_a_dry_run_before_anything_is_sent(cli, dialect_mock):
    """Conductor terminates a FAILED workflow (losing its error) where meshdeck's rule says
    no: the status is checked first, so the real run does what the dry run said."""
    mock, flags = dialect_mock
    failed = wire_ids(mock, "FAILED", 1)
    dry = cli("terminate", *failed, "--dry-run", "--mock", *flags, "-o", "json")
    assert [r["applies"] for r in json.loads(dry.stdout)] == [False]
    run = cli("terminate", *failed, "--yes", "--mock", *flags, "-o", "json")
    assert run.exit_code == 1 and json.loads(run.stdout)[0]["result"] == "skipped"
    assert status_in(mock, failed[0]) == "FAILED"


def test_resume_failed_ones_by_query(cli, dialect_mock):
    mock, flags = dialect_mock
    failed = wire_ids(mock, "FAILED", 1000)
    run = cli("resume", "--status", "FAILED", "--since", "30d", "--yes", "--mock", *flags,
              "-o", "json")
    assert run.exit_code == 0, run.stderr
    results = json.loads(run.stdout)
    assert sorted(r["id"] for r in results) == sorted(failed)
    assert {r["result"] for r in results} == {"done"}
    assert {status_in(mock, i) for i in failed} == {"RUNNING"}


def test_dry_run_sends_nothing(cli, dialect_mock):
    mock, flags = dialect_mock
    failed = wire_ids(mock, "FAILED", 2)
    done = wire_ids(mock, "COMPLETED", 1)
    run = cli("resume", *failed, *done, "--dry-run", "--mock", *flags, "-o", "json")
    assert run.exit_code == 0, run.stderr
    plan = {i["id"]: i for i in json.loads(run.stdout)}
    assert all(plan[i]["applies"] for i in failed) and plan[done[0]]["applies"] is False
    assert not [r for r in mock.requests if r[0] in ("POST", "PUT", "DELETE")]
    assert [status_in(mock, i) for i in failed] == ["FAILED", "FAILED"]


def test_an_action_the_backend_lacks_is_refused_with_a_reason(cli, dialect_mock):
    mock, flags = dialect_mock
    action = "review" if mock.dialect == "conductor" else "pause"
    target = wire_ids(mock, "FAILED" if action == "review" else "RUNNING", 1)[0]
    run = cli(action, target, "--yes", "--mock", *flags)
    assert run.exit_code == 2
    assert f"{action} is not available on the {mock.dialect} backend" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not mock.requests


def test_pause_then_resume_on_conductor(cli, dialect_mock):
    mock, flags = dialect_mock
    if mock.dialect != "conductor":
        return
    running = wire_ids(mock, "RUNNING", 2)
    run = cli("pause", *running, "--yes", "--mock", *flags)
    assert run.exit_code == 0, run.stderr
    assert {status_in(mock, i) for i in running} == {"PAUSED"}
    run = cli("search", "--status", "PAUSED", "--since", "30d", "--mock", *flags, "-o", "ids")
    assert sorted(run.lines) == sorted(running)
    run = cli("resume", *running, "--yes", "--mock", *flags)
    assert run.exit_code == 0, run.stderr
    assert {status_in(mock, i) for i in running} == {"RUNNING"}
