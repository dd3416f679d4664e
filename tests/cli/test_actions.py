"""terminate / resume / review / rerun: confirmation, dry run, per-id results, exit codes."""

from __future__ import annotations

import json
import os
import signal

import pytest

from console.cli import common
from tests.cli.conftest import ids_with, status_of


def test_not_interactive_without_yes_refuses_and_sends_nothing(cli, mock):
    target = ids_with(mock.store, "FAILED", 1)[0]
    run = cli("review", target, "--mock")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "pass --yes" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert mock.posts == [] and status_of(mock.store, target) == "FAILED"


def test_interactive_prompt_asks_with_the_count_and_no_means_exit_2(cli, mock, monkeypatch):
    monkeypatch.setattr(common, "interactive", lambda: True)
    run = cli("terminate", "--mock", "--status", "RUNNING", "--since", "30d", input="n\n")
    count = len(ids_with(mock.store, "RUNNING"))
    assert f"terminate {count} executions? [y/N]" in run.stderr
    assert run.exit_code == 2 and "not confirmed" in run.stderr
    assert mock.posts == []


def test_interactive_yes_terminates_every_match(cli, mock, monkeypatch):
    monkeypatch.setattr(common, "interactive", lambda: True)
    running = ids_with(mock.store, "RUNNING")
    run = cli("terminate", "--mock", "--status", "running", "--since", "30d", "--reason", "stuck",
              "-o", "json", input="y\n")
    assert run.exit_code == 0, run.stderr
    # CliRunner echoes the typed answer to stdout (a terminal would show it itself): skip it
    results = json.loads(run.stdout[run.stdout.index("["):])
    assert sorted(r["id"] for r in results) == sorted(running)
    assert {r["result"] for r in results} == {"done"}
    assert all(status_of(mock.store, pid) == "TERMINATED" for pid in running)
    assert mock.store.processes[int(running[0])]["output"]["reason"] == "stuck"
    assert f"terminate: {len(running)} done" in run.stderr


def test_dry_run_sends_nothing_and_says_what_would_happen(cli, mock):
    failed = ids_with(mock.store, "FAILED", 2)
    completed = ids_with(mock.store, "COMPLETED", 1)
    before = {pid: dict(p) for pid, p in mock.store.processes.items()}
    run = cli("resume", *failed, *completed, "999", "--dry-run", "--mock", "-o", "json")
    assert run.exit_code == 0, run.stderr
    plan = {item["id"]: item for item in json.loads(run.stdout)}
    assert all(plan[pid]["applies"] and plan[pid]["status"] == "FAILED" for pid in failed)
    assert plan[completed[0]]["applies"] is False and "cannot resume a COMPLETED" in plan[completed[0]]["note"]
    assert plan["999"]["status"] is None and plan["999"]["note"] == "not found"
    assert "nothing was sent" in run.stderr
    assert mock.posts == []
    assert {pid: p["status"] for pid, p in mock.store.processes.items()} == \
        {pid: p["status"] for pid, p in before.items()}


def test_partial_failure_exits_3_with_per_id_details(cli, mock):
    failed = ids_with(mock.store, "FAILED", 2)
    running = ids_with(mock.store, "RUNNING", 1)
    run = cli("review", *failed, *running, "424242", "--yes", "--mock", "-o", "ndjson")
    assert run.exit_code == 3
    results = {r["id"]: r for r in map(json.loads, run.lines)}
    assert [results[p]["result"] for p in failed] == ["done", "done"]
    # Checked before sending: a status the action does not apply to is skipped, an id that
    # does not exist is not sent; both said per id, and neither is a success.
    assert results[running[0]]["result"] == "skipped" and "RUNNING" in results[running[0]]["message"]
    assert results["424242"]["result"] == "not sent" and "not found" in results["424242"]["message"]
    assert "review: 2 done, 1 not sent, 1 skipped (of 4)" in run.stderr
    assert len(mock.posts) == 1 and status_of(mock.store, running[0]) == "RUNNING"
    assert [status_of(mock.store, p) for p in failed] == ["REVIEWED", "REVIEWED"]


def test_table_results_are_plain_rows_per_id(cli, mock):
    target = ids_with(mock.store, "FAILED", 1)[0]
    run = cli("review", target, "--yes", "--mock", "--reason", "known outage")
    assert run.exit_code == 0
    assert run.lines[0].split() == ["ID", "RESULT", "MESSAGE"]
    assert run.lines[1].split()[:2] == [target, "done"]
    assert mock.store.processes[int(target)]["output"]["reviewReason"] == "known outage"


def test_ids_from_stdin_need_yes(cli, mock):
    failed = ids_with(mock.store, "FAILED", 3)
    refused = cli("resume", "-", "--mock", input="\n".join(failed) + "\n")
    assert refused.exit_code == 2 and "ids came from stdin" in refused.stderr
    assert mock.posts == []
    run = cli("resume", "-", "--yes", "--mock", "-o", "ids", input=" ".join(failed))
    assert run.exit_code == 0, run.stderr
    assert sorted(run.lines) == sorted(failed)
    assert all(status_of(mock.store, p) == "RUNNING" for p in failed)


def test_duplicate_ids_are_acted_on_once(cli, mock):
    target = ids_with(mock.store, "FAILED", 1)[0]
    run = cli("review", target, target, f"{target},{target}", "--yes", "--mock", "-o", "json")
    assert run.exit_code == 0
    assert len(json.loads(run.stdout)) == 1


