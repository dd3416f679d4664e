"""Failure groups, compare two executions and the journal screen, driven as a person would."""

from __future__ import annotations

from console.tui.dialogs.confirm import ConfirmAction
from console.tui.dialogs.process_list import ProcessListScreen
from console.tui.dialogs.results import ResultsScreen
from console.tui.screens.detail import ExecutionDetailScreen
from console.tui.screens.diff import DiffScreen
from console.tui.screens.failures import FailureGroupsScreen
from console.tui.screens.journal import JournalScreen
from console.tui.widgets.filter_bar import FilterBar

from .conftest import SIZE
from .oncall_scenarios import send


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_groups(pilot, wait_idle) -> FailureGroupsScreen:
    await pilot.press("g")
    await wait_idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FailureGroupsScreen)
    return screen


# ---- failure groups --------------------------------------------------------------------------

async def test_groups_of_the_screens_filters_with_the_cap_stated(opened, wait_idle, monkeypatch):
    monkeypatch.setattr(FailureGroupsScreen, "CAP", 20)  # the newest 20 are grouped
    async with opened(executions=600) as (pilot, executions):
        app = pilot.app
        await pilot.press("w")  # 7d
        await wait_idle(pilot)
        screen = await open_groups(pilot, wait_idle)
        report = screen.report
        assert report is not None and report.capped and report.grouped == 20
        status = str(screen.query_one("#status").render())
        assert status.startswith(f"grouped the newest 20 of {report.matched} failures")
        assert sum(g.count for g in screen.table.rows) == 20
        assert screen.sub_title == executions.filters.describe()
        group = screen.table.current
        assert group.sample in str(screen.query_one("#box").render())
        await pilot.press("escape")
        await wait_idle(pilot)
        assert app.screen is executions


async def test_a_status_filter_without_failures_is_refused(opened, wait_idle):
    async with opened(executions=100) as (pilot, screen):
        await pilot.press("2")  # COMPLETED only
        await wait_idle(pilot)
        await pilot.press("g")
        await wait_idle(pilot)
        assert pilot.app.screen is screen
        assert any("failure groups hold FAILED and TIMED_OUT" in n for n in notes(pilot.app))


async def test_enter_on_a_group_shows_its_executions(opened, wait_idle):
    async with opened(executions=600) as (pilot, executions):
        await pilot.press("w")  # 7d
        await wait_idle(pilot)
        screen = await open_groups(pilot, wait_idle)
        group = next(g for g in screen.table.rows if g.count > 1)
        screen.table.move_to(screen.table.rows.index(group))
        await pilot.press("enter")
        await wait_idle(pilot)
        assert pilot.app.screen is executions
        assert executions.filters.process_ids == group.ids
        shown = {str(r.process_id) for r in executions.table.rows}
        assert shown == set(group.ids)
        assert executions.query_one(FilterBar).has_class("-more")  # the ids field shows them


async def test_g_from_a_groups_executions_goes_back_to_the_groups_and_the_filters(
        opened, wait_idle):
    """A group's executions replace the filters for a while: ``g`` gives them back (and the
    groups of them), so a look at one group costs the person nothing."""
    async with opened(executions=600) as (pilot, executions):
        await pilot.press("w", "3")  # 7d, FAILED
        await wait_idle(pilot)
        before = executions.filters
        screen = await open_groups(pilot, wait_idle)
        total = len(screen.table.rows)
        await pilot.press("enter")
        await wait_idle(pilot)
        assert executions.filters.process_ids and executions.filters != before
        assert any("g: back to the groups" in n.message for n in pilot.app._notifications)
        await pilot.press("g")
        await wait_idle(pilot)
        assert executions.filters == before
        assert type(pilot.app.screen).__name__ == "FailureGroupsScreen"
        assert len(pilot.app.screen.table.rows) == total


