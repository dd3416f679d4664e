"""How times, durations, statuses and ids read to a person: shared by the CLI and the TUI."""

from __future__ import annotations

from datetime import UTC, datetime

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