def test_read_only_refuses_every_change(cli, mock):
    target = ids_with(mock.store, "FAILED", 1)[0]
    for args in (["terminate", target], ["resume", target], ["review", target], ["rerun", target],
                 ["run", "default/hello_world"], ["call", "x", "--post"]):
        run = cli(*args, "--yes", "--mock", "--read-only") if args[0] not in ("run", "call") else \
            cli("--read-only", *args, "--mock")
        assert run.exit_code == 2, args
        assert "refusing to" in run.stderr and "--read-only" in run.stderr
    assert mock.posts == []


def test_read_only_profile_refuses_too(cli, mock):
    assert cli("config", "set-profile", "prod", "--base-url", "https://prod.example", "--read-only").exit_code == 0
    run = cli("review", "1", "--yes", "--mock", "--profile", "prod")
    assert run.exit_code == 2 and "profile 'prod' is read_only" in run.stderr


def test_ids_and_filters_together_or_neither_are_usage_errors(cli, mock):
    both = cli("terminate", "1", "--status", "RUNNING", "--mock", "--yes")
    neither = cli("terminate", "--mock", "--yes")
    assert both.exit_code == neither.exit_code == 2
    assert "not both" in both.stderr and "name what to terminate" in neither.stderr


def test_query_with_no_match_does_nothing(cli, mock):
    run = cli("review", "--name", "no_such_process", "--status", "FAILED", "--mock", "--yes")
    assert run.exit_code == 0 and "nothing to mark reviewed" in run.stderr and mock.posts == []


def test_ctrl_c_stops_before_the_next_chunk_and_reports(cli, mock, monkeypatch):
    """A SIGINT during the first chunk: that chunk's answer is kept, later chunks are not sent."""
    from console.backends.unmeshed import UnmeshedClient

    monkeypatch.setattr(UnmeshedClient, "__init__", _small_chunks(UnmeshedClient.__init__))
    inner = mock.app
    store = mock.store

    async def interrupting(scope, receive, send):
        if scope["type"] == "http" and scope["path"].endswith("bulkReviewed"):
            os.kill(os.getpid(), signal.SIGINT)
        await inner(scope, receive, send)

    failed = ids_with(mock.store, "FAILED", 6)
    mock.app = interrupting
    run = cli("review", *failed, "--yes", "--mock", "-o", "json")
    assert run.exit_code == 130
    results = json.loads(run.stdout)
    assert [r["result"] for r in results] == ["done", "done", "not sent", "not sent", "not sent", "not sent"]
    assert mock.posts.count("/api/process/bulkReviewed") == 1
    assert "stopping after the current chunk" in run.stderr and "interrupted" in run.stderr
    assert [status_of(store, p) for p in failed] == ["REVIEWED"] * 2 + ["FAILED"] * 4


def _small_chunks(init):
    def patched(self, *args, **kwargs):
        kwargs["chunk_size"] = 2
        init(self, *args, **kwargs)
    return patched


def test_server_down_during_an_action_is_exit_1_one_line(cli):
    run = cli("review", "1", "2", "--yes", "--base-url", "http://127.0.0.1:1")
    assert run.exit_code == 1
    assert "Traceback" not in run.stderr
    assert "meshdeck: error: cannot reach http://127.0.0.1:1" in run.stderr


def test_rerun_starts_a_new_process_and_reports_it(cli, mock):
    target = ids_with(mock.store, "COMPLETED", 1)[0]
    count = len(mock.store.processes)
    refused = cli("rerun", target, "--mock")
    assert refused.exit_code == 2 and mock.posts == []
    run = cli("rerun", target, "--yes", "--mock", "-o", "json")
    assert run.exit_code == 0, run.stderr
    [result] = json.loads(run.stdout)
    assert result["id"] == target and result["result"] == "done"
    assert len(mock.store.processes) == count + 1
    assert str(result["newProcessId"]) != target and int(result["newProcessId"]) in mock.store.processes


def test_rerun_unknown_id_fails_with_exit_1(cli, mock):
    run = cli("rerun", "999", "--yes", "--mock")
    assert run.exit_code == 1
    assert "rerun: 0 started, 1 not sent" in run.stderr and "not found" in run.stderr
    assert mock.posts == []


@pytest.mark.parametrize("action", ["terminate", "resume", "review", "rerun"])
def test_help_of_each_action_mentions_yes(cli, action):
    run = cli(action, "--help")
    assert run.exit_code == 0 and "--yes" in run.stdout


def test_empty_stdin_is_nothing_to_do(cli, mock):
    run = cli("review", "-", "--yes", "--mock", input="")
    assert run.exit_code == 0 and run.stdout == ""
    assert "nothing to mark reviewed: no ids on stdin" in run.stderr and mock.posts == []


def test_selecting_by_query_takes_only_executions_the_action_applies_to(cli, mock):
    """'terminate --name X' means the running ones: finished ones are not selected at all."""
    name = next(p["name"] for p in mock.store.processes.values() if p["status"] == "RUNNING")
    run = cli("terminate", "--mock", "--name", name, "--since", "7d", "--yes", "-o", "json")
    assert run.exit_code == 0, run.stderr
    results = json.loads(run.stdout)
    assert results and {r["result"] for r in results} == {"done"}
