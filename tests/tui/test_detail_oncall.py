"""The detail screen of an execution under way refreshes itself and says how far it is; o / p
open a sub-process or the parent; e runs it again with an edited input."""

from __future__ import annotations

import json

from console.tui.dialogs.step_action import StepActionDialog
from console.tui.screens import detail_live
from console.tui.screens.detail import ExecutionDetailScreen
from console.tui.widgets.json_editor import JsonEditor
from console.tui.widgets.step_tree import StepTree

from .conftest import SIZE
from .test_detail import first_with_status, open_detail


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def newest_running(app) -> str:
    store = app.mock_app.state.store
    return str(max(pid for pid, p in store.processes.items() if p["status"] == "RUNNING"))


class CountingGets:
    """Counts the fetches of one process (the live refresh)."""

    def __init__(self, backend) -> None:
        self.backend, self.gets = backend, 0

    def __getattr__(self, name):
        return getattr(self.backend, name)

    async def get_process(self, pid, include_steps=False):
        self.gets += 1
        return await self.backend.get_process(pid, include_steps)


async def test_a_running_execution_refreshes_itself_and_says_when(make_app, wait_idle,
                                                                 monkeypatch):
    app = make_app(executions=2000)
    counting = CountingGets(app.backend)
    app.backend = counting
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, newest_running(app))
        live = str(screen.query_one("#live").render())
        assert screen.query_one("#live").display
        assert "● live: refreshed 12:00:00Z, every 5 s" in live
        assert "of its usual work" in live and "(p50, p95)" in live
        assert screen.progress is not None and screen.progress.weighted
        clock = [1000.0]
        monkeypatch.setattr(detail_live, "monotonic", lambda: clock[0])
        screen._refreshed_at, screen._touched_at = 0.0, 0.0
        before = counting.gets
        screen.live_tick()  # 5 s and more since the last refresh: fetched again
        await wait_idle(pilot)
        assert counting.gets == before + 1
        screen.live_tick()  # just refreshed: not yet
        await wait_idle(pilot)
        assert counting.gets == before + 1
        clock[0] += 6
        screen.on_key(None)  # a key: the person is moving around
        clock[0] += 1
        screen.live_tick()
        await wait_idle(pilot)
        assert counting.gets == before + 1
        assert "paused while you move around" in str(screen.query_one("#live").render())
        clock[0] += detail_live.QUIET_SECONDS
        await pilot.press("3")  # the input, as JSON: the refresh waits
        clock[0] += detail_live.QUIET_SECONDS
        screen.live_tick()
        await wait_idle(pilot)
        assert counting.gets == before + 1
        assert "paused while you read the input" in str(screen.query_one("#live").render())
        await pilot.press("1")
        clock[0] += detail_live.QUIET_SECONDS
        screen.live_tick()
        await wait_idle(pilot)
        assert counting.gets == before + 2


async def test_a_finished_execution_has_no_live_line(make_app, wait_idle):
    app = make_app(executions=300)
    counting = CountingGets(app.backend)
    app.backend = counting
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, first_with_status(app, "COMPLETED"))
        assert not screen.query_one("#live").display
        before = counting.gets
        screen._refreshed_at = 0.0
        screen.live_tick()
        await wait_idle(pilot)
        assert counting.gets == before and screen.progress is None


# ---- run again with an edited input ----------------------------------------------------------

async def test_run_again_with_an_edited_input_starts_a_new_execution(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        pid = first_with_status(app, "FAILED")
        screen = await open_detail(pilot, wait_idle, pid)
        original = screen.process
        await pilot.press("e")
        await wait_idle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StepActionDialog)
        said = str(dialog.query_one("#explanation").render())
        assert "NEW execution" in said and f"{pid} stays as it is" in said
        edited = {**(original.input or {}), "retry": True}
        dialog.query_one(JsonEditor).load_text(json.dumps(edited))
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        opened = app.screen
        assert isinstance(opened, ExecutionDetailScreen) and opened.process_id != pid
        store = app.mock_app.state.store
        new = store.processes[int(opened.process_id)]
        assert new["input"] == edited and new["name"] == original.name
        assert new["version"] == original.version
        assert new["correlationId"] == original.correlation_id
        assert store.processes[int(pid)]["status"] == "FAILED"  # the original is unchanged
        [entry] = app.journal.entries()
        assert entry.action == "run" and entry.ids == [opened.process_id]


async def test_cancel_sends_nothing_and_read_only_hides_the_key(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, first_with_status(app, "FAILED"))
        count = len(app.mock_app.state.store.processes)
        await pilot.press("e")
        await wait_idle(pilot)
        await pilot.click("#cancel")
        await wait_idle(pilot)
        assert app.screen is screen and len(app.mock_app.state.store.processes) == count
        assert any("cancelled: nothing was sent (new run)" in n for n in notes(app))
        await pilot.press("e")  # one escape cancels, even with the focus in the JSON editor
        await wait_idle(pilot)
        app.screen.query_one(JsonEditor).focus()
        await pilot.press("escape")
        await wait_idle(pilot)
        assert app.screen is screen and len(app.mock_app.state.store.processes) == count
    app = make_app(executions=50, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, first_with_status(app, "FAILED"))
        assert screen.check_action("rerun_with_input", ()) is False


# ---- parent and child ------------------------------------------------------------------------

async def test_unmeshed_child_and_parent_are_said_honestly(make_app, wait_idle):
    """The mock's SUB_PROCESS steps name a process id the server does not have; Unmeshed does
    not link a process to its parent. Both are said, nothing is opened."""
    app = make_app(executions=600)
    store = app.mock_app.state.store
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        for pid in sorted(store.processes):
            process = await app.backend.get_process(str(pid), include_steps=True)
            subs = [s for s in process.step_records or [] if app.backend.child_of(s)]
            if subs:
                break
        else:
            raise AssertionError("no SUB_PROCESS step with an output processId in the mock")
        screen = await open_detail(pilot, wait_idle, str(pid))
        tree = screen.query_one(StepTree)
        node = next(n for n in tree._tree_nodes.values()
                    if n.data is not None and n.data.id == subs[0].id)
        tree.move_cursor(node)
        await pilot.press("o")
        await wait_idle(pilot)
        child = app.backend.child_of(subs[0])
        assert app.screen is screen
        assert any(f"names process {child}, which this server does not have" in n
                   for n in notes(app))
        await pilot.press("p")
        await wait_idle(pilot)
        assert app.screen is screen
        assert any("does not name the process that started it" in n for n in notes(app))


async def test_conductor_opens_the_sub_workflow_and_back_to_its_parent(wait_idle, clock):
    from tests.conductor.tui.test_snapshot import build_conductor_app

    app = build_conductor_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        for row in app.screen.table.rows:
            process = await app.backend.get_process(str(row.process_id), include_steps=True)
            if any(app.backend.child_of(s) for s in process.step_records or []):
                break
        parent = str(process.process_id)
        screen = await open_detail(pilot, wait_idle, parent)
        await pilot.press("o")  # the only sub-workflow step, though another step is focused
        await wait_idle(pilot)
        child = app.screen
        assert isinstance(child, ExecutionDetailScreen) and child.process_id != parent
        await pilot.press("p")
        await wait_idle(pilot)
        assert isinstance(app.screen, ExecutionDetailScreen)
        assert app.screen.process_id == parent and app.screen is not screen
