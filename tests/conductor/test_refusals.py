"""On Conductor, what the backend cannot honour is refused up front: exit 2, one line with the
reason, and not one request sent. No filter is ever dropped silently."""

from __future__ import annotations

import time

import pytest

from console.mock.clock import FakeClock
from console.mock.conductor_app import create_conductor_app
from tests.cli.conftest import Recorder, mounted

#: Each filter Conductor's search cannot express, as typed, and the words the refusal uses.
UNHONOURED = [
    (["--trigger", "API"], "trigger type"),
    (["--type", "STANDARD"], "process type"),
    (["--status", "REVIEWED"], "status REVIEWED"),
    (["--status", "FAILED,QUARANTINED"], "status QUARANTINED"),
    (["--tag", "env"], "tag"),
    (["--step-name", "charge"], "step name"),
    (["--step-ref", "charge_ref"], "step ref"),
    (["--request-id", "r-1"], "request id"),
    (["--namespace", "default"], "namespace (Conductor has none)"),
]


@pytest.fixture
def conductor(monkeypatch) -> Recorder:
    return mounted(monkeypatch, create_conductor_app(seed=7, executions=200,
                                                     clock=FakeClock(int(time.time() * 1000))))


def refused(run, *words: str) -> None:
    assert run.exit_code == 2, (run.exit_code, run.stderr)
    lines = run.err_lines
    assert len(lines) == 1 and lines[0].startswith("meshdeck: error: "), run.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.mark.parametrize("args,why", UNHONOURED, ids=lambda v: v if isinstance(v, str) else v[0])
@pytest.mark.parametrize("command", [["search"], ["search", "--all", "-o", "ids"],
                                     ["terminate", "--yes"], ["resume", "--dry-run"],
                                     ["pause", "--yes"], ["restart", "--yes", "-o", "json"]])
def test_a_filter_conductor_cannot_honour_is_refused_before_anything_is_sent(
        cli, conductor, command, args, why):
    run = cli(*command, *args, "--mock", "--backend", "conductor")
    refused(run, "the conductor backend cannot search by", why)
    assert conductor.requests == [] and run.stdout == ""


def test_every_unhonoured_filter_is_named_in_one_line(cli, conductor):
    run = cli("search", "--trigger", "API", "--tag", "env", "--namespace", "x", "--status",
              "REVIEWED", "--mock", "--backend", "conductor")
    refused(run, "trigger type", "tag", "namespace", "status REVIEWED",
            "use name, status, correlation id")
    assert conductor.requests == []


def test_cancelled_is_searched_as_conductors_terminated_not_refused(cli, conductor):
    run = cli("search", "--status", "CANCELLED", "--since", "30d", "--mock", "--backend",
              "conductor", "-o", "json")
    assert run.exit_code == 0, run.stderr


def test_call_is_refused_on_conductor_with_the_reason(cli, conductor):
    run = cli("call", "orders/submit", "--data", "{}", "--mock", "--backend", "conductor")
    refused(run, "call is not available on the conductor backend", "API mappings")
    assert conductor.requests == []


def test_rerun_with_a_version_is_refused_on_conductor(cli, conductor):
    wid = next(iter(conductor.store.processes))
    run = cli("rerun", str(wid), "--version", "2", "--yes", "--mock", "--backend", "conductor")
    refused(run, "--version is not available on the conductor backend", "drop --version")
    assert conductor.requests == []


def test_the_same_filters_are_searched_on_unmeshed(cli, monkeypatch):
    """Unmeshed honours every filter, and its statuses are an open set: a status it may not
    know is searched with a warning, not refused."""
    from console.mock.app import create_app

    mounted(monkeypatch, create_app(seed=7, executions=100, clock=FakeClock(int(time.time() * 1000))))
    warnings = ""
    for args, _ in UNHONOURED:
        run = cli("search", *args, "--mock", "-o", "json")
        assert run.exit_code == 0, (args, run.stderr)
        warnings += run.stderr
    assert "QUARANTINED is not one meshdeck knows" in warnings


def test_a_query_past_the_cap_says_exactly_how_many_match_where_the_backend_counts(
        cli, conductor, monkeypatch):
    """Conductor counts (totalHits): the refusal gives the number, not "more than"."""
    import console.services.search as search_service

    every = cli("search", "--status", "FAILED", "--since", "30d", "--all", "-o", "ids", "--mock",
                "--backend", "conductor")
    n = len(every.lines)
    assert n > 5
    monkeypatch.setattr(search_service, "COUNT_CAP", 5)
    run = cli("resume", "--status", "FAILED", "--since", "30d", "--yes", "--mock", "--backend",
              "conductor")
    refused(run, f"{n:,} executions match, and meshdeck sends at most 5 at once",
            "nothing was sent")
    assert not [r for r in conductor.requests if r[0] != "GET"]
