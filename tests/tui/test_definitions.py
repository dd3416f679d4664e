"""Definitions: list by namespace, open one (steps, stats), jump to its executions, run it."""

from __future__ import annotations

from textual.widgets import Input, Tree

from console.models import ProcessData
from console.services.stats import duration_stats
from console.tui.screens.definitions import DefinitionScreen, DefinitionsScreen
from console.tui.screens.executions import ExecutionsScreen
from console.tui.screens.run import RunScreen

from .conftest import SIZE
from .part2_scenarios import CHARGE_CARD, definitions_list


async def test_list_open_and_jump_to_executions(make_app, wait_idle):
    app = make_app(executions=2000)
    async with app.run_test(size=SIZE) as pilot:
        await definitions_list(pilot)
        screen = app.screen
        assert isinstance(screen, DefinitionsScreen)
        assert len(screen.shown) == len(app.mock_app.state.store.list_definitions())
        assert [d.namespace for d in screen.shown] == sorted(d.namespace for d in screen.shown)
        await pilot.press("enter")
        await wait_idle(pilot)
        detail = app.screen
        assert isinstance(detail, DefinitionScreen)
        labels = [str(n.label) for n in _walk(detail.query_one("#steps", Tree).root)]
        assert any(label.startswith("route  SWITCH") for label in labels)
        assert any(label.startswith("capture_now  WORKER") for label in labels)
        # the stats agree with the store over the same 24 h
        store, now = app.mock_app.state.store, app.now_ms()
        rows = [ProcessData.model_validate(store.get_process(pid)) for pid, r in
                store.processes.items() if (r["namespace"], r["name"]) == ("payments",
                                                                            "charge_card")]
        expected = duration_stats(rows, now)
        assert detail.stats == expected and expected.count > 5
        assert "success" in str(detail.query_one("#def-stats").render())
        await pilot.press("e")
        await wait_idle(pilot)
        executions = app.screen
        assert isinstance(executions, ExecutionsScreen)
        assert executions.filters.namespace == "payments"
        assert executions.filters.names == ["charge_card"]
        names = {(p.namespace, p.name) for p in executions.table.rows}
        assert names == {("payments", "charge_card")}
        assert len(executions.table.rows) == expected.count
        await pilot.press("f3")
        await wait_idle(pilot)
        assert isinstance(app.screen, DefinitionScreen)  # the section kept its stack


def _walk(node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


async def test_filter_and_run_from_a_definition(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("f3")
        await wait_idle(pilot)
        screen = app.screen
        await pilot.press("slash")
        screen.query_one("#def-filter", Input).value = "card"
        await pilot.press("enter")
        await wait_idle(pilot)
        assert [f"{d.namespace}/{d.name}" for d in screen.shown] == [CHARGE_CARD]
        await pilot.press("x")
        await wait_idle(pilot)
        assert isinstance(app.screen, RunScreen)
        assert app.screen.query_one("#run-def").value == CHARGE_CARD


async def test_server_down_keeps_the_screen(make_app, wait_idle):
    app = make_app()

    async def broken():
        from console.errors import Unreachable

        raise Unreachable("cannot reach http://mock (connection refused)")

    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        app.backend.list_definitions = broken
        await pilot.press("f3")
        await wait_idle(pilot)
        assert isinstance(app.screen, DefinitionsScreen)
        assert any("cannot list definitions" in n.message for n in app._notifications)
        assert "could not list" in str(app.screen.query_one("#def-status").render())


async def test_stats_window_cycles(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await definitions_list(pilot)
        await pilot.press("enter")
        await wait_idle(pilot)
        day = app.screen.stats
        await pilot.press("w")
        await wait_idle(pilot)
        week = app.screen.stats
        assert len(day.per_hour) == 24 and len(week.per_hour) == 24 * 7
        assert week.count >= day.count
