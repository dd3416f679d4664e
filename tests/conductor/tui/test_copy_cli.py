""""Copy as CLI" on the Conductor backend under --mock: the copied lines reach the same place
(``--mock --backend conductor``) and offer only what Conductor can do."""

from __future__ import annotations

from console.mock.conductor_app import create_conductor_app
from tests.tui.scenarios import SIZE, settle


def build(clock, *, mock: bool):
    from console.connect import open_backend
    from console.config import load_settings
    from console.tui.app import MeshdeckApp

    settings = load_settings(overrides={"backend": "conductor"}, env={})
    mock_app = create_conductor_app(seed=7, executions=300, clock=clock)
    app = MeshdeckApp(open_backend(settings, mock_app=mock_app), settings, clock=clock,
                      mock=mock)
    return app


async def test_copied_lines_carry_mock_and_backend_and_no_review(clock):
    from console.tui.screens.detail import ExecutionDetailScreen
    from console.tui.screens.step import StepScreen

    app = build(clock, mock=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")  # the FAILED facet (RUNNING, PAUSED, COMPLETED, FAILED)
        await settle(pilot)
        pid = str(app.screen.table.current.process_id)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExecutionDetailScreen)
        await pilot.press("y")
        await settle(pilot)
        lines = [c.line for c in app.screen.lines]
        assert lines[0] == f"meshdeck get {pid} --steps --mock --backend conductor"
        assert f"meshdeck resume {pid} --yes --mock --backend conductor" in lines
        assert all(line.endswith(" --mock --backend conductor") for line in lines), lines
        assert not [line for line in lines if line.startswith("meshdeck review ")]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # the failed task
        await settle(pilot)
        step = app.screen
        assert isinstance(step, StepScreen)
        await pilot.press("y")
        assert app.clipboard == f"meshdeck step {step.step_id} --mock --backend conductor"


async def test_without_mock_the_lines_name_the_backend_only(clock):
    app = build(clock, mock=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pid = str(app.screen.table.current.process_id)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")
        assert app.clipboard == f"meshdeck get {pid} --steps --backend conductor"
