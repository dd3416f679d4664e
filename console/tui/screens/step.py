"""The step detail screen: one step's timings, worker, input and output, and every attempt.

Opened from the execution detail (``enter`` on a step). It shows the step it was given at once,
then fetches it again (``get_step``) in a worker; an error is a notification and the screen
keeps what it showed. A failed step's error is on top; the attempts table lists each run from
``executionList``, and the JSON under it is the output of the attempt under the cursor.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane
from textual.worker import Worker

from console import format as fmt
from console.models import StepData, StepExecution, extract_error
from console.tui.screens.base import MeshdeckScreen, loading, tab_keys
from console.tui.screens.detail_parts import step_line
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.json_view import JsonView
from console.tui.widgets.step_tree import STATUS_GLYPHS

ATTEMPT_COLUMNS = ("run", "executor", "scheduled", "polled", "started", "took", "result",
                   "attempt id")
RESULT_WIDTH = 56


def clock_ms(ms: int | None) -> str:
    """``10:23:04.118`` (UTC), or ``–`` when unknown."""
    if not ms:
        return "–"
    return fmt.absolute(ms)[11:-1] + f".{ms % 1000:03d}"


def offset(ms: int | None, base: int | None) -> str:
    """``+3ms`` after ``base``; the clock time when there is no base."""
    if not ms:
        return "–"
    if not base or ms < base:
        return clock_ms(ms)
    return f"+{fmt.duration(ms - base)}"


def attempt_result(attempt: StepExecution, is_last: bool, step_status: str | None) -> Text:
    """How one attempt ended: the step's status for the last one, else its error or "ok"."""
    error = extract_error(attempt.output)
    if is_last:
        status = step_status or "?"
        text = Text(status, style=fmt.status_style(step_status))
        if error and status in ("FAILED", "TIMED_OUT"):
            text.append(f": {error}")
        return text
    return Text(f"failed: {error}", style="red") if error else Text("ok", style="green")


def attempt_rows(step: StepData) -> list[tuple]:
    """One table row per attempt, in the order they ran."""
    attempts = sorted(step.execution_list or [], key=lambda a: (a.runs or 0, a.scheduled or 0))
    rows = []
    for index, a in enumerate(attempts):
        took = fmt.duration(a.updated - a.start) if a.start and a.updated else ""
        result = attempt_result(a, index == len(attempts) - 1, step.status)
        result.truncate(RESULT_WIDTH, overflow="ellipsis")
        rows.append((str(a.runs if a.runs is not None else index + 1), a.executor or "–",
                     clock_ms(a.scheduled), offset(a.polled, a.scheduled),
                     offset(a.start, a.scheduled), took, result, str(a.id or "")))
    return rows


def step_summary(step: StepData, now: datetime) -> RenderableType:
    """Status, names, ids, worker, and the four timings of the step."""
    status = step.status or "UNKNOWN"
    head = Text()
    head.append(f" {STATUS_GLYPHS.get(status, '?')} {status} ",
                style=f"reverse {fmt.status_style(step.status) or 'bold'}")
    head.append("  ")
    head.append(step.ref or "?", style="bold")
    if step.name and step.name != step.ref:
        head.append(f" ({step.namespace + '/' if step.namespace else ''}{step.name})", style="dim")
    head.append(f"  {step.type or ''}", style="italic")
    head.append(f"   step {step.id}  of process {step.process_id}")

    grid = Table.grid(padding=(0, 2))
    for _ in range(2):
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(no_wrap=True, overflow="ellipsis", max_width=52)
    polled = max((a.polled for a in step.execution_list or [] if a.polled), default=None)

    def when(ms: int | None, base: int | None = None) -> Text:
        if not ms:
            return Text("–", style="dim")
        text = Text(f"{fmt.absolute(ms)[:-1]}.{ms % 1000:03d}Z")
        if base and ms >= base:
            text.append(f"  +{fmt.duration(ms - base)}", style="dim")
        else:
            text.append(f"  {fmt.relative(ms, now)}", style="dim")
        return text

    duration = fmt.duration(step.duration_ms) if step.start else "–"
    grid.add_row("scheduled", when(step.schedule), "worker", step.worker_id or "–")
    grid.add_row("polled", when(polled, step.schedule), "parent", step.parent_ref or "–")
    grid.add_row("started", when(step.start, step.schedule), "attempts", str(step.attempts))
    grid.add_row("updated", when(step.updated, step.schedule), "duration", duration or "–")
    if step.optional:
        grid.add_row("optional", "yes (a failure does not fail the process)", "", "")
    return Group(head, grid)


