"""Durations are the time a process ran, not the time since someone last touched it."""

from __future__ import annotations

import json

from tests.cli.conftest import ids_with


def duration_line(run) -> str:
    [line] = [line for line in run.lines if line.startswith("duration ")]
    return line.split(None, 1)[1].strip()


def test_a_reviewed_execution_shows_how_long_it_ran_not_when_it_was_reviewed(cli, mock):
    """Before: a FAILED execution that ran seconds showed "5h 05m" once marked reviewed."""
    pid = ids_with(mock.store, "FAILED", 1)[0]
    before = duration_line(cli("get", pid, "--mock"))
    mock.store.clock.advance(5 * 3600)
    assert cli("review", pid, "--yes", "--mock").exit_code == 0
    after = cli("get", pid, "--mock")
    assert "REVIEWED" in after.stdout
    assert duration_line(after) == before and "h" not in before


def test_a_reviewed_search_row_shows_no_duration_rather_than_a_wrong_one(cli, mock):
    """A search sends no steps and the review moved 'updated': the duration is not known."""
    pid = ids_with(mock.store, "FAILED", 1)[0]
    mock.store.clock.advance(5 * 3600)
    assert cli("review", pid, "--yes", "--mock").exit_code == 0
    run = cli("search", "--mock", "--process-id", pid, "--since", "30d",
              "--columns", "id,status,duration", "-o", "json")
    assert json.loads(run.stdout) == [{"id": int(pid), "status": "REVIEWED", "duration": None}]


def test_a_finished_search_row_shows_how_long_it_ran(cli, mock):
    pid = ids_with(mock.store, "COMPLETED", 1)[0]
    p = mock.store.processes[int(pid)]
    run = cli("search", "--mock", "--process-id", pid, "--since", "30d",
              "--columns", "id,duration", "-o", "json")
    assert json.loads(run.stdout) == [{"id": int(pid), "duration": p["updated"] - p["created"]}]


def test_a_running_execution_shows_its_time_so_far(cli, mock):
    pid = ids_with(mock.store, "RUNNING", 1)[0]
    run = cli("get", pid, "--mock", "--no-steps")
    assert duration_line(run).endswith(" so far")
    table = cli("search", "--mock", "--process-id", pid, "--since", "30d")
    assert " so far" in table.stdout
    data = cli("search", "--mock", "--process-id", pid, "--since", "30d",
               "--columns", "id,duration", "-o", "json")
    assert json.loads(data.stdout)[0]["duration"] is None  # machine output: final durations only
