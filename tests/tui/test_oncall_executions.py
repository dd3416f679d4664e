"""The executions screen's on-call keys (console.tui.screens.executions_oncall): the query line,
the window both ways, "more filters" without stealing the focus, completion, the error and
progress columns, columns in the palette, one notification for odd fields, the palette and
help listing meshdeck's own first."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from console.models import ProcessData
from console.services.query_line import format_line, parse
from console.tui.commands import OWN_FIRST, MeshdeckCommands
from console.tui.filters import Filters
from console.tui.widgets.filter_bar import FilterBar, ListSuggester
from console.tui.widgets.query_line import QueryLine

from .conftest import SIZE


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


# ---- the query line --------------------------------------------------------------------------

def test_a_query_line_and_the_filters_round_trip():
    line = 'status:FAILED,TIMED_OUT name:create_order ns:orders since:2h text:"gateway timeout"'
    filters = Filters.from_values(parse(line))
    assert filters.window == "custom" and filters.since == "2h"
    assert filters.statuses == ["FAILED", "TIMED_OUT"] and filters.text == "gateway timeout"
    assert Filters.from_values(parse(format_line(filters.values()))) == filters
    assert Filters.from_values(parse("since:1h step:charge")).window == "1h"  # a preset
    assert Filters.from_values({}).window == "24h"


async def test_the_query_line_sets_exactly_what_the_widgets_show(opened):
    async with opened(executions=300) as (pilot, screen):
        app = pilot.app
        await pilot.press("colon")
        line = screen.query_one(QueryLine)
        field = screen.query_one("#q-input", Input)
        assert line.is_open and field.has_focus and field.value == "since:24h "
        field.value = "status:FAILED,TIMED_OUT name:push_notification since:7d corr:push-1"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not line.is_open and screen.table.has_focus
        bar = screen.query_one(FilterBar)
        assert bar.window == "7d"
        assert screen.query_one("#f-names", Input).value == "push_notification"
        assert screen.query_one("#f-correlation", Input).value == "push-1"
        assert bar.has_class("-more")  # a filter of the second row: shown
        assert screen.facets.selected == {"FAILED", "TIMED_OUT"}
        assert screen.filters == bar.read(["FAILED", "TIMED_OUT"])
        assert all(r.name == "push_notification" for r in screen.table.rows)
        assert app.screen is screen


async def test_a_query_typed_on_the_line_replaces_what_it_opened_with(opened):
    """Typed key by key, as a person does: the current filters are selected when the line
    opens, so the README's query works as written; → keeps them to add to."""
    async with opened(executions=300) as (pilot, screen):
        await pilot.press("colon")
        await pilot.press(*"status:FAILED since:1h")
        field = screen.query_one("#q-input", Input)
        assert field.value == "status:FAILED since:1h"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.facets.selected == {"FAILED"} and screen.filters.window == "1h"
        await pilot.press("colon", "right", *" name:push_notification")
        assert field.value.endswith(" name:push_notification") and "status:FAILED" in field.value


async def test_a_bad_query_line_is_said_inline_never_applied(opened):
    async with opened(executions=300) as (pilot, screen):
        before = screen.filters
        await pilot.press("colon")
        field = screen.query_one("#q-input", Input)
        note = screen.query_one("#q-note")
        for typed, said in (('text:"gateway', 'the quote " is never closed'),
                            ("colour:red", "unknown key 'colour'"),
                            ("status:BOGUS", "this server's statuses are RUNNING"),
                            ("until:1h", "until:1h needs a since:"),
                            ("trigger:NOPE", "trigger NOPE (known: MANUAL")):
            field.value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert screen.query_one(QueryLine).has_class("-error"), typed
            assert said in str(note.render()), (typed, str(note.render()))
            assert field.has_focus and screen.filters == before
        await pilot.press("x")  # typing again: the help comes back
        assert not screen.query_one(QueryLine).has_class("-error")
        await pilot.press("escape")
        assert not screen.query_one(QueryLine).is_open and screen.filters == before


# ---- window, more filters, completion --------------------------------------------------------

async def test_the_window_reaches_1h_backwards_without_7d(opened):
    async with opened(executions=100) as (pilot, screen):
        seen = []
        for _ in range(2):
            await pilot.press("W")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            seen.append(screen.filters.window)
        assert seen == ["1h", "15m"]
        await pilot.press("w")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.filters.window == "1h"


async def test_more_filters_leave_the_focus_where_it_was(opened):
    async with opened(executions=100) as (pilot, screen):
        await pilot.press("f")
        assert screen.query_one(FilterBar).has_class("-more")
        assert screen.table.has_focus
        await pilot.press("r", "f")  # keys still act on the screen, not a filter field
        assert not screen.query_one(FilterBar).has_class("-more")
        assert all(not i.value for i in screen.query(".more Input").results(Input))


