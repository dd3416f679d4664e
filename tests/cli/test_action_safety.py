"""Bulk actions touch exactly what was asked and say exactly what happened: empty filters, the
search cap and --max, huge actions, an empty selection as JSON, an interrupted rerun, read-only
refusals that name their cause, and usage errors as one line."""

from __future__ import annotations

import json
import os
import signal
import sys

import pytest

from console.cli import common
from tests.cli.conftest import ids_with, status_of

FILTER_FLAGS = ["--name", "--namespace", "--process-id", "--status", "--correlation-id", "--text",
                "--trigger", "--type", "--step-name", "--step-ref", "--request-id", "--tag",
                "--since", "--until"]


@pytest.mark.parametrize("flag", FILTER_FLAGS)
@pytest.mark.parametrize("command", [["terminate", "--yes"], ["resume", "--yes"],
                                     ["review", "--yes"], ["search"]])
def test_an_empty_filter_value_is_a_usage_error_and_sends_nothing(cli, mock, command, flag):
    """``PROC=; meshdeck terminate --name "$PROC" --yes`` must not select every execution."""
    for value in ("", "  ", ","):
        run = cli(*command, flag, value, "--mock")
        assert run.exit_code == 2, (flag, value, run.stderr)
        assert run.err_lines == [f"meshdeck: error: {flag} was given an empty value: give a "
                                 f"value, or leave {flag} out"]
    assert mock.requests == [] and mock.posts == []


def test_a_query_over_the_cap_without_max_is_refused_saying_how_many(cli, mock, monkeypatch):
    import console.services.search as search_service

    monkeypatch.setattr(search_service, "COUNT_CAP", 5)
    failed = ids_with(mock.store, "FAILED")
    assert len(failed) > 5
    run = cli("review", "--status", "FAILED", "--since", "30d", "--mock", "--yes")
    assert run.exit_code == 2
    [line] = run.err_lines
    assert "more than 5 executions match" in line and "sends at most 5 at once" in line
    assert "nothing was sent" in line and "--max 5" in line
    assert mock.posts == [] and {status_of(mock.store, p) for p in failed} == {"FAILED"}


def test_a_query_over_the_cap_with_max_acts_on_that_many_and_exits_3(cli, mock, monkeypatch):
    """Matches were left untouched: never exit 0."""
    import console.services.search as search_service

    monkeypatch.setattr(search_service, "COUNT_CAP", 5)
    failed = ids_with(mock.store, "FAILED")
    run = cli("review", "--status", "FAILED", "--since", "30d", "--max", "5", "--mock", "--yes",
              "-o", "json")
    assert run.exit_code == 3, run.stderr
    results = json.loads(run.stdout)
    assert len(results) == 5 and {r["result"] for r in results} == {"done"}
    assert sum(status_of(mock.store, p) == "REVIEWED" for p in failed) == 5
    assert "left untouched" in run.stderr


def test_a_huge_action_shows_the_breakdown_and_wants_the_count_typed(cli, mock, monkeypatch):
    from console.services import selection

    assert selection.HUGE == 1000
    monkeypatch.setattr(selection, "HUGE", 3)
    monkeypatch.setattr(common, "interactive", lambda: True)
    failed = ids_with(mock.store, "FAILED")
    n = len(failed)
    wrong = cli("review", "--status", "FAILED", "--since", "30d", "--mock", input="y\n")
    assert wrong.exit_code == 2 and "the count typed did not match; nothing was sent" in wrong.stderr
    assert f"mark reviewed {n:,} executions; by process and status:" in wrong.stderr
    assert f"type {n} to mark reviewed them all" in wrong.stderr
    assert mock.posts == []
    right = cli("review", "--status", "FAILED", "--since", "30d", "--mock", "-o", "ids",
                input=f"{n}\n")
    assert right.exit_code == 0, right.stderr
    assert {status_of(mock.store, p) for p in failed} == {"REVIEWED"}


def test_yes_skips_the_typed_count_of_a_huge_action(cli, mock, monkeypatch):
    from console.services import selection

    monkeypatch.setattr(selection, "HUGE", 3)
    run = cli("review", "--status", "FAILED", "--since", "30d", "--mock", "--yes", "-o", "ids")
    assert run.exit_code == 0 and "type " not in run.stderr


def test_json_output_is_an_empty_list_when_nothing_is_selected(cli, mock):
    none = cli("review", "--name", "no_such_process", "--status", "FAILED", "--mock", "--yes",
               "-o", "json")
    assert none.exit_code == 0 and json.loads(none.stdout) == []
    name = next(p["name"] for p in mock.store.processes.values() if p["status"] == "COMPLETED")
    skipped = cli("terminate", "--name", name, "--status", "COMPLETED", "--since", "30d",
                  "--mock", "--yes", "-o", "json")
    assert skipped.exit_code == 0 and json.loads(skipped.stdout) == []
    assert "can be terminated" in skipped.stderr and mock.posts == []


