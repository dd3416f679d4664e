"""The console on Conductor (seeded mock, frozen clock), driven from the keyboard only: find a
FAILED workflow, rerun it from its failed step and see the new attempt; skip a step of a RUNNING
one; pause, restart and remove with the same confirmation and results as every action; the
backend's own statuses in the facets; every action of the backend offered on both screens."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from console.backends.conductor.client import ConductorClient
from console.mock import conductor_dialect as cd
from console.mock import conductor_ids as ids
from console.models import ProcessRequest
from console.services.action_specs import ACTIONS
from console.tui.dialogs.confirm import ConfirmAction
from console.tui.dialogs.results import ResultsScreen
from console.tui.dialogs.step_action import StepActionDialog
from tests.conductor.tui.test_snapshot import build_conductor_app
from tests.tui.scenarios import SIZE, settle

SMALL = (80, 24)


def store(app):
    return app.backend.http._http._transport.app.state.store


async def keys(pilot, *pressed: str) -> None:
    """Press ``pressed`` and let the console settle (an action's dialog may then wait)."""
    await pilot.press(*pressed)
    await settle(pilot)


async def open_first(pilot, facet: str) -> None:
    """Executions, the facet of ``facet`` (by its key), enter on the first row."""
    app = pilot.app
    await settle(pilot)
    await keys(pilot, str(app.backend.STATUSES.index(facet) + 1))
    assert {p.status for p in app.screen.table.rows} == {facet}
    await keys(pilot, "enter")
    assert type(app.screen).__name__ == "ExecutionDetailScreen"


async def failed_one(pilot):
    """The detail of the first FAILED workflow, its failed step (focused) and how many tries."""
    await open_first(pilot, "FAILED")
    detail = pilot.app.screen
    failed = detail.process.failed_step()
    assert failed is not None and detail.query_one("StepTree").current_step.id == failed.id
    return detail, failed, len(failed.execution_list or [1])


async def test_find_a_failed_workflow_rerun_it_from_its_failed_step_and_see_the_new_attempt(clock):
    app = build_conductor_app(clock)
    async with app.run_test(size=SMALL) as pilot:
        detail, failed, tries = await failed_one(pilot)
        await keys(pilot, "f")
        dialog = app.screen
        assert isinstance(dialog, StepActionDialog) and failed.ref in dialog.title_text
        await pilot.press("f7", *'{"retry": "by hand"}')  # select all, type over it
        await keys(pilot, "ctrl+s")
        assert app.screen is detail and detail.process.status == "RUNNING"
        again = next(s for s in detail.process.step_records if s.ref == failed.ref)
        assert again.status in ("RUNNING", "SCHEDULED") and again.input == {"retry": "by hand"}
        assert again.id == failed.id and len(again.execution_list or [1]) == tries
        await keys(pilot, "enter")  # the step screen: its attempts, the last one running now
        assert type(app.screen).__name__ == "StepScreen"
        step = app.screen.step
        assert step.ref == failed.ref and step.attempts == tries and step.status in ("RUNNING",
                                                                                   "SCHEDULED")


async def test_resume_of_a_failed_one_appends_a_new_attempt(clock):
    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        detail, failed, tries = await failed_one(pilot)
        await keys(pilot, "u")
        assert isinstance(app.screen, ConfirmAction)
        assert [i.note for i in app.screen.apply] == ["would retry from the failed task"]
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        await keys(pilot, "escape")
        again = next(s for s in detail.process.step_records if s.ref == failed.ref)
        assert again.id != failed.id and len(again.execution_list) == tries + 1


async def test_skip_a_step_of_a_running_workflow(clock):
    app = build_conductor_app(clock)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        run = await app.backend.run_async(ProcessRequest(name="create_order", input={}))
        await keys(pilot, "r")  # the new one is on top of the list now
        assert str(app.screen.table.rows[0].process_id) == str(run.process_id)
        await keys(pilot, "home", "enter")
        detail = app.screen
        started = {s.ref for s in detail.process.step_records}
        await keys(pilot, "s")
        dialog = app.screen
        assert isinstance(dialog, StepActionDialog)
        offered = [ref for ref, _ in dialog.choices]
        assert offered and not set(offered) & started
        await keys(pilot, "down", "ctrl+s")
        chosen = offered[1] if len(offered) > 1 else offered[0]
        skipped = next(s for s in detail.process.step_records if s.ref == chosen)
        assert skipped.status == "SKIPPED"


async def test_skip_and_rerun_from_say_why_not_when_they_cannot_apply(clock):
    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, "FAILED")
        assert app.screen.check_action("skip_step", ()) is True  # offered: pressing says why
        await keys(pilot, "s")
        await settle(pilot)
        assert not isinstance(app.screen, StepActionDialog)
        assert "rerun from its failed step" in str(list(app._notifications)[-1].message)