async def test_names_and_namespaces_complete_from_the_server(opened):
    async with opened(executions=100) as (pilot, screen):
        names = screen.query_one("#f-names", Input).suggester
        spaces = screen.query_one("#f-namespace", Input).suggester
        assert isinstance(names, ListSuggester) and "charge_card" in names.values
        assert isinstance(spaces, ListSuggester) and "payments" in spaces.values
        assert await names.get_suggestion("CHAR") == "charge_card"  # any case
        assert await names.get_suggestion("create_order, char") == "create_order, charge_card"
        assert await spaces.get_suggestion("paym") == "payments"
        field = screen.query_one("#f-namespace", Input)
        field.focus()
        await pilot.press(*"paym", "right", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.filters.namespace == "payments"
        assert screen.table.rows and all(r.namespace == "payments" for r in screen.table.rows)


# ---- error and progress columns; columns in the palette ---------------------------------------

async def test_error_and_progress_cells_are_fetched_for_the_rows_on_screen(opened):
    async with opened(executions=2000, size=(200, 60)) as (pilot, screen):
        table = screen.table
        assert table.shows("error") and table.shows("progress")
        failed = [r for r in table.visible_rows if r.status in ("FAILED", "TIMED_OUT")]
        running = [r for r in table.visible_rows if r.status == "RUNNING"]
        assert failed and running
        for row in failed:
            process = await pilot.app.backend.get_process(str(row.process_id), True)
            step = process.failed_step()
            text = table.details.error_text(row)
            assert step is not None and text.startswith(step.ref or "")
            assert text.endswith(step.error.splitlines()[0][-20:])
        assert all(table.details.progress_of(r) is not None for r in running)
        below = [r for r in table.rows[table.page_height:] if r.status in ("FAILED",)]
        assert below and str(below[0].process_id) not in table.details.failures  # not looked at


async def test_at_80_columns_the_error_column_is_off_and_nothing_is_fetched(opened):
    async with opened(executions=300, size=(80, 24)) as (pilot, screen):
        table = screen.table
        assert not table.shows("error") and not table.shows("progress")
        assert not table.details.failures and not table.details.progress
        failed = next(r for r in table.rows if r.status == "FAILED")
        assert table.details.error_text(failed) == failed.error  # the search's own words


async def test_columns_are_hidden_and_shown_from_the_palette(opened):
    async with opened(executions=100, size=(200, 40)) as (pilot, screen):
        commands = {c.name: c for c in screen.palette_commands()}
        commands["Column: hide failed step: error"].run()
        await pilot.pause()
        assert not screen.table.shows("error") and screen.table.cli_columns()
        assert "error" not in screen.table.cli_columns()
        commands = {c.name: c for c in screen.palette_commands()}
        commands["Column: show failed step: error"].run()
        await pilot.pause()
        assert screen.table.shows("error") and screen.table.cli_columns() == ()


# ---- odd fields: one notification ------------------------------------------------------------

class OddRows:
    """A backend whose search rows carry a time as text (left empty, named)."""

    def __init__(self, backend) -> None:
        self.backend = backend

    def __getattr__(self, name):
        return getattr(self.backend, name)

    async def search(self, query):
        rows = await self.backend.search(query)
        if query.statuses:  # the facets' counts: untouched
            return rows
        from console.backends.responses import adapter_for, validate_leniently

        return [validate_leniently(adapter_for(ProcessData), {**p.to_wire(),
                                                              "created": "yesterday"})
                for p in rows]


async def test_rows_with_odd_fields_stay_and_are_said_once(make_app, wait_idle):
    app = make_app(executions=60)
    app.backend = OddRows(app.backend)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        rows = app.screen.table.rows
        assert rows and all(r.dropped == {"created": "yesterday"} for r in rows)  # they stay
        said = [n for n in notes(app) if "unexpected type" in n]
        assert said == [f"{len(rows)} rows had a field of an unexpected type, shown empty: "
                        'created ("yesterday")'] or (len(said) == 1 and "created" in said[0])


# ---- the palette and help --------------------------------------------------------------------

async def test_the_palette_lists_meshdecks_own_before_textuals(opened):
    async with opened(executions=50) as (pilot, screen):
        provider = MeshdeckCommands(screen)
        hits = [hit async for hit in provider.discover()]
        assert hits and all(h.score > OWN_FIRST for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        palette = pilot.app.screen
        assert isinstance(palette, CommandPalette)
        from textual.command import CommandList

        from console.tui.commands import screen_commands

        ours = {c.name for c in screen_commands(screen)}
        shown = palette.query_one(CommandList)
        firsts = [str(shown.get_option_at_index(i).prompt).split("\n")[0] for i in range(12)]
        assert all(name in ours for name in firsts), firsts  # not "Keys", "Quit the app"...


async def test_help_lists_meshdecks_keys_not_scrolling_keys(opened):
    async with opened(executions=50) as (pilot, screen):
        await pilot.press("question_mark")
        await pilot.pause()
        rows = pilot.app.screen.rows
        keys = {row[1] for row in rows}
        described = {row[2] for row in rows}
        assert {"Failures", "Compare", "Query line", "Save view", "Window back", "Journal",
                "Mark"} <= described
        assert not keys & {"↑", "↓", "pgup", "pgdn", "home", "end", "tab", "^q"}
