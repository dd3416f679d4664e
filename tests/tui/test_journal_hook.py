"""The console journals what it sends (console.services.journal), through the same engine as
the CLI, into the data folder, or a mock-only folder when opened with --mock."""

from __future__ import annotations

import os
from pathlib import Path

from console.services.data_folder import mock_data_folder
from console.tui.dialogs.confirm import ConfirmAction
from console.tui.dialogs.results import ResultsScreen

from .conftest import SIZE


def failed_ids(app, n: int) -> list[str]:
    store = app.mock_app.state.store
    return [str(pid) for pid, p in sorted(store.processes.items(), reverse=True)
            if p["status"] == "FAILED"][:n]


async def test_a_confirmed_action_in_the_console_is_journaled(make_app, wait_idle):
    app = make_app(executions=300)
    assert app.data_folder == Path(os.environ["MESHDECK_DATA_DIR"])
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        ids = failed_ids(app, 2)
        app.start_action("review", ids)
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmAction)
        await pilot.click("#confirm")
        await wait_idle(pilot)
        assert isinstance(app.screen, ResultsScreen)
    [entry] = app.journal.entries()
    assert entry.action == "review" and entry.results == {pid: "done" for pid in ids}
    assert entry.time == "2026-11-25T12:00:00.000Z"  # the app's (frozen) clock
    assert app.journal.path.parent == app.data_folder


async def test_a_cancelled_confirmation_sends_and_journals_nothing(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        app.start_action("review", failed_ids(app, 1))
        await wait_idle(pilot)
        await pilot.click("#cancel")
        await wait_idle(pilot)
    assert app.journal.entries() == [] and not app.journal.path.exists()


def test_a_mock_session_keeps_history_and_journal_out_of_the_data_folder(make_app):
    app = make_app(executions=50, mock=True)
    assert app.data_folder == mock_data_folder() != Path(os.environ["MESHDECK_DATA_DIR"])
    assert app.journal.path.parent == mock_data_folder()
