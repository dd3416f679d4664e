"""The executions screen's state as reactives, and the status line that follows it by itself.

Every fact the status line shows is a reactive of ``ExecutionsState``; the table's own facts
(rows, marks, sort) are mirrored into one ``TableFacts`` value whenever the table changes.
``status_line`` is computed from them (Textual recomputes it when any reactive changes) and the
``StatusLine`` under the table is bound to it: nothing updates the line by hand. ``busy``
follows the search workers' states; watchers keep the auto-refresh timer and the "load all"
progress bar in step with the state.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.reactive import reactive, var
from textual.timer import Timer
from textual.widgets import ProgressBar, Static
from textual.worker import Worker

from console.models import SearchQuery
from console.services.search import Count
from console.tui.filters import Filters
from console.tui.screens.base import MeshdeckScreen
from console.tui.widgets.vtable import VirtualTable


@dataclass(frozen=True)
class TableFacts:
    """What the status line needs to know about the table."""

    rows: int = 0
    marked: int = 0
    hidden: int = 0  # marked, but not among the rows shown (another page)
    sort_column: str | None = None
    sort_reverse: bool = False
    stale: int = 0  # rows shown whose status could not be read again after an action

    @classmethod
    def of(cls, table: VirtualTable) -> TableFacts:
        keys = {table.row_key(r) for r in table.rows} if table.marks or table.stale else set()
        return cls(len(table.rows), len(table.marks), len(table.marks - keys),
                   table.sort_column, table.sort_reverse, len(table.stale & keys))


class StatusLine(Static):
    """The line under the table; compose it bound to the screen's ``status_line``:
    ``StatusLine().data_bind(line=ExecutionsState.status_line)``."""

    line: reactive[str] = reactive("", layout=False, repaint=False)

    def watch_line(self, line: str) -> None:
        self.update(line)


class ExecutionsState(MeshdeckScreen):
    """The state of the executions screen; ``ExecutionsScreen`` adds the layout and the keys."""

    #: The filters of the last search (the filter bar may hold newer, not yet applied ones).
    filters: var[Filters] = var(Filters)
    #: Where the page shown starts, and whether more rows follow it.
    page_offset: var[int] = var(0)
    has_more: var[bool] = var(False)
    #: Every match is in the table ("load all"), not one page.
    loaded_all: var[bool] = var(False)
    #: A search worker is pending or running.
    busy: var[bool] = var(False)
    #: Matches in total (the status counts summed), once counted; capped: "at least".
    total: var[Count | None] = var(None)
    #: "Select all matching": the query whose every match the next action asks about (None:
    #: not selected). What it selects is decided when the action is chosen (by_query).
    all_matching: var[SearchQuery | None] = var(None)
    #: Seconds between automatic refreshes (0: off).
    refresh_every: var[int] = var(0)
    #: The last search's error, until a search succeeds.
    last_error: var[str | None] = var(None)
    table_facts: var[TableFacts] = var(TableFacts)
    status_line: var[str] = var("")

    _timer: Timer | None = None

    def compute_status_line(self) -> str:
        facts, total = self.table_facts, self.total
        if self.loaded_all:
            span = f"all {facts.rows:,} loaded" + (" (loading…)" if self.busy else "")
        elif facts.rows:
            end = self.page_offset + facts.rows
            if not self.has_more:
                of = f"{end:,}"
            elif total is not None and total.value > end:
                of = total.words + (" (#: count exactly)" if total.capped else "")
            else:
                of = f"more than {end:,}"
            span = f"{self.page_offset + 1:,}–{end:,} of {of}"
        else:
            span = "loading…" if self.busy else "no rows"
        parts = [span]
        if self.all_matching is not None:
            if total is None:
                parts.append("all matching selected (not counted yet)")
            elif total.capped:
                parts.append(f"all matching selected ({total.words})")
            else:
                parts.append(f"all {total.value:,} matching selected")
        elif facts.marked:
            parts.append(f"{facts.marked:,} marked"
                         + (f" ({facts.hidden:,} on other pages)" if facts.hidden else ""))
        if facts.stale:
            parts.append(f"{facts.stale:,} stale (r: refresh)")
        if facts.sort_column:
            parts.append(f"sorted by {facts.sort_column} {'▼' if facts.sort_reverse else '▲'}")
        parts.append(f"auto-refresh {self.refresh_every}s" if self.refresh_every
                     else "auto-refresh off")
        if self.app.read_only:
            parts.append("READ-ONLY")
        if self.last_error:
            parts.append(f"last error: {self.last_error}")
        parts.append(self.filters.describe())
        return "  ·  ".join(parts)

    def watch_refresh_every(self, seconds: int) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if seconds:
            self._timer = self.set_interval(seconds, self._auto_tick)

    def _auto_tick(self) -> None:
        if not self.busy and self.app.screen is self:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Search again (the screen defines how)."""
        raise NotImplementedError

    @on(Worker.StateChanged)
    def _search_state(self, event: Worker.StateChanged) -> None:
        """``busy`` while a search worker is pending or running (a new one cancels the last)."""
        if event.worker.group == "search":
            self.busy = any(w.group == "search" and w.node is self and not w.is_finished
                            for w in self.workers)

    def watch_busy(self) -> None:
        self._show_progress()

    def watch_loaded_all(self) -> None:
        self._show_progress()

    def _show_progress(self) -> None:
        for bar in self.query(ProgressBar):  # none before the screen is composed
            bar.display = self.busy and self.loaded_all
