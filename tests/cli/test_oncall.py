"""meshdeck failures, diff and journal, through Typer's CliRunner against the mock."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

from tests.cli.conftest import ids_with, status_of

WEEK = ("--since", "7d")


def failures_in(store) -> list[str]:
    return [str(pid) for pid, p in store.processes.items() if p["status"] in ("FAILED", "TIMED_OUT")]


# ---- failures ------------------------------------------------------------------------------------

def test_failures_json_puts_every_failure_in_exactly_one_group(cli, mock):
    run = cli("failures", "--mock", *WEEK, "-o", "json")
    assert run.exit_code == 0, run.stderr
    groups = json.loads(run.stdout)
    ids = [pid for g in groups for pid in g["ids"]]
    assert sorted(ids) == sorted(failures_in(mock.store)) and len(ids) == len(set(ids))
    assert [g["group"] for g in groups] == list(range(1, len(groups) + 1))
    assert [g["count"] for g in groups] == sorted((g["count"] for g in groups), reverse=True)
    first = groups[0]
    assert first["count"] == len(first["ids"]) == sum(first["series"])
    assert {"namespace", "name", "step", "error", "sample", "firstSeen", "lastSeen"} <= set(first)
    assert not any(c.isdigit() for c in first["error"])  # numbers folded
    assert run.stderr == ""  # nothing capped, nothing left out: nothing to say


def test_failures_table_says_how_many_and_where_the_ids_are(cli, mock):
    run = cli("failures", "--mock", *WEEK)
    assert run.exit_code == 0
    assert "COUNT" in run.stdout and "FAILED STEP" in run.stdout and "TREND" in run.stdout
    assert any(bar in run.stdout for bar in "▂▃▄▅▆▇█")
    total = len(failures_in(mock.store))
    assert f"grouped all {total:,} failures into" in run.stderr
    assert "--group N -o ids" in run.stderr


def test_a_cap_is_never_silent_even_in_a_pipe(cli, mock):
    run = cli("failures", "--mock", *WEEK, "--max", "5", "-o", "json")
    assert run.exit_code == 0
    assert sum(g["count"] for g in json.loads(run.stdout)) == 5
    total = len(failures_in(mock.store))
    assert f"grouped the newest 5 of {total:,} failures" in run.stderr and "--max" in run.stderr


def test_a_group_feeds_a_bulk_action(cli, mock):
    """The README's pipe: failures -o json | jq -r '.[0].ids[]' | meshdeck resume - --yes."""
    groups = json.loads(cli("failures", "--mock", *WEEK, "-o", "json").stdout)
    ids = groups[0]["ids"]
    resumed = cli("resume", "-", "--yes", "--mock", "-o", "json", input="\n".join(ids) + "\n")
    assert resumed.exit_code == 0, resumed.stderr
    assert {r["result"] for r in json.loads(resumed.stdout)} == {"done"}
    assert {status_of(mock.store, pid) for pid in ids} == {"RUNNING"}


def test_group_n_ids_and_its_bounds(cli, mock):
    groups = json.loads(cli("failures", "--mock", *WEEK, "-o", "json").stdout)
    second = cli("failures", "--mock", *WEEK, "--group", "2", "-o", "ids")
    assert second.exit_code == 0 and second.lines == groups[1]["ids"]
    past = cli("failures", "--mock", *WEEK, "--group", str(len(groups) + 1))
    assert past.exit_code == 2 and f"there is no group {len(groups) + 1}" in past.stderr


def test_failures_refuses_what_cannot_hold_a_failure(cli, mock):
    run = cli("failures", "--mock", "--status", "COMPLETED")
    assert run.exit_code == 2 and "FAILED and TIMED_OUT" in run.stderr and mock.requests == []
    csv = cli("failures", "--mock", *WEEK, "--status", "TIMED_OUT", "-o", "csv")
    assert csv.lines[0].startswith("group,count,process,step,error,first_seen,last_seen,trend,ids")


# ---- diff ----------------------------------------------------------------------------------------

