"""A table printed to a pipe is made without rich's layout engine (``output.plain_table``), and
it must be the very text rich prints: compared on generated tables (any printable text, wide
characters, empty cells), and handed back to rich where rich would lay it out differently."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from console.cli import output
from console.cli.output import Column, plain_table

cell = st.one_of(st.none(), st.integers(-10**12, 10**12),
                 st.text(st.characters(codec="utf-8"), max_size=12))


def columns(n: int) -> list[Column]:
    return [Column(f"c{i}", f"HEAD {i}" if i % 2 else f"H{i}", lambda row, i=i: row[i],
                   cell=(lambda row, i=i: Text(str(row[i]), style="bold")) if i == 1 else None)
            for i in range(n)]


def rich_text(cols: list[Column], rows: list) -> str:
    """What ``print_table`` printed before: rich, as ``output.console()`` sets it up for a pipe."""
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    table = Table(box=None, title=None, show_edge=False, pad_edge=False, header_style="")
    for col in cols:
        table.add_column(col.header, style=None, overflow="fold")
    for row in rows:
        table.add_row(*[output._text((col.cell or col.value)(row)) for col in cols])
    Console(file=buffer, no_color=True, highlight=False, force_terminal=False,
            width=output.PLAIN_WIDTH, soft_wrap=True, emoji=False).print(table)
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(cell, min_size=n, max_size=n),
                                                     min_size=1, max_size=6)))
def test_the_plain_table_is_the_text_rich_prints(rows):
    cols = columns(len(rows[0]))
    lines = plain_table(cols, rows)
    if lines is not None:  # else rich prints it (control characters, say)
        assert "".join(lines) == rich_text(cols, rows)


def test_what_rich_would_lay_out_otherwise_is_left_to_rich():
    cols = columns(2)
    assert plain_table(cols, [["a\nb", "c"]]) is None  # a cell over two lines
    assert plain_table(cols, [["x" * 150, "y" * 60]]) is None  # wider than the page
    assert plain_table([Column("a", "[b]A[/b]", lambda r: r)], ["x"]) is None  # markup
    assert "".join(plain_table(cols, [["界", 1]])) == rich_text(cols, [["界", 1]])
