"""The executions table: a ``VirtualTable`` of ``ProcessSummary`` rows (``ProcessData`` works too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from console import format as fmt
from console.models import ProcessSummary
from console.tui.widgets.vtable import Column, VirtualTable


#: What an empty table says after a search that worked.
NO_MATCH = "no executions match these filters in this time window"


def _text(value: object) -> str:
    return "" if value is None else str(value)


def process_columns(now: Callable[[], datetime], namespace_label: str = "namespace"
                    ) -> list[Column]:
    """The columns of the executions table; ``now`` makes "started" relative (and testable);
    ``namespace_label`` is what the backend calls a namespace (Conductor: "owner app").

    Priority 0 (status, name, process id, started) is always shown; on a narrower terminal
    steps drop out first, then trigger, correlation id, namespace and duration. Numbers, ids
    and times are ``whole``: never cut, the column drops out instead."""
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
        Column("steps", "steps", 5, lambda p: _text(p.step_count or ""),
               sort_key=lambda p: p.step_count, align_right=True, whole=True, priority=5),
    ]


def process_key(process: ProcessSummary) -> str:
    return str(process.process_id)


class ProcessTable(VirtualTable):
    """Executions, newest first as the server sends them, until the user sorts."""

    def __init__(self, now: Callable[[], datetime], *, namespace_label: str = "namespace",
                 id: str | None = None) -> None:
        super().__init__(process_columns(now, namespace_label), process_key, id=id,
                         empty_text=NO_MATCH)

    @property
    def sortable(self) -> list[tuple[str, str]]:
        return [(c.key, c.label) for c in self.columns if c.key != "mark"]


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
