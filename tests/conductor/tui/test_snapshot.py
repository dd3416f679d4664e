"""The executions screen over the Conductor-dialect mock (seeded, frozen clock): stable picture.
Regenerate with ``--snapshot-update`` after checking the change is wanted."""

from __future__ import annotations

from console.mock.conductor_app import create_conductor_app
from tests.tui.scenarios import SIZE, executions_marked


def build_conductor_app(clock):
    from console.connect import open_backend
    from console.config import load_settings
    from console.tui.app import MeshdeckApp

    settings = load_settings(overrides={"backend": "conductor"}, env={})
    mock_app = create_conductor_app(seed=7, executions=300, clock=clock)
    return MeshdeckApp(open_backend(settings, mock_app=mock_app), settings, clock=clock)


def test_executions_screen_on_conductor(snap_compare, clock):
    """Conductor workflows: UUID-shaped ids, the backend's own status facets (PAUSED; no
    REVIEWED or CANCELLED) with exact counts, an "owner app" column, the namespace filter
    disabled saying Conductor has none, two marked rows, Pause and Restart keys and no
    "Reviewed" key in the footer."""
    app = build_conductor_app(clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=executions_marked)


async def test_review_is_hidden_and_refused_with_a_reason(clock):
    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await executions_marked(pilot)
        screen = app.screen
        assert screen.check_action("act", ("review",)) is False
        assert screen.check_action("act", ("terminate",)) is True
        app.start_action("review", ["x"])
        await pilot.pause()
        assert not [w for w in app.workers if w.group == "bulk"]


async def test_filter_failed_mark_two_resume_on_conductor(clock):
    """The on-call flow on Conductor: FAILED facet, mark two, resume (a retry from the failed
    task), per-id results, and the workflows running again on the server."""
    from tests.tui.scenarios import settle

    from console.tui.dialogs.confirm import ConfirmAction
    from console.tui.dialogs.results import ResultsScreen

    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")  # the FAILED facet (RUNNING, PAUSED, COMPLETED, FAILED)
        await settle(pilot)
        screen = app.screen
        rows = screen.table.rows
        assert len(rows) >= 2 and {p.status for p in rows} == {"FAILED"}
        marked = [str(p.process_id) for p in rows[:2]]
        await pilot.press("space", "space", "u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmAction)
        assert [i.id for i in app.screen.apply] == marked
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert [(r.id, r.result) for r in app.screen.rows] == [(i, "done") for i in marked]
        for pid in marked:
            assert (await app.backend.get_process(pid)).status == "RUNNING"


async def _rerun_from_failed_step(pilot) -> None:
    from tests.tui.scenarios import settle

    await settle(pilot)
    await pilot.press("4", "enter")  # the FAILED facet, its first workflow
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)


async def _skip_picker(pilot) -> None:
    from console.models import ProcessRequest
    from tests.tui.scenarios import settle

    await settle(pilot)
    run = await pilot.app.backend.run_async(ProcessRequest(name="create_order", input={}))
    pilot.app.open_process(str(run.process_id))
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)


def test_rerun_from_a_failed_step_at_80x24(snap_compare, clock):
    """Rerun from the failed step of a FAILED workflow at 80x24: what will happen, the step's
    input in an editor, and "ctrl+s sends · esc cancels" with both buttons visible under it."""
    assert snap_compare(build_conductor_app(clock), terminal_size=(80, 24),
                        run_before=_rerun_from_failed_step)


def test_skip_a_step_picker_at_80x24(snap_compare, clock):
    """Skip a step of a RUNNING workflow at 80x24: only the steps not started yet (no JOIN),
    the first one highlighted, the output editor, and the buttons visible at the bottom."""
    assert snap_compare(build_conductor_app(clock), terminal_size=(80, 24), run_before=_skip_picker)
