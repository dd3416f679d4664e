"""Conductor's 36-character ids in the executions table and the results dialog: never cut, and
the columns beside them never cut into another number (checked on the composed screen)."""

from __future__ import annotations

import pytest

from tests.conductor.tui.test_snapshot import build_conductor_app
from tests.tui.drawn import screen_strips
from tests.tui.scenarios import settle


def lines_of(widget) -> list[str]:
    return [strip.text for strip in screen_strips(widget)]


@pytest.mark.parametrize("width", [80, 100, 120, 130, 140, 160])
async def test_every_number_and_id_on_a_row_is_whole_at_any_width(clock, width):
    """A 10-step row never reads "1" (the column is whole or not there), an id is never cut,
    and the table never scrolls sideways (nothing hides past the edge or under the scrollbar)."""
    app = build_conductor_app(clock)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        table = app.screen.table
        lines = lines_of(table)
        header = lines[0].split()
        assert not table.show_horizontal_scrollbar
        for process in table.rows[:20]:
            line = next(t for t in lines[1:] if str(process.process_id) in t)
            words = line.split()
            if "steps" in header and process.step_count:
                assert str(process.step_count) == words[-1] or \
                    str(process.step_count) in words, line
        assert all(len(str(p.process_id)) == 36 for p in table.rows[:20])
        for label in ("status", "name", "id", "started"):
            assert label in header
