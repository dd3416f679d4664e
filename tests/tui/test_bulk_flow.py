"""Pilot tests of the destructive flow: filter, mark, confirm, send, per-id results."""

from __future__ import annotations

from console.tui.dialogs.confirm import ConfirmAction
from console.tui.dialogs.results import ResultsScreen
from console.tui.screens.executions import ExecutionsScreen

from .conftest import SIZE


def store_status(app, pid: str) -> str:
    return app.mock_app.state.store.get_process(int(pid))["status"]


async def only_failed(pilot, wait_idle) -> ExecutionsScreen:
    """Toggle the FAILED facet (key 3) and wait for the search."""
    await wait_idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExecutionsScreen)
    await pilot.press("3")
    await wait_idle(pilot)
    return screen


async def test_filter_failed_mark_three_resume(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await only_failed(pilot, wait_idle)
        rows = screen.table.rows
        assert len(rows) >= 3 and {p.status for p in rows} == {"FAILED"}
        await pilot.press("space", "space", "space")
        marked = [str(p.process_id) for p in rows[:3]]
        assert screen.table.marks == set(marked)
        await pilot.press("u")
        await wait_idle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmAction)
        assert [i.id for i in modal.apply] == marked and not modal.skip
        assert app.focused.id == "cancel"  # a stray enter never sends
        await pilot.click("#confirm")
        await wait_idle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert [(r.id, r.result) for r in results.rows] == [(i, "done") for i in marked]
        assert all(store_status(app, pid) == "RUNNING" for pid in marked)
        await pilot.press("escape")
        await wait_idle(pilot)
        # the screen refreshed: the resumed ones no longer match FAILED
        assert not set(marked) & {str(p.process_id) for p in screen.table.rows}
        # and their marks are gone: the next key acts on what is on screen, not on them
        assert screen.table.marks == set()
        statuses = screen.targets()[1]
        assert set(statuses.values()) == {"FAILED"}


async def test_review_with_reason_reaches_the_server(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await only_failed(pilot, wait_idle)
        pid = str(screen.table.rows[0].process_id)
        await pilot.press("v")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmAction)
        assert app.focused.id == "reason"
        await pilot.press("enter")  # an empty reason: enter stays in the field
        assert app.focused.id == "reason"
        await pilot.press(*"checked by on-call", "enter")  # with a reason it goes to the button
        assert app.focused.id == "confirm"
        await pilot.press("enter")
        await wait_idle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        process = app.mock_app.state.store.get_process(int(pid))
        assert process["status"] == "REVIEWED"
        assert process["output"]["reviewReason"] == "checked by on-call"


async def test_mixed_selection_skips_the_ones_that_cannot_resume(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        rows = screen.table.rows
        failed = next(p for p in rows if p.status == "FAILED")
        completed = next(p for p in rows if p.status == "COMPLETED")
        running = next(p for p in rows if p.status == "RUNNING")
        screen.table.set_marks([str(p.process_id) for p in (failed, completed, running)])
        await pilot.press("u")
        await wait_idle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmAction)
        assert [i.id for i in modal.apply] == [str(failed.process_id)]
        assert {i.id for i in modal.skip} == {str(completed.process_id), str(running.process_id)}
        await pilot.click("#confirm")
        await wait_idle(pilot)
        results = {r.id: r for r in app.screen.rows}
        assert results[str(failed.process_id)].result == "done"
        assert results[str(completed.process_id)].result == "skipped"
        assert "cannot resume a COMPLETED" in results[str(completed.process_id)].message
        assert store_status(app, str(completed.process_id)) == "COMPLETED"
        assert store_status(app, str(running.process_id)) == "RUNNING"
        assert store_status(app, str(failed.process_id)) == "RUNNING"


async def test_server_errors_per_id_offer_retry_and_copy(make_app, wait_idle):
    """Statuses the screen knows can be stale: the server's per-id error is shown, and
    "retry the failed ones" asks again with fresh statuses."""
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await only_failed(pilot, wait_idle)
        pids = [str(p.process_id) for p in screen.table.rows[:2]]
        store = app.mock_app.state.store
        store.resume([int(pids[1])])  # someone else resumed it meanwhile
        screen.table.set_marks(pids)
        await pilot.press("u")
        await wait_idle(pilot)
        await pilot.click("#confirm")
        await wait_idle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        outcome = {r.id: r.result for r in results.rows}
        assert outcome == {pids[0]: "done", pids[1]: "failed"}
        assert results.failed == [pids[1]]
        await pilot.press("c")
        assert app.clipboard == pids[1]
        await pilot.press("r")  # retry: confirm again, with the status fetched afresh
        await wait_idle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmAction)
        assert not modal.apply and modal.skip[0].status == "RUNNING"
        assert not modal.query("#confirm")  # nothing would change: no confirm button at all


async def test_cancel_sends_nothing(make_app, wait_idle):
    app = make_app(executions=300)
    sent: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await only_failed(pilot, wait_idle)
        original = app.backend.send_chunk

        async def spy(action, ids, reason, settled):
            sent.append(action)
            return await original(action, ids, reason, settled)

        app.backend.send_chunk = spy
        pid = str(screen.table.rows[0].process_id)
        await pilot.press("t")  # terminate a FAILED one: nothing applies
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmAction)
        await pilot.press("escape")
        await pilot.press("u")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmAction)
        await pilot.press("enter")  # focus is on Cancel (Close when nothing applies)
        await wait_idle(pilot)
        assert isinstance(app.screen, ExecutionsScreen)
        assert sent == []
        assert store_status(app, pid) == "FAILED"


async def test_read_only_hides_and_blocks(make_app, wait_idle):
    app = make_app(executions=300, read_only=True, banner="PRODUCTION")
    async with app.run_test(size=SIZE) as pilot:
        screen = await only_failed(pilot, wait_idle)
        pid = str(screen.table.rows[0].process_id)
        keys = {b.binding.action for b in screen.active_bindings.values()}
        assert not any(a.startswith("act(") for a in keys)
        await pilot.press("space", "u", "t", "v", "R")
        await wait_idle(pilot)
        assert isinstance(app.screen, ExecutionsScreen)
        said = [n.message for n in app._notifications]
        for verb in ("resume", "terminate", "mark reviewed", "rerun"):  # the keys say why
            assert f"read-only mode: cannot {verb}; nothing was sent" in said
        app.start_action("resume", [pid], {pid: "FAILED"})  # the detail screen's path
        await wait_idle(pilot)
        assert isinstance(app.screen, ExecutionsScreen)
        assert store_status(app, pid) == "FAILED"
        assert any("read-only" in n.message for n in app._notifications)
        assert str(app.screen.query_one("#banner").render()).strip() == "PRODUCTION"
