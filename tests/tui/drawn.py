"""What is actually on the terminal (the composed screen, scrollbars included, each widget's
cached lines as last painted), for tests that must check the picture and not only the state.

A line a widget did not repaint after a change shows what it showed before, exactly as on the
terminal; a scrollbar drawn over a column hides its values here as it does there."""

from __future__ import annotations

from textual.strip import Strip

from console.tui.widgets.vtable import VirtualTable


def screen_strips(widget) -> list[Strip]:
    """The lines of ``widget``'s region of the screen, as composed."""
    region = widget.region
    strips = widget.screen._compositor.render_strips()
    return [strip.crop(region.x, region.right) for strip in strips[region.y:region.bottom]]


def screen_text(app) -> str:
    """The whole screen as text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def drawn_lines(table: VirtualTable) -> list[tuple[str, bool]]:
    """Each line of ``table`` as drawn: its text and whether it is painted as the cursor row."""
    cursor = table.get_component_rich_style("vtable--cursor", partial=True).bgcolor
    return [(line.text, any(seg.style is not None and seg.style.bgcolor == cursor
                            for seg in line if seg.text.strip()))
            for line in screen_strips(table)]


def column_span(table: VirtualTable, key: str) -> tuple[int, int]:
    """Where column ``key`` is drawn on the table's lines (start, end); KeyError if not shown."""
    x = -int(table.scroll_x)
    for column, width in zip(table._shown, table._widths, strict=True):
        if column.key == key:
            return x, x + width
        x += width + 1
    raise KeyError(key)


def highlighted_keys(table: VirtualTable, column: str) -> list[str]:
    """The ``column`` cell of every line drawn highlighted (one, if the screen is honest)."""
    start, end = column_span(table, column)
    return [text[start:end].strip() for text, lit in drawn_lines(table)[1:] if lit]


def drawn_cells(table: VirtualTable, column: str) -> list[str]:
    """The ``column`` cell of every row line as drawn (after the header)."""
    start, end = column_span(table, column)
    return [text[start:end].strip() for text, _ in drawn_lines(table)[1:]]