async def test_pause_then_restart_with_the_same_confirmation_and_results(clock):
    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "1")  # RUNNING
        target = str(app.screen.table.current.process_id)
        await keys(pilot, "P")
        assert isinstance(app.screen, ConfirmAction) and app.screen.action_name == "pause"
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert [(r.id, r.result) for r in app.screen.rows] == [(target, "done")]
        assert cd.workflow_status(store(app).processes[ids.parse_workflow_id(target)]) == "PAUSED"
        await pilot.press("escape")
        app.open_process(target)
        await settle(pilot)
        await keys(pilot, "t")  # terminate it, then restart it
        await pilot.click("#confirm")
        await settle(pilot)
        await keys(pilot, "escape")
        await keys(pilot, "ctrl+r")
        assert isinstance(app.screen, ConfirmAction) and app.screen.action_name == "restart"
        await pilot.click("#confirm")
        await settle(pilot)
        assert [(r.id, r.result) for r in app.screen.rows] == [(target, "done")]


async def test_remove_from_the_detail_closes_it(clock):
    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, "COMPLETED")
        target = app.screen.process_id
        await keys(pilot, "D")
        assert isinstance(app.screen, ConfirmAction) and app.screen.action_name == "remove"
        assert "cannot be undone" in str(app.screen.query_one("#summary").render())
        await pilot.click("#confirm")
        await settle(pilot)
        assert [(r.id, r.result) for r in app.screen.rows] == [(target, "done")]
        await keys(pilot, "escape")
        assert type(app.screen).__name__ == "ExecutionsScreen"
        assert ids.parse_workflow_id(target) not in store(app).processes


async def test_resume_says_per_id_what_it_will_do_in_the_confirmation(clock):
    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.screen.table.rows
        paused = next(p for p in rows if p.status == "RUNNING")
        failed = next(p for p in rows if p.status == "FAILED")
        await app.backend.send_chunk("pause", [str(paused.process_id)], None, {})
        app.start_action("resume", [str(paused.process_id), str(failed.process_id)])
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmAction)
        notes = {i.id: i.note for i in dialog.apply}
        assert notes == {str(paused.process_id): "would resume (it is PAUSED)",
                         str(failed.process_id): "would retry from the failed task"}
        shown = str(dialog.query_one("#sent").render())
        assert "would resume (it is PAUSED)" in shown and "would retry from the failed task" in shown


async def test_facets_are_the_backends_statuses_and_the_owner_app_is_named(clock):
    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        facets = app.screen.facets
        assert facets.statuses == list(ConductorClient.STATUSES)
        assert "PAUSED" in facets.statuses and "REVIEWED" not in facets.statuses
        assert all(facets.counts[s] not in ("?", "…") for s in facets.statuses)
        row = app.screen.table.rows[0]
        assert app.screen.table.columns[3].label == "owner app"
        await keys(pilot, "enter")
        assert app.screen.process.namespace == row.namespace and row.namespace
        console = Console(width=140, record=True)
        console.print(app.screen.query_one("#summary").content)
        assert re.search(rf"owner app\s+{row.namespace}\b", console.export_text())


@pytest.mark.parametrize("screen_name", ["executions", "detail"])
async def test_both_screens_offer_every_action_of_the_backend(clock, screen_name):
    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if screen_name == "detail":
            await open_first(pilot, "FAILED")
        screen = app.screen
        bound = {b.action for bs in screen._bindings.key_to_bindings.values() for b in bs}
        for action in app.backend.ACTIONS:
            assert f"act('{action}')" in bound, action
            assert screen.check_action("act", (action,)) is not False, action
        for action in set(ACTIONS) - set(app.backend.ACTIONS):
            assert screen.check_action("act", (action,)) is False, action


async def test_correlated_executions_from_the_detail(clock):
    from console.tui.dialogs.process_list import ProcessListScreen

    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        same = [await app.backend.run_async(ProcessRequest(name="send_sms", input={},
                                                           correlation_id="tui-corr"))
                for _ in range(2)]
        await app.backend.send_chunk("terminate", [str(same[0].process_id)], None, {})
        app.open_process(str(same[1].process_id))
        await keys(pilot, "c")  # running and finished ones, newest first
        assert isinstance(app.screen, ProcessListScreen)
        assert [(r.id, r.status) for r in app.screen.rows] == [
            (str(same[1].process_id), "RUNNING"), (str(same[0].process_id), "TERMINATED")]
        await keys(pilot, "down", "enter")
        assert app.screen.process_id == str(same[0].process_id)


async def test_running_ids_from_a_definition(clock):
    from console.tui.dialogs.process_list import ProcessListScreen
    from console.tui.screens.definitions import DefinitionScreen

    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        running = next(p for p in store(app).processes.values() if cd.workflow_status(p) == "RUNNING")
        definition = await app.backend.get_definition("", running["name"])
        app.push_screen(DefinitionScreen(definition))
        await settle(pilot)
        await keys(pilot, "g")
        assert isinstance(app.screen, ProcessListScreen)
        assert ids.workflow_id(running["processId"]) in [r.id for r in app.screen.rows]


async def test_unmeshed_hides_the_conductor_only_keys(make_app):
    async with make_app(executions=200).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "enter")
        detail = pilot.app.screen
        for action in ("skip_step", "rerun_from_step", "correlated"):
            assert detail.check_action(action, ()) is False, action
        for action in ("pause", "restart", "restart_latest", "remove"):
            assert detail.check_action("act", (action,)) is False, action
