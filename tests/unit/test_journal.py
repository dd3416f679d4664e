"""The action journal (console.services.journal) through the one engine and the start services:
what an entry holds, an interrupted run journaled as it stood, never a token, and where it goes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from console import errors
from console.connect import open_backend
from console.mock.app import create_app
from console.mock.clock import FROZEN_NOW_MS, FakeClock
from console.models import ProcessRequest
from console.services.actions import run_action
from console.services.data_folder import data_folder, mock_data_folder
from console.services.journal import Entry, Journal, select, server_of
from console.services.starting import start_process
from tests.contract.conftest import TOKEN
from tests.contract.conftest import settings as client_settings

WHEN = FROZEN_NOW_MS


@pytest.fixture
def env(tmp_path):
    app = create_app(seed=7, executions=300, clock=FakeClock(FROZEN_NOW_MS))
    backend = open_backend(client_settings(), mock_app=app)
    journal = Journal(tmp_path / "data", "prod", user="alice", clock=lambda: WHEN)
    return backend, app.state.store, journal


def failed_ids(store, n: int) -> list[str]:
    return [str(pid) for pid, p in sorted(store.processes.items(), reverse=True)
            if p["status"] == "FAILED"][:n]


def lines(journal: Journal) -> list[dict]:
    return [json.loads(line) for line in journal.path.read_text().splitlines()]


async def test_a_finished_run_is_one_line_with_every_id_and_never_a_token(env):
    backend, store, journal = env
    ids = failed_ids(store, 3)
    await run_action(backend, "review", [*ids, "999999"], reason="known outage", journal=journal)
    [entry] = lines(journal)
    assert entry["time"] == "2026-11-25T12:00:00.000Z"
    assert (entry["action"], entry["profile"], entry["server"], entry["user"]) == (
        "review", "prod", "mock", "alice")
    assert entry["reason"] == "known outage" and entry["ids"] == [*ids, "999999"]
    assert entry["results"] == {**{pid: "done" for pid in ids}, "999999": "failed"}
    assert entry["result"] == "partial"
    text = journal.path.read_text()
    assert TOKEN not in text and "Bearer" not in text
    assert oct(journal.path.stat().st_mode & 0o777) == "0o600"


async def test_a_run_stopped_between_chunks_is_journaled_as_it_stood(env):
    backend, store, journal = env
    backend.chunk_size = 2
    ids = failed_ids(store, 5)
    asked = iter([False, True])
    outcome = await run_action(backend, "resume", ids, stop=lambda: next(asked), journal=journal)
    [entry] = lines(journal)
    assert entry["results"] == {ids[0]: "done", ids[1]: "done", ids[2]: "not sent",
                                ids[3]: "not sent", ids[4]: "not sent"}
    assert entry["result"] == "partial" and "stopped on request" in entry["message"]
    assert outcome.not_sent == ids[2:]


async def test_a_run_cancelled_mid_chunk_is_still_journaled(env):
    """A cancelled worker (the TUI) or a second Ctrl-C (the CLI, see tests/cli/test_oncall.py)
    cuts the run short: the chunk in flight is unknown, the rest not sent."""
    backend, store, journal = env
    backend.chunk_size = 2
    ids = failed_ids(store, 5)
    real = backend.send_chunk
    in_flight = asyncio.Event()

    async def send_chunk(action, chunk, reason, settled):
        if chunk[0] != ids[0]:
            in_flight.set()
            await asyncio.sleep(3600)
        await real(action, chunk, reason, settled)

    backend.send_chunk = send_chunk
    task = asyncio.create_task(run_action(backend, "terminate", ids, journal=journal))
    await in_flight.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [entry] = lines(journal)
    assert [entry["results"][pid] for pid in ids] == [
        "failed", "failed", "unknown", "unknown", "not sent"]  # FAILED cannot be terminated
    assert entry["result"] == "partial"


async def test_a_rerun_journals_the_processes_it_started(env):
    backend, store, journal = env
    [pid] = failed_ids(store, 1)
    outcome = await run_action(backend, "rerun", [pid], journal=journal)
    [entry] = lines(journal)
    new = str(outcome.started[pid].process_id)
    assert entry["new_ids"] == {pid: new} and entry["results"] == {pid: "done"}
    assert Entry.from_json(entry).result_of(new) == "done"


async def test_run_is_journaled_done_failed_or_unknown(env):
    backend, store, journal = env
    started = await start_process(backend, ProcessRequest(namespace="default", name="hello_world"),
                                  journal=journal)
    with pytest.raises(errors.MeshdeckError):
        await start_process(backend, ProcessRequest(namespace="default", name="no_such"),
                            journal=journal)

    async def lost(request):
        raise errors.OutcomeUnknown("no answer came")

    backend.run_async = lost
    with pytest.raises(errors.OutcomeUnknown):
        await start_process(backend, ProcessRequest(namespace="default", name="hello_world"),
                            journal=journal)
    done, failed, unknown = lines(journal)
    assert (done["action"], done["target"], done["result"]) == ("run", "default/hello_world", "done")
    assert done["ids"] == [str(started.process_id)]
    assert failed["result"] == "failed" and failed["ids"] == [] and failed["message"]
    assert unknown["result"] == "unknown" and unknown["message"] == "no answer came"


async def test_no_journal_writes_nothing_and_a_failing_one_warns_but_the_action_stands(env, tmp_path):
    backend, store, _ = env
    ids = failed_ids(store, 2)
    await run_action(backend, "review", ids[:1])
    assert not (tmp_path / "data").exists()
    heard: list[str] = []
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    broken = Journal(blocked, None, on_problem=heard.append)
    outcome = await run_action(backend, "review", ids[1:], journal=broken)
    assert outcome.succeeded == ids[1:]
    assert len(heard) == 1 and "was not written" in heard[0] and "review itself was sent" in heard[0]


def test_entries_skip_damaged_lines_and_select_filters(tmp_path):
    journal = Journal(tmp_path, "prod", user="bob", clock=lambda: WHEN)
    first = journal.entry("https://acme.example:8443/api", "resume", reason="r")
    first.ids, first.results, first.result = ["1", "2"], {"1": "done", "2": "unknown"}, "partial"
    journal.write(first)
    journal.path.write_text(journal.path.read_text() + "not json\n{\"x\": 1}\n\n")
    later = Journal(tmp_path, "stage", user="bob", clock=lambda: WHEN + 3_600_000)
    second = later.entry("http://mock", "rerun")
    second.ids, second.results, second.new_ids, second.result = ["3"], {"3": "done"}, {"3": "9"}, "done"
    later.write(second)
    entries = journal.entries()
    assert [e.action for e in entries] == ["resume", "rerun"] and journal.damaged == 2
    assert entries[0].server == "acme.example:8443" and entries[0].summary() == "1 done, 1 unknown"
    assert select(entries, since_ms=WHEN + 1) == [entries[1]]
    assert select(entries, actions=["resume"]) == [entries[0]]
    assert select(entries, ids=["9"]) == [entries[1]]  # a process a rerun started
    assert select(entries, results=["unknown"]) == [entries[0]]
    assert select(entries, results=["partial"]) == [entries[0]]
    assert select(entries, results=["failed"]) == []
    assert Journal(tmp_path / "none", None).entries() == []


def test_server_of_never_keeps_credentials_or_paths():
    assert server_of("https://user:secret@acme.unmeshed.io/api") == "acme.unmeshed.io"
    assert server_of("http://10.0.0.1:8080") == "10.0.0.1:8080"
    assert server_of("http://mock") == "mock"


def test_the_data_folder_follows_env_then_profile_and_mock_goes_elsewhere(tmp_path, monkeypatch):
    from dataclasses import replace

    from console.config import load_settings

    profile = replace(load_settings(env={}, path=tmp_path / "none.toml"),
                      data_dir=str(tmp_path / "profile-data"))
    monkeypatch.delenv("MESHDECK_DATA_DIR")
    assert data_folder(profile) == tmp_path / "profile-data"
    monkeypatch.setenv("MESHDECK_DATA_DIR", str(tmp_path / "env-data"))
    assert data_folder(profile) == data_folder(None) == tmp_path / "env-data"
    real = data_folder(profile)
    assert data_folder(profile, mock=True) == mock_data_folder()
    assert real not in data_folder(profile, mock=True).parents and mock_data_folder() != real
    assert Path(str(mock_data_folder())).name == "mock"
