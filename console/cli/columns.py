"""The columns of a process list (search) and of a step list (get), for tables and csv."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from console.cli.output import Column, status_text


def _started_cell(p: Any):
    from rich.text import Text

    from console.format import absolute, relative

    if p.created is None:
        return ""
    return Text.assemble((f"{relative(p.created):<8}", ""), ("  " + absolute(p.created), "dim"))


def _iso(ms: int | None) -> str | None:
    from console.models import epoch_ms_to_datetime

    when = epoch_ms_to_datetime(ms)
    return when.isoformat().replace("+00:00", "Z") if when else None


def _duration_cell(item: Any) -> str:
    from console.format import duration

    return duration(item.duration_ms)


def _run_duration_cell(p: Any) -> str:
    from console.format import run_duration

    return run_duration(p)


def _error(p: Any) -> str | None:
    step = p.failed_step()
    if step is not None and step.error:
        return step.error
    from console.models import extract_error

    return extract_error(p.output) if p.status in ("FAILED", "TIMED_OUT") else None


#: The progress of the rows being written, by id (``remember_progress``). Filled only when a
#: progress column is asked for: it costs requests (``services.progress``).
_PROGRESS: dict[str, Any] = {}
#: The columns that need it.
PROGRESS_COLUMNS = ("progress", "expected", "slow")


def remember_progress(found: dict[str, Any]) -> None:
    """Keep ``found`` (id -> ``Progress``) for the progress columns of the rows written next."""
    _PROGRESS.update(found)


def _progress(p: Any) -> Any:
    return _PROGRESS.get(str(p.process_id))


def _progress_cell(p: Any):
    from rich.text import Text

    found = _progress(p)
    if found is None:
        return ""
    return Text(found.cell(), style="bold red" if found.slow else "")


def _expected_cell(p: Any) -> str:
    from console.format import relative

    found = _progress(p)
    return relative(found.finish_ms("p50")) if found is not None else ""


PROCESS_COLUMNS = [
    Column("id", "ID", lambda p: p.process_id, style="bold"),
    Column("namespace", "NAMESPACE", lambda p: p.namespace),
    Column("name", "NAME", lambda p: p.name),
    Column("version", "VER", lambda p: p.version),
    Column("status", "STATUS", lambda p: p.status, cell=lambda p: status_text(p.status)),
    Column("trigger", "TRIGGER", lambda p: p.trigger_type),
    Column("type", "TYPE", lambda p: p.process_type),
    Column("started", "STARTED", lambda p: _iso(p.created), cell=_started_cell),
    Column("updated", "UPDATED", lambda p: _iso(p.updated)),
    Column("duration", "DURATION", lambda p: p.duration_ms, cell=_run_duration_cell),
    Column("correlation", "CORRELATION ID", lambda p: p.correlation_id),
    Column("request", "REQUEST ID", lambda p: p.request_id),
    Column("error", "ERROR", _error),
    # Executions under way (others are empty): how far, the usual end (p50), past the p95.
    Column("progress", "PROGRESS", lambda p: getattr(_progress(p), "percent", None),
           cell=_progress_cell),
    Column("expected", "USUAL END", lambda p: _iso(_progress(p).finish_ms("p50"))
           if _progress(p) is not None else None, cell=_expected_cell),
    Column("slow", "SLOW", lambda p: getattr(_progress(p), "slow", None),
           cell=lambda p: "slow" if getattr(_progress(p), "slow", False) else ""),
]
DEFAULT_PROCESS_COLUMNS = ("id", "namespace", "name", "status", "trigger", "started", "duration",
                           "correlation")


def _attempts(s: Any) -> int:
    return s.attempts


STEP_COLUMNS = [
    Column("ref", "REF", lambda s: s.ref, style="bold"),
    Column("name", "NAME", lambda s: s.name),
    Column("type", "TYPE", lambda s: s.type),
    Column("status", "STATUS", lambda s: s.status, cell=lambda s: status_text(s.status)),
    Column("attempts", "ATTEMPTS", _attempts),
    Column("duration", "DURATION", lambda s: s.duration_ms, cell=_duration_cell),
    Column("worker", "WORKER", lambda s: s.worker_id),
    Column("id", "STEP ID", lambda s: s.id, style="dim"),
]


def namespace_as(label: str, columns: list[Column]) -> list[Column]:
    """``columns`` with the namespace column headed as the backend calls it (Conductor: "OWNER
    APP", the app that owns a workflow; it has no namespaces)."""
    return [replace(c, header=label.upper()) if c.name == "namespace" else c for c in columns]