def interrupt_reruns(mock, at: int) -> None:
    """Ctrl-C twice as the ``at``-th rerun request arrives: the first (a real SIGINT) asks to
    stop before sending more; the second stops at once (meshdeck's handler raises
    KeyboardInterrupt where the program is: here, in this request), answers still in flight."""
    inner, seen = mock.app, [0]

    async def app(scope, receive, send):
        if scope["type"] == "http" and scope["path"].endswith("/rerun"):
            seen[0] += 1
            if seen[0] == at:
                os.kill(os.getpid(), signal.SIGINT)
                while not signal.getsignal(signal.SIGINT).asked:  # let meshdeck's handler hear it
                    pass
                raise KeyboardInterrupt
        await inner(scope, receive, send)

    mock.app = app


@pytest.mark.parametrize("fmt", ["json", "ndjson", "table"])
def test_ctrl_c_during_a_rerun_of_40_exits_130_with_every_ids_result(cli, mock, fmt):
    store = mock.store
    targets = ids_with(store, "COMPLETED", 40)
    before = len(store.processes)
    interrupt_reruns(mock, at=9)
    run = cli("rerun", *targets, "--yes", "--mock", "-o", fmt)
    assert run.exit_code == 130, run.stderr
    if fmt == "table":
        assert run.lines[0].split() == ["ID", "RESULT", "NEW", "PROCESS", "STATUS", "MESSAGE"]
        results = {line.split()[0]: ("not sent" if " not sent " in line else line.split()[1])
                   for line in run.lines[1:]}
    else:
        rows = json.loads(run.stdout) if fmt == "json" else [json.loads(l) for l in run.lines]
        results = {r["id"]: r["result"] for r in rows}
        assert all(r["newProcessId"] for r in rows if r["result"] == "done")
    assert sorted(results) == sorted(targets)
    counts = {kind: list(results.values()).count(kind) for kind in ("done", "unknown", "not sent")}
    assert sum(counts.values()) == 40 and all(counts.values()), counts
    started = len(store.processes) - before
    assert counts["done"] <= started <= counts["done"] + counts["unknown"]
    assert "interrupted" in run.stderr


def test_a_read_only_profile_refusal_names_the_profile_not_a_flag(cli, mock):
    assert cli("config", "set-profile", "prod", "--base-url", "https://prod.example",
               "--read-only").exit_code == 0
    run = cli("review", "1", "--yes", "--mock", "--profile", "prod")
    assert run.exit_code == 2
    [line] = run.err_lines
    assert "profile 'prod' is read_only" in line
    assert "meshdeck config set-profile prod --no-read-only" in line
    assert "flag" not in line and "--read-only was given" not in line


def test_a_read_only_flag_refusal_names_the_flag_and_both_when_both(cli, mock):
    run = cli("review", "1", "--yes", "--mock", "--read-only")
    assert run.err_lines == ["meshdeck: error: refusing to mark reviewed: --read-only was given "
                             "(leave it out to make changes)"]
    assert cli("config", "set-profile", "prod", "--read-only").exit_code == 0
    both = cli("review", "1", "--yes", "--mock", "--read-only", "--profile", "prod")
    assert "--read-only was given" in both.stderr and "profile 'prod' is read_only" in both.stderr
    assert mock.posts == []


@pytest.mark.parametrize("args", [["search", "--frobnicate"], ["run"], ["get", "--limit", "x"],
                                  ["search", "--limit", "0"]])
def test_a_usage_error_is_one_line_and_a_hint_not_a_box(cli, args):
    run = cli(*args)
    assert run.exit_code == 2
    assert len(run.err_lines) == 2, run.stderr
    assert run.err_lines[0].startswith("meshdeck: error: ")
    assert run.err_lines[1].startswith("(see meshdeck ") and run.err_lines[1].endswith(" --help)")
    assert "╭" not in run.stderr and "│" not in run.stderr


def test_no_command_and_no_terminal_prints_the_usage_and_exits_2(cli, monkeypatch):
    """cron, CI, ``meshdeck </dev/null >file``: the full-screen console must not start."""
    started = []
    fake = type(sys)("console.tui.app")
    fake.run_tui = lambda *a, **k: started.append(a)
    monkeypatch.setitem(sys.modules, "console.tui.app", fake)
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    run = cli("--mock")
    assert run.exit_code == 2 and started == []
    assert "Usage: meshdeck" in run.stderr and run.stdout == ""
    assert run.err_lines[-1].startswith("meshdeck: error: no command given and no terminal")
