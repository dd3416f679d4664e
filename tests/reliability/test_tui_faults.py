"""The TUI's main flows under a misbehaving server (latency, 500s, HTML error pages, unknown
enums): the app stays up, says what went wrong in a notification, and recovers once the faults
stop (``app.mock_app.state.faults.enabled = False``). Read-only blocks every destructive path."""

from __future__ import annotations

import pytest

pytest.importorskip("textual")

from console.mock.clock import FROZEN_NOW_MS, FakeClock  # noqa: E402
from tests.tui.scenarios import settle  # noqa: E402

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def tui_env(tmp_path, monkeypatch):
    from textual.widgets import Input, TextArea

    monkeypatch.setenv("MESHDECK_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setattr(Input.cursor_blink, "_default", False)
    monkeypatch.setattr(TextArea.cursor_blink, "_default", False)


def build(faults: str | None, read_only: bool = False, executions: int = 200):
    from console.connect import open_backend
    from console.mock.app import create_app
    from console.tui.app import MeshdeckApp
    from tests.tui.conftest import make_settings

    clock = FakeClock(FROZEN_NOW_MS)
    settings = make_settings(read_only=read_only)
    mock_app = create_app(seed=7, executions=executions, clock=clock, faults=faults)
    backend = open_backend(settings, mock_app=mock_app)
    backend.http.backoff = 0.001
    app = MeshdeckApp(backend, settings, clock=clock)
    app.mock_app = mock_app
    return app


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def is_executions(app) -> bool:
    return type(app.screen).__name__ == "ExecutionsScreen"


@pytest.mark.parametrize("spec, words", [
    ("error_rate=1,errors=500", "500"),
    ("error_rate=1,errors=502,html_errors", "502 Bad Gateway"),
    ("truncate_rate=1", "truncated JSON"),
])
async def test_errors_notify_and_recover(spec, words):
    app = build(spec)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert is_executions(app) and not app.screen.table.rows
        assert any(words in m for m in messages(app)), messages(app)
        app.mock_app.state.faults.enabled = False
        await pilot.press("r")
        await settle(pilot)
        rows = app.screen.table.rows
        assert rows
        app.mock_app.state.faults.enabled = True
        await pilot.press("enter")  # the detail screen meets the fault too
        await settle(pilot)
        assert any("could not load" in (n.title or "") or words in n.message
                   for n in app._notifications)
        app.mock_app.state.faults.enabled = False
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExecutionDetailScreen"
        assert str(rows[0].process_id) in str(app.screen.process_id)
        await pilot.press("escape")
        await settle(pilot)
        assert is_executions(app)


async def test_latency_and_unknown_enums_keep_working():
    app = build("latency=20ms,jitter=20ms,unknown_enums,extra_fields,seed=2")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.screen.table.rows
        assert rows and {p.status for p in rows} == {"QUARANTINED"}
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExecutionDetailScreen"
        await pilot.press("2", "3", "4", "escape")
        await settle(pilot)
        assert is_executions(app)
        await pilot.press("space", "u")  # an unknown status: resume does not apply; no crash
        await settle(pilot)
        if app.screen.is_modal:
            await pilot.press("escape")
            await settle(pilot)
        assert is_executions(app)
        assert not [m for m in messages(app) if "Error" in m and "Traceback" in m]


async def test_a_search_that_pages_forever_is_stopped():
    app = build("endless_search", executions=100)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")  # load every match
        await settle(pilot, rounds=6)
        assert is_executions(app)
        assert len(app.screen.table.rows) <= 10_000
        assert any("ignore paging" in m or "stopped" in m for m in messages(app)), messages(app)


async def test_read_only_blocks_keys_palette_and_flows():
    from console.tui.commands import screen_commands

    app = build(None, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = app.mock_app.state.store
        before = {pid: p["status"] for pid, p in store.processes.items()}
        names = {c.name for c in screen_commands(app.screen)}
        assert not names & {"Terminate", "Resume", "Reviewed", "Rerun"}
        await pilot.press("space", "t", "u", "v", "R")
        await settle(pilot)
        pid = str(app.screen.table.rows[0].process_id)
        for action in ("terminate", "resume", "review", "rerun"):
            app.start_action(action, [pid], {pid: "FAILED"})
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not {c.name for c in screen_commands(app.screen)} & {"Terminate", "Resume",
                                                                    "Reviewed", "Rerun"}
        await pilot.press("t", "u", "v", "R")
        await settle(pilot)
        assert not app.screen.is_modal
        assert sum("read-only" in m for m in messages(app)) >= 4
        assert {pid: p["status"] for pid, p in store.processes.items()} == before
        assert len(store.processes) == len(before)
