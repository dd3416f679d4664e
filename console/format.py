"""How times, durations, statuses and ids read to a person, and what could not be shown: shared
by the CLI and the TUI."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from console.models import epoch_ms_to_datetime

#: Rich style per status (processes and steps); unknown statuses get the default style.
STATUS_STYLES: dict[str, str] = {
    "RUNNING": "bold blue",
    "COMPLETED": "green",
    "FAILED": "bold red",
    "TIMED_OUT": "bold magenta",
    "TERMINATED": "yellow",
    "CANCELLED": "yellow",
    "REVIEWED": "cyan",
    "PENDING": "dim",
    "SCHEDULED": "dim",
    "PAUSED": "yellow",
    "SKIPPED": "dim",
}


def status_style(status: str | None) -> str:
    return STATUS_STYLES.get(status or "", "")


def duration(ms: int | float | None) -> str:
    """``850ms``, ``12.3s``, ``4m 05s``, ``2h 03m``, ``3d 04h``; empty when unknown."""
    if ms is None:
        return ""
    ms = max(0, int(ms))
    if ms < 1000:
        return f"{ms}ms"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, sec = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {sec:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours:02d}h"


def _span(seconds: float) -> str:
    """``42s``, ``5m``, ``3h``, ``2d``: the largest whole unit."""
    for limit, unit, size in ((60, "s", 1), (3600, "m", 60), (86400, "h", 3600)):
        if seconds < limit:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds // 86400)}d"


def age(ms: int | None, now: datetime | None = None) -> str:
    """How long ago ``ms`` was: ``0s``, ``42s``, ``5m``, ``3h``, ``2d`` (``0s`` for the future);
    empty when unknown."""
    when = epoch_ms_to_datetime(ms)
    if when is None:
        return ""
    return _span(max(0.0, ((now or datetime.now(UTC)) - when).total_seconds()))


def run_duration(item: Any, now_ms: int | None = None) -> str:
    """How long an execution (a ProcessData or a ProcessSummary) ran: ``7.4s``; ``12.0s so
    far`` while it is under way (at ``now_ms``, default now); empty when unknown (a REVIEWED
    row of a search: the review moved its last update, and a search sends no steps)."""
    if item.duration_ms is not None:
        return duration(item.duration_ms)
    so_far = item.running_for(int(time.time() * 1000) if now_ms is None else now_ms)
    return "" if so_far is None else f"{duration(so_far)} so far"


def relative(ms: int | None, now: datetime | None = None) -> str:
    """``just now``, ``42s ago``, ``5m ago``, ``3h ago``, ``2d ago`` (``in 5m`` for the future)."""
    when = epoch_ms_to_datetime(ms)
    if when is None:
        return ""
    now = now or datetime.now(UTC)
    delta = (now - when).total_seconds()
    if abs(delta) < 5:
        return "just now"
    text = _span(abs(delta))
    return f"in {text}" if delta < 0 else f"{text} ago"


def absolute(ms: int | None) -> str:
    """``2026-11-25 11:58:03Z`` in UTC; empty when unknown."""
    when = epoch_ms_to_datetime(ms)
    return when.strftime("%Y-%m-%d %H:%M:%SZ") if when else ""


class DroppedFields:
    """A tally of the rows that had fields of a type meshdeck cannot show (``dropped``, left
    empty), for ONE warning however many rows: ``add`` the rows as they come, then ``warning``.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.fields: dict[str, Any] = {}

    def add(self, rows: Iterable[Any]) -> DroppedFields:
        for row in rows:
            dropped = row.dropped
            if dropped:
                self.rows += 1
                for name, sent in dropped.items():
                    self.fields.setdefault(name, sent)
        return self

    def warning(self) -> str | None:
        """``2 rows had fields of an unexpected type, shown empty: created ("yesterday")``, each
        field with the first value sent; None when no row had one."""
        if not self.rows:
            return None
        one = self.rows == 1 and len(self.fields) == 1
        named = ", ".join(f"{name} ({_sample(sent)})" for name, sent in self.fields.items())
        return (f"{self.rows} row{'' if self.rows == 1 else 's'} had "
                f"{'a field' if one else 'fields'} of an unexpected type, shown empty: {named}")


def _sample(value: Any, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit - 1] + "…"