class StepScreen(MeshdeckScreen):
    """One step of an execution, with all its attempts."""

    TITLE = "Step"
    CSS_PATH = "step.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the execution"),
        Binding("r", "refresh", "Refresh", tooltip="Fetch this step again"),
        Binding("y", "copy_cli", "Copy CLI", tooltip="Copy `meshdeck step ID`"),
        *tab_keys("attempts", "input", "output"),
    ]

    def __init__(self, step_id: str, step: StepData | None = None) -> None:
        super().__init__()
        self.step_id = str(step_id).strip()
        self.step = step
        self.sub_title = f"step {self.step_id}"

    def compose(self) -> ComposeResult:
        yield Header()
        yield loading(f"step {self.step_id}", "step-summary")
        yield Static(id="step-error")
        with TabbedContent(id="step-tabs"):
            with TabPane("Attempts", id="attempts"):
                table: DataTable = DataTable(id="attempt-table", cursor_type="row",
                                             zebra_stripes=True)
                table.add_columns(*ATTEMPT_COLUMNS)
                yield table
                yield JsonView("attempt output", id="attempt-json")
            with TabPane("Input", id="input"):
                yield JsonView("input", id="step-input")
            with TabPane("Output", id="output"):
                yield JsonView("output", id="step-output")
        yield MeshdeckFooter()

    def on_mount(self) -> None:
        self.query_one("#step-error").display = False
        self.query_one("#attempt-table").focus()
        if self.step is not None:
            self.show(self.step)
        self.refresh_data()

    @work(exclusive=True, group="step-load", exit_on_error=False)
    async def load(self) -> None:
        self.show(await self.app.backend.get_step(self.step_id))

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        self.load_failed(f"step {self.step_id}", error,
                         "step-summary" if self.step is None else None)

    def show(self, step: StepData) -> None:
        """Put ``step`` on screen; the attempts cursor stays where it was."""
        self.step = step
        self.query_one("#step-summary", Static).update(step_summary(step, self.app.now()))
        box = self.query_one("#step-error", Static)
        error = step.error if step.status in ("FAILED", "TIMED_OUT") else None
        box.display = step.status in ("FAILED", "TIMED_OUT")
        if box.display:
            verb = "timed out" if step.status == "TIMED_OUT" else "failed"
            box.update(Text.assemble((f"✗ {verb}", "bold red"),
                                     f" after {step.attempts} attempt"
                                     f"{'s' if step.attempts != 1 else ''}: ",
                                     (error or "(no error message in the output)", "bold")))
        table = self.query_one("#attempt-table", DataTable)
        row = table.cursor_row
        first = table.row_count == 0
        table.clear()
        for values in attempt_rows(step):
            table.add_row(*values)
        if table.row_count:
            # open on the last attempt (the one that decided the step's status)
            target = table.row_count - 1 if first else min(row, table.row_count - 1)
            table.move_cursor(row=target)
        self._show_attempt(table.cursor_row)
        self.query_one("#step-input", JsonView).show(step.input)
        self.query_one("#step-output", JsonView).show(step.output)

    def _sorted_attempts(self) -> list[StepExecution]:
        attempts = (self.step.execution_list or []) if self.step else []
        return sorted(attempts, key=lambda a: (a.runs or 0, a.scheduled or 0))

    def _show_attempt(self, row: int) -> None:
        attempts = self._sorted_attempts()
        view = self.query_one("#attempt-json", JsonView)
        if 0 <= row < len(attempts):
            view.title = f"attempt {attempts[row].runs or row + 1} output"
            view.show(attempts[row].output, force=True)
        else:
            view.title = "attempt output"
            view.show(None, force=True)

    @on(DataTable.RowHighlighted, "#attempt-table")
    def _attempt_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_attempt(event.cursor_row)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = tab
        pane = tabs.active_pane
        target = pane.query("DataTable, JsonTree").first() if pane else None
        if target is not None:
            target.focus()

    def action_copy_cli(self) -> None:
        self.app.copy(step_line(self.step_id, self.cli_flags()), "CLI command")
