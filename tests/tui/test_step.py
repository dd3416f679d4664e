"""Pilot tests of the step detail screen."""

from __future__ import annotations

from console.errors import NotFound
from console.models import StepData
from console.tui.screens.step import StepScreen
from console.tui.widgets.json_view import JsonView

from .conftest import SIZE
from .test_detail import notifications, text_of


async def open_step(pilot, wait_idle, step_id: str, step: StepData | None = None) -> StepScreen:
    await wait_idle(pilot)
    pilot.app.push_screen(StepScreen(step_id, step))
    await wait_idle(pilot)
    assert isinstance(pilot.app.screen, StepScreen)
    return pilot.app.screen


def first_step(app, status: str) -> dict:
    store = app.mock_app.state.store
    for pid in sorted(store.processes):
        for record in store.get_process(pid, include_steps=True)["stepRecords"]:
            if record["status"] == status and record["executionList"]:
                return record
    raise AssertionError(f"no {status} step in the seeded mock")


async def test_a_completed_step_fetched_by_id(make_app, wait_idle):
    app = make_app()
    record = first_step(app, "COMPLETED")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_step(pilot, wait_idle, str(record["id"]))
        summary = text_of(screen.query_one("#step-summary"))
        for part in ("COMPLETED", record["ref"], str(record["id"]), str(record["processId"])):
            assert part in summary
        assert not screen.query_one("#step-error").display
        table = screen.query_one("#attempt-table")
        assert table.row_count == len(record["executionList"])
        await pilot.press("2")
        assert screen.query_one("#step-input", JsonView).value == record["input"]
        await pilot.press("3")
        assert screen.query_one("#step-output", JsonView).value == record["output"]


async def test_an_unknown_step_is_a_notification_and_r_tries_again(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_step(pilot, wait_idle, "987654321")
        assert any("could not load" in n and "987654321" in n for n in notifications(app))
        assert "Could not load step" in text_of(screen.query_one("#step-summary"))
        await pilot.press("r", "1", "2", "3", "escape")
        await wait_idle(pilot)
        assert app.is_running and not isinstance(app.screen, StepScreen)


async def test_the_given_step_shows_when_the_fetch_fails(make_app, wait_idle):
    app = make_app()
    step = StepData(id=5, ref="given", status="COMPLETED", execution_list=[])

    async def missing(*_args, **_kwargs):
        raise NotFound("no step 5", status=404)

    app.backend.get_step = missing
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_step(pilot, wait_idle, "5", step)
        assert "given" in text_of(screen.query_one("#step-summary"))
        assert any("no step 5" in n for n in notifications(app))
        assert screen.query_one("#attempt-table").row_count == 0
        await pilot.press("y")
        assert app.clipboard == "meshdeck step 5"
