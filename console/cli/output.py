"""Rendering: rich tables for people, ``json | ndjson | csv | ids`` for pipes.

stdout holds only the requested output; everything else goes to stderr. Colour only when stdout
is a terminal and neither ``--no-color`` nor ``NO_COLOR`` is set; otherwise plain text.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from console.cli.common import CliProblem, get_state

LIST_FORMATS = ("table", "json", "ndjson", "csv", "ids")


def choose_format(value: str | None, allowed: Sequence[str] = LIST_FORMATS, default: str = "table") -> str:
    fmt = (value or default).strip().lower()
    if fmt not in allowed:
        raise CliProblem(f"unknown output format {value!r} (use {', '.join(allowed)})")
    return fmt


def console(stderr: bool = False):
    """A rich Console on stdout (or stderr): plain when not a terminal or colour is off."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = _isatty(stream)
    return Console(file=stream, no_color=not get_state().color, highlight=False,
                   force_terminal=None if tty else False, width=None if tty else 200,
                   soft_wrap=not tty, emoji=False)


def _isatty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def stdout_is_tty() -> bool:
    return _isatty(sys.stdout)


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False, default=str)``, made by orjson when it
    can (the stdlib's indenting encoder is pure Python, ~10x slower). The same JSON values; only
    a few floats are spelled differently (``1e-7`` for ``1e-07``), and NaN becomes ``null``
    (valid JSON) where the stdlib wrote ``NaN``."""
    try:
        import orjson

        return orjson.dumps(value, default=str,
                            option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    except (ImportError, TypeError, ValueError):  # e.g. an int beyond 64 bits: the stdlib copes
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def write_json(value: Any) -> None:
    sys.stdout.write(dumps_indented(value) + "\n")


def write_ndjson(values: Iterable[Any]) -> None:
    for value in values:
        sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


# --- columns of a list ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column: ``value`` for csv/json (plain data), ``cell`` for the table (rich text)."""

    name: str
    header: str
    value: Callable[[Any], Any]
    cell: Callable[[Any], Any] | None = None
    style: str | None = None


def pick_columns(available: Sequence[Column], wanted: str | None, default: Sequence[str]) -> list[Column]:
    by_name = {c.name.lower(): c for c in available}
    names = [n.strip().lower() for n in wanted.split(",") if n.strip()] if wanted else list(default)
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise CliProblem(f"unknown column {', '.join(unknown)} (use {', '.join(c.name for c in available)})")
    return [by_name[n] for n in names]


class RowWriter:
    """Writes rows in one format, as they come (``json`` is streamed as one array)."""

    def __init__(self, fmt: str, columns: Sequence[Column], *, full: Callable[[Any], Any] | None = None,
                 id_of: Callable[[Any], Any] | None = None, title: str | None = None,
                 columns_chosen: bool = False) -> None:
        self.fmt, self.columns, self.full, self.id_of, self.title = fmt, list(columns), full, id_of, title
        self.columns_chosen = columns_chosen
        self.count = 0
        self._table_rows: list[Any] = []
        self._csv = None

    def _record(self, row: Any) -> Any:
        if self.full is not None and not self.columns_chosen:
            return self.full(row)
        return {c.name: c.value(row) for c in self.columns}

    def write(self, rows: Iterable[Any]) -> None:
        out = sys.stdout
        for row in rows:
            if self.fmt == "ids":
                out.write(f"{self.id_of(row) if self.id_of else self.columns[0].value(row)}\n")
            elif self.fmt == "ndjson":
                out.write(json.dumps(self._record(row), ensure_ascii=False, default=str) + "\n")
            elif self.fmt == "json":
                out.write(("[\n" if self.count == 0 else ",\n")
                          + _indent(dumps_indented(self._record(row))))
            elif self.fmt == "csv":
                if self._csv is None:
                    self._csv = csv.writer(out, lineterminator="\n")
                    self._csv.writerow([c.name for c in self.columns])
                self._csv.writerow([_csv_value(c.value(row)) for c in self.columns])
            else:
                self._table_rows.append(row)
            self.count += 1
        out.flush()

    def close(self) -> None:
        if self.fmt == "json":
            sys.stdout.write("[]\n" if self.count == 0 else "\n]\n")
        elif self.fmt == "csv" and self._csv is None:
            csv.writer(sys.stdout, lineterminator="\n").writerow([c.name for c in self.columns])
        elif self.fmt == "table" and self._table_rows:
            print_table(self.columns, self._table_rows, title=self.title)
        sys.stdout.flush()


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def print_table(columns: Sequence[Column], rows: Sequence[Any], title: str | None = None) -> None:
    tty = stdout_is_tty()
    if not tty:
        lines = plain_table(columns, rows)
        if lines is not None:
            sys.stdout.writelines(lines)
            return
    from rich import box
    from rich.table import Table

    out = console()
    table = Table(box=box.SIMPLE_HEAD if tty else None, title=title if tty else None,
                  show_edge=False, pad_edge=False, header_style="bold" if tty else "")
    for col in columns:
        table.add_column(col.header, style=col.style if tty else None, overflow="fold")
    for row in rows:
        table.add_row(*[_text((col.cell or col.value)(row)) for col in columns])
    out.print(table)


#: The width rich lays a table out in when stdout is not a terminal (``console()``).
PLAIN_WIDTH = 200


def plain_table(columns: Sequence[Column], rows: Sequence[Any]) -> list[str] | None:
    """The lines rich prints for this table when stdout is not a terminal (no box, no colour,
    columns two spaces apart, each line padded to the table's width), made without rich's
    layout engine: ~50x faster, which counts for a dry run of 100,000 ids. None when rich
    would do more than that (a cell over several lines or with control characters, a
    header with markup, a table wider than the page), so that rich prints it."""
    from rich.cells import cell_len

    headers = [c.header for c in columns]
    if any("[" in h or not h.isprintable() for h in headers):
        return None
    getters = [c.cell or c.value for c in columns]
    table = [headers]
    for row in rows:
        cells = []
        for get in getters:
            value = get(row)
            text = "" if value is None else getattr(value, "plain", None)
            if text is None:
                text = str(value)
            if not text.isprintable():
                return None
            cells.append(text)
        table.append(cells)
    widths = [max(cell_len(line[i]) for line in table) for i in range(len(columns))]
    if sum(widths) + 2 * (len(widths) - 1) > PLAIN_WIDTH:
        return None
    last = len(widths) - 1
    return ["".join(text + " " * (width - cell_len(text)) + ("  " if i < last else "\n")
                    for i, (text, width) in enumerate(zip(line, widths)))
            for line in table]


def _csv_value(value: Any) -> Any:
    """A cell of csv: empty for none, ``true`` / ``false`` as JSON has them (not Python's)."""
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else value


def _text(value: Any) -> Any:
    from rich.text import Text

    if value is None:
        return ""
    if isinstance(value, Text):
        return value
    return Text(str(value))


def status_text(status: str | None):
    from rich.text import Text

    from console.format import status_style

    return Text(status or "?", style=status_style(status))


def key_values(pairs: Sequence[tuple[str, Any]], title: str | None = None) -> None:
    """A two-column summary (label, value) on stdout."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold" if stdout_is_tty() else None)
    grid.add_column(overflow="fold")
    for label, value in pairs:
        if value not in (None, ""):
            grid.add_row(label, _text(value))
    out = console()
    if title:
        out.print(title, style="bold", markup=False)
    out.print(grid)


def json_block(value: Any, title: str | None = None) -> None:
    """Pretty JSON (coloured on a terminal) under an optional title."""
    out = console()
    if title:
        out.print(title, style="bold", markup=False)
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    if stdout_is_tty() and get_state().color:
        from rich.syntax import Syntax

        out.print(Syntax(text, "json", background_color="default", word_wrap=True))
    else:
        out.print(text, markup=False, highlight=False)
