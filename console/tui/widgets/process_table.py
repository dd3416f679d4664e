"""The executions table: a ``VirtualTable`` of ``ProcessSummary`` rows (``ProcessData`` works too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from console import format as fmt
from console.models import ProcessSummary
from console.services.progress import ProfileCache
from console.tui.row_details import RowDetails
from console.tui.widgets.vtable import Column, VirtualTable


#: What an empty table says after a search that worked.
NO_MATCH = "no executions match these filters in this time window"


def _text(value: object) -> str:
    return "" if value is None else str(value)


def process_columns(now: Callable[[], datetime], namespace_label: str = "namespace",
                    details: RowDetails | None = None) -> list[Column]:
    """The columns of the executions table; ``now`` makes "started" relative (and testable);
    ``namespace_label`` is what the backend calls a namespace (Conductor: "owner app");
    ``details`` fills the error and progress cells (``console.tui.row_details``).

    Priority 0 (status, name, process id, started) is always shown; on a narrower terminal
    the error drops out first, then steps, trigger, correlation id and progress, namespace and
    duration. Numbers, ids and times are ``whole``: never cut, the column drops out instead."""
    details = details or RowDetails()

    def progress_style(p: ProcessSummary) -> str:
        found = details.progress_of(p)
        return "bold red" if found is not None and found.slow else ""

    return [
        Column("mark", " ", 1, lambda p: ""),
        Column("status", "status", 10, lambda p: _text(p.status),
               style=lambda p: fmt.status_style(p.status)),
        Column("name", "name", 18, lambda p: _text(p.name), flex=True),
        Column("namespace", namespace_label, 13, lambda p: _text(p.namespace), priority=2),
        Column("process_id", "process id", 10, lambda p: _text(p.process_id),
               sort_key=lambda p: p.process_id, whole=True),
        Column("correlation_id", "correlation id", 14, lambda p: _text(p.correlation_id),
               fit=True, priority=3),
        Column("trigger", "trigger", 11, lambda p: _text(p.trigger_type), priority=4),
        Column("started", "started", 8, lambda p: fmt.relative(p.created, now()),
               sort_key=lambda p: p.created, align_right=True, whole=True),
        Column("duration", "duration", 8, lambda p: _ran(p, now),
               sort_key=lambda p: _ran_ms(p, now), align_right=True, whole=True, priority=1),
        Column("progress", "progress", 10, lambda p: _progress(details, p),
               style=progress_style, sort_key=lambda p: _fraction(details, p), priority=3),
        Column("steps", "steps", 5, lambda p: _text(p.step_count or ""),
               sort_key=lambda p: p.step_count, align_right=True, whole=True, priority=5),
        Column("error", "failed step: error", 30, details.error_text, flex=True, grow=3,
               style=lambda p: "red", priority=6),
    ]


#: The table's column keys as the CLI names them (``meshdeck search --columns``, saved views).
CLI_NAMES = {"process_id": "id", "correlation_id": "correlation"}


def key_of(cli_name: str) -> str:
    """The table's column key for a CLI column name."""
    return next((key for key, name in CLI_NAMES.items() if name == cli_name), cli_name)


def process_key(process: ProcessSummary) -> str:
    return str(process.process_id)


class ProcessTable(VirtualTable):
    """Executions, newest first as the server sends them, until the user sorts."""

    def __init__(self, now: Callable[[], datetime], *, namespace_label: str = "namespace",
                 profiles: ProfileCache | None = None, id: str | None = None) -> None:
        #: The error and progress cells' facts, fetched for the rows on screen.
        self.details = RowDetails(profiles)
        super().__init__(process_columns(now, namespace_label, self.details), process_key,
                         id=id, empty_text=NO_MATCH)

    @property
    def sortable(self) -> list[tuple[str, str]]:
        return [(c.key, c.label) for c in self.columns if c.key != "mark"]

    # ---- columns by the CLI's names (saved views) ------------------------------------------

    def cli_columns(self) -> tuple[str, ...]:
        """The columns not hidden, as the CLI names them; () when none is hidden."""
        if not self.hidden:
            return ()
        return tuple(CLI_NAMES.get(c.key, c.key) for c in self.columns
                     if c.key != "mark" and c.key not in self.hidden)

    def show_cli_columns(self, names: tuple[str, ...]) -> list[str]:
        """Show only the columns named (CLI names; () shows them all); returns the names this
        table has no column for."""
        if not names:
            self.set_hidden(())
            return []
        own = {c.key for c in self.columns}
        self.set_hidden(own - {key_of(n) for n in names} - {"mark"})
        return [n for n in names if key_of(n) not in own]

    def cli_sort(self) -> str | None:
        """The sort as a saved view keeps it: ``-started`` (None: as the server sends)."""
        if self.sort_column is None:
            return None
        return ("-" if self.sort_reverse else "") + CLI_NAMES.get(self.sort_column,
                                                                  self.sort_column)

    def sort_by_cli(self, sort: str | None) -> bool:
        """Sort as a saved view says; False when there is no such column."""
        if not sort:
            self.sort_by(None, reverse=False)
            return True
        key = key_of(sort.lstrip("-"))
        if key not in {c.key for c in self.columns}:
            return False
        self.sort_by(key, reverse=sort.startswith("-"))
        return True


def _ran_ms(p: ProcessSummary, now: Callable[[], datetime]) -> int | None:
    """How long the execution ran, or has run so far while it is under way."""
    if p.duration_ms is not None:
        return p.duration_ms
    return p.running_for(int(now().timestamp() * 1000))


def _ran(p: ProcessSummary, now: Callable[[], datetime]) -> str:
    """``7.4s``; ``4h 45m…`` while it runs (the … says: so far)."""
    took = _ran_ms(p, now)
    if took is None:
        return ""
    return fmt.duration(took) + ("…" if p.duration_ms is None else "")


def _progress(details: RowDetails, p: ProcessSummary) -> str:
    found = details.progress_of(p)
    return found.cell() if found is not None else ""


def _fraction(details: RowDetails, p: ProcessSummary) -> float | None:
    found = details.progress_of(p)
    return found.fraction if found is not None else None