def test_diff_shows_only_what_differs_side_by_side(cli, mock):
    one, two = ids_with(mock.store, "FAILED", 2)
    run = cli("diff", one, two, "--mock")
    assert run.exit_code == 0, run.stderr
    header = run.lines[0].split()
    assert header == ["FIELD", one, two]
    assert "process" in run.stdout and "input" in run.stdout
    assert "fields differ (--all shows the same ones too)" in run.stderr


def test_diff_json_and_all(cli, mock):
    one, two = ids_with(mock.store, "FAILED", 2)
    differing = json.loads(cli("diff", one, two, "--mock", "-o", "json").stdout)
    everything = json.loads(cli("diff", one, two, "--mock", "--all", "-o", "json").stdout)
    assert (differing["left"], differing["right"]) == (one, two)
    assert differing["rows"] and not any(r["same"] for r in differing["rows"])
    assert len(everything["rows"]) == everything["compared"] > len(differing["rows"])
    assert differing["differences"] == len(differing["rows"])
    assert any(r["same"] for r in everything["rows"])
    name = next(r for r in everything["rows"] if r["field"] == "name")
    assert name["left"] == mock.store.processes[int(one)]["name"]


def test_diff_refuses_bad_ids_in_one_line(cli, mock):
    one = ids_with(mock.store, "FAILED", 1)[0]
    same = cli("diff", one, one, "--mock")
    assert same.exit_code == 2 and "two different executions" in same.stderr
    bad = cli("diff", one, "abc", "--mock")
    assert bad.exit_code == 2 and "not a valid process id" in bad.stderr
    missing = cli("diff", one, "999999999", "--mock")
    assert missing.exit_code == 1 and len(missing.err_lines) == 1 and "not found" in missing.stderr


# ---- journal -------------------------------------------------------------------------------------

def journal_file(kind: str) -> Path:
    if kind == "mock":
        return Path(os.environ["XDG_CACHE_HOME"]) / "meshdeck" / "mock" / "journal.jsonl"
    return Path(os.environ["MESHDECK_DATA_DIR"]) / "journal.jsonl"


def test_mock_actions_are_journaled_apart_from_the_real_data_folder(cli, mock):
    target = ids_with(mock.store, "FAILED", 2)
    secret = "s3cr3t-token-value"
    done = cli("review", *target, "--mock", "--yes", "--reason", "known outage",
               env={"UNMESHED_AUTH_TOKEN": secret})
    assert done.exit_code == 0
    assert journal_file("mock").exists() and not journal_file("real").exists()
    assert secret not in journal_file("mock").read_text()
    run = cli("journal", "--mock", "-o", "json")
    [entry] = json.loads(run.stdout)
    assert (entry["action"], entry["reason"], entry["server"]) == ("review", "known outage", "mock")
    assert entry["results"] == {pid: "done" for pid in target} and entry["result"] == "done"
    assert entry["user"] and entry["profile"] is None
    table = cli("journal", "--mock")
    assert "review" in table.stdout and "2 done" in table.stdout and "known outage" in table.stdout


def test_real_server_actions_go_to_the_data_folder_and_filter(cli, mock, monkeypatch):
    from console.services.actions import PlanItem

    async def readable(backend, action, ids, **_):  # the statuses read; the sending fails
        return [PlanItem(pid, "FAILED", True, "would mark reviewed") for pid in ids]

    monkeypatch.setattr("console.services.actions.plan", readable)
    failed = cli("review", "1", "2", "--yes", "--base-url", "http://127.0.0.1:1")
    assert failed.exit_code == 1 and journal_file("real").exists()
    started = cli("run", "default/hello_world", "--mock")
    assert started.exit_code == 0
    ids = cli("journal", "--result", "failed", "-o", "ids")
    assert ids.lines == ["1", "2"]
    assert cli("journal", "--action", "review", "-o", "json").stdout.count('"action"') == 1
    assert cli("journal", "--id", "2", "-o", "csv").lines[1].split(",")[5:7] == ["2", "failed"]
    assert json.loads(cli("journal", "--since", "1h", "-o", "json").stdout)[0]["server"] == \
        "127.0.0.1:1"
    [run_entry] = json.loads(cli("journal", "--mock", "--action", "run", "-o", "json").stdout)
    assert run_entry["target"] == "default/hello_world" and run_entry["result"] == "done"
    wrong = cli("journal", "--action", "explode")
    assert wrong.exit_code == 2 and "unknown --action explode" in wrong.stderr
    assert cli("journal", "--result", "maybe").exit_code == 2


