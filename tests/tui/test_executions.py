"""Pilot tests of the executions screen: search, paging, sort, marks, errors, help, palette."""

from __future__ import annotations

from console import errors
from console.mock.clock import FROZEN_NOW_MS
from console.tui.commands import screen_commands
from console.tui.screens.executions import PAGE_SIZE, ExecutionsScreen
from console.tui.screens.help import HelpScreen

from .conftest import SIZE

DAY_MS = 86_400_000


def in_window(app, days: float = 1) -> list[dict]:
    store = app.mock_app.state.store
    start = FROZEN_NOW_MS - int(days * DAY_MS)
    return [p for p in (store.get_process(i) for i in store.processes) if p["created"] >= start]


def status_text(screen) -> str:
    return str(screen.query_one("#status").render())


class Flaky:
    """A backend that can be switched off: every search then fails like a dead server."""

    def __init__(self, backend) -> None:
        self.backend, self.down = backend, False

    def __getattr__(self, name):
        return getattr(self.backend, name)

    async def search(self, query):
        if self.down:
            raise errors.Unreachable("cannot reach http://127.0.0.1:1/api/stats/process/search "
                                     "(connection refused)")
        return await self.backend.search(query)


async def test_first_page_newest_first_with_facet_counts(make_app, wait_idle):
    app = make_app(executions=2000)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        assert isinstance(screen, ExecutionsScreen)
        expected = in_window(app)
        assert len(expected) > PAGE_SIZE
        created = [p.created for p in screen.table.rows]
        assert len(created) == PAGE_SIZE and created == sorted(created, reverse=True)
        failed = sum(1 for p in expected if p["status"] == "FAILED")
        assert screen.counts["FAILED"].value == failed
        assert status_text(screen).startswith(f"1–100 of {len(expected):,}")


async def test_paging_next_and_previous(make_app, wait_idle):
    app = make_app(executions=2000)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        first = [p.process_id for p in screen.table.rows]
        await pilot.press("n")
        await wait_idle(pilot)
        second = [p.process_id for p in screen.table.rows]
        assert screen.page_offset == PAGE_SIZE and not set(first) & set(second)
        assert status_text(screen).startswith("101–200 of ")
        await pilot.press("p")
        await wait_idle(pilot)
        assert [p.process_id for p in screen.table.rows] == first


async def test_load_all_streams_every_match(make_app, wait_idle):
    app = make_app(executions=2000)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("L")
        await wait_idle(pilot)
        screen = app.screen
        assert len(screen.table.rows) == len(in_window(app))
        assert status_text(screen).startswith(f"all {len(in_window(app)):,} loaded")


