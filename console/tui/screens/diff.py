"""Compare two executions side by side (``d`` on the executions screen with two rows marked):
"what is different about the ones that failed?"

Both are fetched with their steps and compared by ``console.services.diff`` (the same rows as
``meshdeck diff ID1 ID2``): the process (status, trigger, duration, error), the input and output
field by field, and each step matched by ref. Only the fields that differ are shown; ``a`` shows
every field (the same ones dim). The highlighted field's two values are shown whole under the
table; ``1`` and ``2`` open either execution.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.binding import Binding

from console.models import ProcessData
from console.services.diff import DiffRow, ProcessDiff, diff_processes
from console.tui.screens.table_screen import TableScreen
from console.tui.widgets.vtable import Column

#: How much of each value the box under the table shows.
VALUE_LIMIT = 600


@dataclass(frozen=True)
class Line:
    """One line of the table: a section heading (``row`` None) or a field."""

    section: str
    row: DiffRow | None = None


def line_key(line: Line) -> str:
    return f"{line.section}\x00{line.row.field if line.row else ''}"


def _side(line: Line, side: str) -> str:
    return "" if line.row is None else line.row.shown(side)


def _style(line: Line) -> str:
    if line.row is None:
        return "bold underline"
    return "dim" if line.row.same else "yellow"


def diff_columns(left: str, right: str) -> list[Column]:
    """Field, then each execution's value; the values share the width."""
    return [
        Column("field", "field", 26, lambda x: x.section if x.row is None else "  " + x.row.field,
               style=lambda x: "bold underline" if x.row is None else ""),
        Column("left", left, 20, lambda x: _side(x, "left"), flex=True, style=_style),
        Column("right", right, 20, lambda x: _side(x, "right"), flex=True, style=_style),
    ]


def lines_of(diff: ProcessDiff) -> list[Line]:
    lines: list[Line] = []
    for section, rows in diff.sections():
        lines.append(Line(section))
        lines += [Line(section, row) for row in rows]
    return lines


class DiffScreen(TableScreen):
    """Two executions side by side."""

    TITLE = "Compare"
    EMPTY = "nothing to compare yet"
    BOX = "warning"
    BINDINGS = [
        Binding("a", "everything", "All fields",
                tooltip="Show every field compared (again: only the ones that differ)"),
        Binding("1", "open(0)", "Open left", tooltip="Open the first execution"),
        Binding("2", "open(1)", "Open right", tooltip="Open the second execution"),
        Binding("r", "refresh", "Refresh", show=False, tooltip="Fetch both again"),
    ]
    FAILURE_WORDS = {"diff": "cannot compare"}

    def __init__(self, left: str, right: str) -> None:
        super().__init__()
        self.ids = (str(left), str(right))
        self.sub_title = f"{left} ↔ {right}"
        self.everything = False
        self.processes: tuple[ProcessData, ProcessData] | None = None

    def columns(self) -> list[Column]:
        return diff_columns(*self.ids)

    def row_key(self, line: Line) -> str:
        return line_key(line)

    def head_text(self) -> Text:
        return Text(f"Fetching {self.ids[0]} and {self.ids[1]}…", style="dim")

    @work(exclusive=True, group="diff", exit_on_error=False)
    async def load(self) -> None:
        fetched = await self.app.backend.get_many(list(self.ids), include_steps=True)
        for item in fetched:
            if item.process is None:
                raise item.error or LookupError(f"{item.id}: not found")
        self.processes = (fetched[0].process, fetched[1].process)  # type: ignore[assignment]
        self.show()

    def worker_failed(self, worker, error: BaseException) -> None:
        super().worker_failed(worker, error)
        if self.processes is None:
            self.set_head(Text(f"Could not fetch both executions: {error} (r: try again, "
                               "escape: back)", style="bold red"))

    def show(self) -> None:
        if self.processes is None:
            return
        diff = diff_processes(*self.processes, everything=self.everything)
        left, right = self.processes
        self.set_head(Text.assemble(
            (f"{diff.differences:,} of {diff.compared:,} fields differ", "bold"),
            f"  ·  {left.name} {left.status} ↔ {right.name} {right.status}  ·  ",
            ("every field shown (a: only the differences)" if self.everything
             else "only the differences (a: every field)", "dim")))
        self.table.empty_text = f"the two are the same in all {diff.compared:,} fields compared"
        self.set_rows(lines_of(diff))

    def box(self, line: Line) -> Text | None:
        """The highlighted field's two values, whole (up to ``VALUE_LIMIT`` characters)."""
        row = line.row
        if row is None:
            return None
        return Text.assemble(
            (f"{row.section} · {row.field}", "bold"), "\n",
            (f"{self.ids[0]}: ", "dim"), row.shown("left", VALUE_LIMIT), "\n",
            (f"{self.ids[1]}: ", "dim"), row.shown("right", VALUE_LIMIT))

    def action_everything(self) -> None:
        self.everything = not self.everything
        self.show()

    def action_open(self, side: int) -> None:
        self.app.open_process(self.ids[side])