async def test_resume_every_execution_of_a_group(opened, wait_idle):
    async with opened(executions=600) as (pilot, executions):
        app = pilot.app
        await pilot.press("w")  # 7d
        await wait_idle(pilot)
        screen = await open_groups(pilot, wait_idle)
        group = max(screen.table.rows, key=lambda g: g.count)
        assert group.count > 1
        screen.table.move_to(screen.table.rows.index(group))
        await pilot.press("u")
        await wait_idle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmAction)
        assert sorted(confirm.selection.to_send) == sorted(group.ids)
        await pilot.click("#confirm")
        await wait_idle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        store = app.mock_app.state.store
        assert all(store.processes[int(pid)]["status"] == "RUNNING" for pid in group.ids)
        [entry] = app.journal.entries()
        assert entry.action == "resume" and sorted(entry.ids) == sorted(group.ids)


async def test_read_only_offers_no_action_on_a_group(opened, wait_idle):
    async with opened(executions=300, read_only=True) as (pilot, _):
        screen = await open_groups(pilot, wait_idle)
        assert screen.check_action("act", ("resume",)) is False
        assert screen.check_action("open_group", ()) is True


# ---- compare ---------------------------------------------------------------------------------

async def test_compare_two_marked_executions(opened, wait_idle):
    async with opened(executions=300) as (pilot, executions):
        app = pilot.app
        await pilot.press("space", "d")
        await wait_idle(pilot)
        assert app.screen is executions
        assert any("mark two executions" in n and "1 is marked" in n for n in notes(app))
        await pilot.press("space", "d")
        await wait_idle(pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        left, right = (str(r.process_id) for r in executions.table.rows[:2])
        assert screen.ids == (left, right)
        lines = screen.table.rows
        fields = [line.row for line in lines if line.row is not None]
        assert fields and not any(row.same for row in fields)
        head = str(screen.query_one("#head").render())
        assert "fields differ" in head and "only the differences" in head
        await pilot.press("a")
        await pilot.pause()
        assert any(line.row is not None and line.row.same for line in screen.table.rows)
        assert len(screen.table.rows) > len(lines)
        await pilot.press("2")
        await wait_idle(pilot)
        assert isinstance(app.screen, ExecutionDetailScreen) and app.screen.process_id == right


# ---- the journal -----------------------------------------------------------------------------

async def test_the_journal_lists_actions_newest_first_and_opens_their_ids(opened, wait_idle,
                                                                         clock):
    async with opened(executions=300) as (pilot, executions):
        app = pilot.app
        failed = [str(r.process_id) for r in executions.table.rows if r.status == "FAILED"][:3]
        await send(pilot, "review", failed[:1])
        clock.advance(60)
        await send(pilot, "review", failed[1:3])
        await pilot.press("J")
        await wait_idle(pilot)
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        rows = screen.table.rows
        assert [sorted(e.ids) for e in rows] == [sorted(failed[1:3]), failed[:1]]
        assert "2 entries, newest first" in str(screen.query_one("#head").render())
        await pilot.press("enter")  # two ids: a list to pick one
        await wait_idle(pilot)
        assert isinstance(app.screen, ProcessListScreen)
        await pilot.press("enter")
        await wait_idle(pilot)
        assert isinstance(app.screen, ExecutionDetailScreen)
        assert app.screen.process_id in failed[1:3]
        await pilot.press("escape")
        await wait_idle(pilot)
        screen.table.move_to(1)
        await pilot.press("enter")  # one id: opened at once
        await wait_idle(pilot)
        assert isinstance(app.screen, ExecutionDetailScreen)
        assert app.screen.process_id == failed[0]


async def test_the_journal_is_in_the_palette_everywhere(opened, wait_idle):
    """From another section too (no J key there): the palette's "Journal"."""
    async with opened(executions=50) as (pilot, _):
        app = pilot.app
        await pilot.press("f3")
        await wait_idle(pilot)
        [journal] = [c for c in app.palette_commands() if c.name == "Journal"]
        journal.run()
        await wait_idle(pilot)
        assert isinstance(app.screen, JournalScreen) and app.screen.table.rows == []
        assert "nothing journaled yet" in app.screen.table.empty_text
