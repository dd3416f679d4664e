"""Columns at every width: the important ones stay, numbers and ids are never cut, the
scrollbar never covers a value (checked on the composed screen, scrollbars included)."""

from __future__ import annotations

from console.tui.widgets.columns import Column, Widths
from console.tui.widgets.process_table import process_columns

from .drawn import screen_strips


def table_lines(table) -> list[str]:
    return [strip.text for strip in screen_strips(table)]


async def test_at_80_columns_the_table_keeps_status_name_id_and_started(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_idle(pilot)
        header = table_lines(app.screen.table)[0]
        for label in ("status", "name", "process id", "started"):
            assert label in header
        first = app.screen.table.rows[0]
        line = next(text for text in table_lines(app.screen.table)[1:]
                    if str(first.process_id) in text)
        assert line.split()[-1] == "ago" or "just now" in line or "duration" in header


async def test_the_scrollbar_never_covers_a_column(make_app, wait_idle):
    app = make_app(executions=300)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_idle(pilot)
        table = app.screen.table
        assert table.show_vertical_scrollbar
        assert not table.show_horizontal_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width


def test_least_important_columns_drop_first_and_whole_ones_are_never_cut():
    columns = [Column("a", "a", 5, str), Column("b", "b", 5, str, priority=2),
               Column("c", "c", 5, str, priority=1), Column("n", "n", 4, str, flex=True),
               Column("id", "id", 4, lambda r: r, whole=True)]
    widths = Widths(columns)
    widths.see(["x" * 36])  # a Conductor id
    assert [c.key for c, _ in widths.layout(200)] == ["a", "b", "c", "n", "id"]
    assert dict((c.key, w) for c, w in widths.layout(200))["id"] == 36
    assert [c.key for c, _ in widths.layout(59)] == ["a", "c", "n", "id"]
    assert [c.key for c, _ in widths.layout(53)] == ["a", "n", "id"]


def test_the_executions_columns_at_80_keep_the_essentials():
    from datetime import UTC, datetime

    widths = Widths(process_columns(lambda: datetime.now(UTC)))
    shown = [c.key for c, _ in widths.layout(78)]
    assert {"status", "name", "process_id", "started"} <= set(shown)


async def test_a_longer_number_than_the_sample_showed_widens_its_column(monkeypatch):
    """Widths come from a sample of the rows; a longer whole value met while painting widens
    its column at once instead of being cut."""
    from textual.app import App

    from console.tui.widgets.vtable import VirtualTable

    from .drawn import drawn_cells

    monkeypatch.setattr(Widths, "SAMPLE", 2)
    rows = [(f"r{i}", 7) for i in range(30)]
    rows[10] = ("r10", 1234567)  # not among the first or last two
    columns = [Column("key", "key", 4, lambda r: r[0]),
               Column("n", "n", 2, lambda r: str(r[1]), whole=True, align_right=True)]

    class Tiny(App):
        def compose(self):
            yield VirtualTable(columns, lambda r: r[0], markable=False)

    app = Tiny()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_rows(rows)
        for _ in range(3):
            await pilot.pause()
        assert drawn_cells(table, "n")[10] == "1234567"
