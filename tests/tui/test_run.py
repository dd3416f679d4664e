"""Run screen: pick a definition, prefilled input, run sync and land on the new detail."""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from console.tui.screens.detail import ExecutionDetailScreen
from console.tui.screens.run import RunScreen
from console.tui.widgets.json_editor import JsonEditor

from .conftest import SIZE


async def open_run(pilot, wait_idle, namespace: str, name: str) -> RunScreen:
    await wait_idle(pilot)
    await pilot.press("f5")
    await wait_idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    screen.choose(namespace, name)
    await wait_idle(pilot)
    return screen


async def test_run_test_process_sync_lands_on_its_detail(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, wait_idle, "default", "test_process")
        assert screen.query_one("#run-mode", Select).value == "sync"
        screen.query_one(JsonEditor).load_text('{"orderId": 7}')
        screen.query_one("#run-corr", Input).value = "corr-7"
        before = set(app.mock_app.state.store.processes)
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        new = set(app.mock_app.state.store.processes) - before
        assert len(new) == 1
        pid = new.pop()
        stored = app.mock_app.state.store.get_process(pid)
        assert (stored["namespace"], stored["name"]) == ("default", "test_process")
        assert stored["input"] == {"orderId": 7} and stored["correlationId"] == "corr-7"
        assert stored["status"] == "COMPLETED"  # sync: the server ran it to the end
        assert isinstance(app.screen, ExecutionDetailScreen)
        assert app.screen.process_id == str(pid)
        await pilot.press("escape")
        await wait_idle(pilot)
        assert isinstance(app.screen, RunScreen)


async def test_input_prefilled_from_default_input_and_versions_listed(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, wait_idle, "payments", "charge_card")
        assert json.loads(screen.query_one(JsonEditor).text) == {"source": "meshdeck-mock",
                                                                 "priority": "normal"}
        versions = [v for _, v in screen.query_one("#run-version", Select)._options]
        assert versions[:4] == ["latest", "3", "2", "1"]


async def test_async_run_with_a_version(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, wait_idle, "payments", "charge_card")
        screen.query_one("#run-version", Select).value = "1"
        screen.query_one("#run-mode", Select).value = "async"
        await wait_idle(pilot)
        before = set(app.mock_app.state.store.processes)
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        (pid,) = set(app.mock_app.state.store.processes) - before
        stored = app.mock_app.state.store.get_process(pid)
        assert stored["version"] == 1 and stored["status"] == "RUNNING"
        assert isinstance(app.screen, ExecutionDetailScreen)


async def test_bad_input_and_bad_timeout_are_refused(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, wait_idle, "default", "test_process")
        before = len(app.mock_app.state.store.processes)
        screen.query_one(JsonEditor).load_text('{"a": }')
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert screen.query_one(JsonEditor).error.column == 7
        screen.query_one(JsonEditor).load_text("{}")
        screen.query_one("#run-timeout", Input).value = "soon"
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert len(app.mock_app.state.store.processes) == before
        messages = [n.message for n in app._notifications]
        assert any("not valid JSON" in m for m in messages)
        assert any("'soon' is not a number" in m for m in messages)
        assert isinstance(app.screen, RunScreen)


async def test_nothing_chosen_and_read_only(make_app, wait_idle):
    app = make_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("f5")
        await wait_idle(pilot)
        before = len(app.mock_app.state.store.processes)
        app.screen.choose("default", "test_process")
        await wait_idle(pilot)
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert len(app.mock_app.state.store.processes) == before
        assert any("read-only" in n.message for n in app._notifications)
        assert app.screen.query_one("#run-go").disabled


async def test_server_error_is_a_notification(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run(pilot, wait_idle, "default", "test_process")
        # a definition the server does not know: a 404 from runSync, shown, no crash
        screen.definitions["ghost/none"] = screen.definitions["default/test_process"]
        select = screen.query_one("#run-def", Select)
        select.set_options([(k, k) for k in screen.definitions])
        select.value = "ghost/none"
        await wait_idle(pilot)
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert isinstance(app.screen, RunScreen)
        assert any(n.message.startswith("the run failed") for n in app._notifications)