def test_journal_says_when_empty_and_when_cut(cli, mock):
    empty = cli("journal")
    assert empty.exit_code == 0 and "nothing journaled yet" in empty.stderr
    for pid in ids_with(mock.store, "FAILED", 3):
        cli("review", pid, "--mock", "--yes")
    cut = cli("journal", "--mock", "--limit", "2", "-o", "ndjson")
    assert len(cut.lines) == 2 and "showing the newest 2 of 3 actions" in cut.stderr


def test_a_hard_ctrl_c_mid_chunk_is_journaled_with_the_unknown_ids(cli, mock, monkeypatch):
    """Two SIGINTs during the second chunk: the first asks to stop, the second stops at once
    while the chunk is in flight. The journal still holds every id's result."""
    from console.backends.unmeshed import UnmeshedClient

    original = UnmeshedClient.__init__

    def small_chunks(self, *args, **kwargs):
        original(self, *args, **{**kwargs, "chunk_size": 2})

    monkeypatch.setattr(UnmeshedClient, "__init__", small_chunks)
    inner, calls = mock.app, []

    async def interrupting(scope, receive, send):
        if scope["type"] == "http" and scope["path"].endswith("bulkReviewed"):
            calls.append(1)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGINT)
                os.kill(os.getpid(), signal.SIGINT)
        await inner(scope, receive, send)

    failed = ids_with(mock.store, "FAILED", 6)
    mock.app = interrupting
    monkeypatch.setattr("console.cli.common.interactive", lambda: False)
    run = cli("review", *failed, "--yes", "--mock")
    assert run.exit_code == 130
    [entry] = json.loads(cli("journal", "--mock", "-o", "json").stdout)
    assert [entry["results"][pid] for pid in failed] == [
        "done", "done", "unknown", "unknown", "not sent", "not sent"]


# ---- smaller things ------------------------------------------------------------------------------

def test_until_alone_and_an_unknown_trigger_are_refused_before_sending(cli, mock):
    alone = cli("search", "--mock", "--until", "1h")
    assert alone.exit_code == 2 and "--until needs --since" in alone.stderr
    backwards = cli("search", "--mock", "--since", "1h", "--until", "2h")
    assert backwards.exit_code == 2 and "--until is before --since" in backwards.stderr
    trigger = cli("search", "--mock", "--trigger", "API,CRON")
    assert trigger.exit_code == 2 and "trigger CRON (known: MANUAL" in trigger.stderr
    assert mock.requests == []


def complete(cli, words: str, env: dict | None = None) -> list[str]:
    parts = words.split(" ")
    run = cli(env={"_MESHDECK_COMPLETE": "complete_bash", "COMP_WORDS": words,
                   "COMP_CWORD": str(len(parts) - 1), **(env or {})})
    assert run.exit_code == 0, run.stderr
    return [line for line in run.lines if line]


def test_shell_completion_offers_values(cli, mock, isolated_config):
    isolated_config.write_text('[profiles.prod]\nbase_url = "https://a.example"\n'
                               '[profiles.stage]\nbase_url = "https://b.example"\n')
    assert complete(cli, "meshdeck search --status F") == ["FAILED"]
    assert complete(cli, "meshdeck search --status FAILED,T") == ["FAILED,TIMED_OUT",
                                                                   "FAILED,TERMINATED"]
    assert complete(cli, "meshdeck search -o ") == ["table", "json", "ndjson", "csv", "ids"]
    assert complete(cli, "meshdeck --profile s") == ["stage"]
    assert complete(cli, "meshdeck --backend c") == ["conductor"]
    names = {p["name"] for p in mock.store.processes.values()}
    assert set(complete(cli, "meshdeck search --mock --name ")) == names
    assert complete(cli, "meshdeck search --base-url http://127.0.0.1:1 --name ") == []
