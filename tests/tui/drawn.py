"""What a table has actually drawn (its cached lines, as the terminal shows them), for tests
that must check the picture and not only the widget's state."""

from __future__ import annotations

from textual.geometry import Region

from console.tui.widgets.vtable import VirtualTable


def drawn_lines(table: VirtualTable) -> list[tuple[str, bool]]:
    """Each drawn line of ``table``: its text and whether it is painted as the cursor row.

    Lines come from the widget's render cache: a line that was not repainted after a change
    shows what it showed before, exactly as on the terminal."""
    cursor = table.get_component_rich_style("vtable--cursor", partial=True).bgcolor
    width, height = table.size
    lines = table.render_lines(Region(0, 0, width, height))
    return [(line.text, any(seg.style is not None and seg.style.bgcolor == cursor
                            for seg in line if seg.text.strip()))
            for line in lines]


def highlighted_keys(table: VirtualTable, column: str) -> list[str]:
    """The ``column`` cell of every line drawn highlighted (one, if the screen is honest)."""
    start = int(table.scroll_x)
    x = 0
    for col, width in zip(table.columns, table._widths, strict=True):
        if col.key == column:
            break
        x += width + 1
    else:
        raise KeyError(column)
    x -= start
    width = table._widths[[c.key for c in table.columns].index(column)]
    return [text[x:x + width].strip() for text, lit in drawn_lines(table)[1:] if lit]