async def test_sort_by_key_and_by_header_click(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        await pilot.press("s")  # first sortable column: status
        statuses = [p.status for p in screen.table.rows]
        assert statuses == sorted(statuses)
        await pilot.press("S")
        assert [p.status for p in screen.table.rows] == sorted(statuses, reverse=True)
        x = sum(w + 1 for w in screen.table._widths[:8]) + 1  # the "duration" header
        await pilot.click("#table", offset=(x, 0))
        durations = [p.duration_ms for p in screen.table.rows]
        assert screen.table.sort_column == "duration"
        known = [d for d in durations if d is not None]  # running ones have no duration yet
        assert durations == sorted(known) + [None] * (len(durations) - len(known))
        assert "sorted by duration" in status_text(screen)


async def test_select_all_matching_then_act_on_them(make_app, wait_idle):
    """A selects the filters' every match: the action asks about each one it applies to (by
    query, with statuses read when the key is pressed), not only the page shown."""
    app = make_app(executions=2000)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        await pilot.press("A")
        await wait_idle(pilot)
        everything = in_window(app)
        assert len(everything) > PAGE_SIZE
        assert f"all {len(everything):,} matching selected" in status_text(screen)
        assert screen.table.marks == {str(p.process_id) for p in screen.table.rows}
        await pilot.press("v")
        await wait_idle(pilot)
        modal = app.screen
        assert modal.selection.by_query and not modal.selection.capped
        reviewable = {"FAILED", "TIMED_OUT", "TERMINATED", "CANCELLED"}
        assert len(modal.apply) == sum(1 for p in everything if p["status"] in reviewable)
        await pilot.press("escape")
        await wait_idle(pilot)
        await pilot.press("escape")  # clear the selection
        assert screen.all_matching is None and not screen.table.marks


async def test_marks_and_cursor_survive_a_refresh(make_app, wait_idle, clock):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        table = screen.table
        await pilot.press("down", "shift+down", "shift+down", "down", "down")
        marked = {str(p.process_id) for p in table.rows[1:4]}
        assert table.marks == marked
        current = table.current.process_id
        await pilot.press("a")  # auto-refresh 5 s
        assert screen.refresh_every == 5
        clock.advance(60)
        screen._auto_tick()
        await wait_idle(pilot)
        assert table.marks == marked and table.current.process_id == current
        await pilot.press("a", "a")
        assert screen.refresh_every == 0
        await pilot.press("ctrl+a")
        assert len(table.marks) == len(table.rows)
        await pilot.press("ctrl+a")
        assert not table.marks


async def test_server_down_keeps_rows_and_recovers(make_app, wait_idle):
    app = make_app(executions=300)
    app.backend = flaky = Flaky(app.backend)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        rows = list(screen.table.rows)
        flaky.down = True
        await pilot.press("r")
        await wait_idle(pilot)
        assert screen.table.rows == rows  # the last good data stays
        assert any("connection refused" in n.message for n in app._notifications)
        assert "last error: cannot reach" in status_text(screen)
        assert isinstance(app.screen, ExecutionsScreen)
        flaky.down = False
        await pilot.press("r")
        await wait_idle(pilot)
        assert "last error" not in status_text(screen)
        assert len(screen.table.rows) == len(rows)


async def test_filters_full_text_and_bad_custom_window(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        await pilot.press("slash")
        assert app.focused.id == "f-text"
        await pilot.press(*"payments", "enter")
        await wait_idle(pilot)
        assert screen.table.rows and all(p.namespace == "payments" or "payments" in
                                         (p.name or "") for p in screen.table.rows)
        await pilot.press("w")  # 24h -> 7d
        await wait_idle(pilot)
        assert screen.filters.window == "7d"
        screen.query_one("FilterBar").set_window("custom")
        await wait_idle(pilot)
        assert app.focused.id == "f-since"
        await pilot.press(*"yesterday", "enter")
        await wait_idle(pilot)
        assert any("cannot read 'yesterday'" in n.message for n in app._notifications)
        assert isinstance(app.screen, ExecutionsScreen)


async def test_help_lists_every_key_and_palette_reaches_actions(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        names = {c.name for c in screen_commands(screen)}
        assert {"Resume", "Terminate", "Load all", "Sort by duration", "Quit",
                "Time window: 7d", "Toggle FAILED"} <= names
        await pilot.press("question_mark")
        await wait_idle(pilot)
        assert isinstance(app.screen, HelpScreen)
        described = {row[2] for row in app.screen.rows}
        assert {"Mark", "Resume", "Next page", "Help", "Quit", "Toggle status 3"} <= described
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await wait_idle(pilot)
        await pilot.press(*"Sort by duration")
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_idle(pilot)
        assert screen.table.sort_column == "duration"


async def test_enter_opens_the_detail_screen(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExecutionDetailScreen"


async def test_the_status_line_follows_the_state_without_being_told(make_app, wait_idle):
    """Leaving "load all" with n, or setting the auto-refresh, shows on the status line (and
    starts the timer) at once: the line follows the screen's state, nobody refreshes it."""
    app = make_app(executions=2000)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        screen = app.screen
        await pilot.press("L")
        await wait_idle(pilot)
        everything = len(in_window(app))
        assert status_text(screen).startswith(f"all {everything:,} loaded  ·")
        assert not screen.busy and not screen.query_one("#progress").display
        await pilot.press("n")  # back to pages (the rows stay until the next search)
        await pilot.pause()
        assert status_text(screen).startswith(f"1–{everything:,} of ")
        screen.refresh_every = 30
        await pilot.pause()
        assert "auto-refresh 30s" in status_text(screen)
        assert screen._timer is not None and screen._timer._interval == 30


async def test_a_failed_facet_count_shows_a_question_mark_and_no_second_notification(
        make_app, wait_idle):
    app = make_app(executions=300)
    inner = app.backend

    class CountFails(Flaky):
        async def search(self, query):
            if query.statuses == ["FAILED"]:
                raise errors.ServerError("count broke", status=500)
            return await inner.search(query)

    app.backend = CountFails(inner)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        facets = app.screen.facets
        assert facets.counts["COMPLETED"].isdigit() and facets.counts["FAILED"] == "?"
        assert facets.counts["TIMED_OUT"] == "…"  # not reached
        assert not app._notifications and app.screen.table.rows
        assert "last error" not in status_text(app.screen)
