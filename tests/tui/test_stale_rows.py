"""After an action, rows whose status could not be read again are not shown as current: drawn
dim with a "?", counted on the status line, and the status counts say they are stale, until a
search succeeds. An unknown outcome (sent, no answer) is stale the same way."""

from __future__ import annotations

from console import errors
from console.tui.dialogs.results import ResultsScreen

from .conftest import SIZE
from .drawn import drawn_lines
from .test_bulk_flow import only_failed
from .test_executions import Flaky, status_text


def stale_marks(table) -> dict[str, str]:
    """Process id -> what the mark column shows, for the rows drawn."""
    from .drawn import column_span

    mark = column_span(table, "mark")
    ident = column_span(table, "process_id")
    return {text[ident[0]:ident[1]].strip(): text[mark[0]:mark[1]]
            for text, _ in drawn_lines(table)[1:] if text.strip()}


async def review_two_then_refresh_fails(app, pilot, wait_idle, flaky):
    screen = await only_failed(pilot, wait_idle)
    pids = [str(p.process_id) for p in screen.table.rows[:2]]
    await pilot.press("space", "space", "v")
    await wait_idle(pilot)
    flaky.down = True  # the action goes through; the search after it does not
    await pilot.click("#confirm")
    await wait_idle(pilot)
    assert isinstance(app.screen, ResultsScreen)
    await pilot.press("escape")
    await wait_idle(pilot)
    return screen, pids


async def test_rows_acted_on_are_drawn_stale_while_the_refresh_fails(make_app, wait_idle):
    app = make_app(executions=300)
    app.backend = flaky = Flaky(app.backend)
    async with app.run_test(size=SIZE) as pilot:
        screen, pids = await review_two_then_refresh_fails(app, pilot, wait_idle, flaky)
        table = screen.table
        assert [str(p.process_id) for p in table.rows[:2]] == pids  # the old rows stay...
        assert all(p.status == "FAILED" for p in table.rows[:2])
        drawn = stale_marks(table)
        assert [drawn[pid] for pid in pids] == ["?", "?"]  # ...but not as if current
        assert drawn[str(table.rows[2].process_id)] == " "
        assert "2 stale (r: refresh)" in status_text(screen)
        assert screen.facets.stale
        assert str(screen.facets.render()).startswith("stale counts")
        await pilot.press("home")
        assert screen.targets() == ([pids[0]], {pids[0]: None})  # its status is looked up again
        flaky.down = False
        await pilot.press("r")
        await wait_idle(pilot)
        assert not table.stale and not screen.facets.stale
        assert "stale" not in status_text(screen)
        assert not str(screen.facets.render()).startswith("stale")


async def test_an_unknown_outcome_is_stale_until_a_search_reads_it(make_app, wait_idle):
    app = make_app(executions=300)
    app.backend = flaky = Flaky(app.backend)

    async def no_answer(action, ids, reason, settled):
        raise errors.OutcomeUnknown("the connection was reset before the answer came")

    async with app.run_test(size=SIZE) as pilot:
        flaky.backend.send_chunk = no_answer
        screen, pids = await review_two_then_refresh_fails(app, pilot, wait_idle, flaky)
        assert screen.table.stale == set(pids)
        assert [stale_marks(screen.table)[pid] for pid in pids] == ["?", "?"]
        flaky.down = False
        await pilot.press("r")
        await wait_idle(pilot)
        assert not screen.table.stale
