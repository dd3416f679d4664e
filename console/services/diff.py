"""Compare two executions: "what is different about the ones that failed?"

A structured diff of two processes (each fetched with its steps): the process itself (name,
version, status, trigger, duration, the error), its input and output field by field, and each
step matched by ref (status, duration, input and output field by field; a step only one side has
shows as missing on the other). JSON values are compared leaf by leaf (``input.order.items[0].sku``),
so a changed field is one row, not two whole documents.

What the TUI uses: ``diff_processes(left, right, everything=False)`` -> ``ProcessDiff``
(``rows``: ``DiffRow(section, field, left, right, same)``, grouped by ``section`` in order;
``sections()`` for headings; ``differences`` counts); ``DiffRow.shown("left")`` renders one side
for a person; ``MISSING`` marks a side that has no such field or step.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from console.models import ProcessData, StepData, extract_error


class _Missing:
    """A side that has no such field or step (distinct from a JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
#: Process fields compared (label -> how to read it).
PROCESS_FIELDS = ("namespace", "name", "version", "status", "trigger", "type", "duration_ms",
                  "error")
STEP_FIELDS = ("status", "duration_ms")
#: A JSON value longer than this is compared, and shown, as one leaf instead of being opened
#: (a list of 5,000 items is "different", not 5,000 rows).
OPEN_LIMIT = 200


@dataclass(frozen=True)
class DiffRow:
    """One field of both executions: ``section`` is "process", "input", "output" or
    "step REF"; ``field`` its path inside it (``order.items[0].sku``)."""

    section: str
    field: str
    left: Any
    right: Any
    same: bool

    def shown(self, side: str, limit: int | None = None) -> str:
        """``left`` or ``right`` as text for a person (a duration as ``3m 12s``)."""
        value = getattr(self, side)
        if self.field == "duration" and isinstance(value, int):
            from console.format import duration

            return duration(value)
        return show_value(value, limit)


@dataclass
class ProcessDiff:
    """The rows of a comparison (only differing ones unless asked for everything)."""

    left_id: str
    right_id: str
    rows: list[DiffRow]
    #: How many fields differ, and how many were compared in all.
    differences: int
    compared: int

    def sections(self) -> Iterator[tuple[str, list[DiffRow]]]:
        """The rows grouped by section, in order."""
        current: list[DiffRow] = []
        for row in self.rows:
            if current and current[0].section != row.section:
                yield current[0].section, current
                current = []
            current.append(row)
        if current:
            yield current[0].section, current


def show_value(value: Any, limit: int | None = None) -> str:
    """One side as text: compact JSON; ``—`` for a missing side."""
    if value is MISSING:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           default=str, separators=(",", ":"))
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """``(path, value)`` for every leaf of a JSON value; an empty object or list, or one too
    big to open (``OPEN_LIMIT`` members), is a leaf itself."""
    if isinstance(value, dict) and value and len(value) <= OPEN_LIMIT:
        for key, child in value.items():
            yield from leaves(child, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value and len(value) <= OPEN_LIMIT:
        for index, child in enumerate(value):
            yield from leaves(child, f"{path}[{index}]")
    else:
        yield path or "(whole)", value


def _compare(section: str, left: Any, right: Any) -> Iterator[DiffRow]:
    """Rows for two JSON values, leaf by leaf, in the left's order then the right's extras."""
    a, b = dict(leaves(left)), dict(leaves(right))
    for path in [*a, *(p for p in b if p not in a)]:
        x, y = a.get(path, MISSING), b.get(path, MISSING)
        yield DiffRow(section, path, x, y, x == y and type(x) is type(y))


def _process_value(process: ProcessData, name: str) -> Any:
    if name == "error":  # none at all shows as missing ("–"), not as a JSON null
        step = process.failed_step()
        return (step.error if step is not None else None) or (
            extract_error(process.output) if process.status in ("FAILED", "TIMED_OUT")
            else None) or MISSING
    if name == "trigger":
        return process.trigger_type
    if name == "type":
        return process.process_type
    return getattr(process, name)


def _steps_by_ref(process: ProcessData) -> dict[str, StepData]:
    """Steps by ref (a ref seen twice, e.g. in a loop: ``ref#2``, ``ref#3``)."""
    found: dict[str, StepData] = {}
    for step in process.step_records or []:
        ref = step.ref or str(step.id)
        key, n = ref, 1
        while key in found:
            n += 1
            key = f"{ref}#{n}"
        found[key] = step
    return found


def _step_rows(ref: str, left: StepData | None, right: StepData | None) -> Iterator[DiffRow]:
    section = f"step {ref}"
    if left is None or right is None:
        yield DiffRow(section, "present", left is not None, right is not None, False)
        return
    for name in STEP_FIELDS:
        x, y = getattr(left, name), getattr(right, name)
        yield DiffRow(section, name.removesuffix("_ms"), x, y, x == y)
    yield from _compare(section, {"input": left.input}, {"input": right.input})
    yield from _compare(section, {"output": left.output}, {"output": right.output})


def diff_processes(left: ProcessData, right: ProcessData, *, everything: bool = False
                   ) -> ProcessDiff:
    """Compare two processes fetched with their steps; only the rows that differ unless
    ``everything``. Steps are matched by ref, in the left's order then the right's extras."""
    rows: list[DiffRow] = []
    for name in PROCESS_FIELDS:
        x, y = _process_value(left, name), _process_value(right, name)
        rows.append(DiffRow("process", name.removesuffix("_ms"), x, y, x == y))
    rows += _compare("input", left.input, right.input)
    rows += _compare("output", left.output, right.output)
    a, b = _steps_by_ref(left), _steps_by_ref(right)
    for ref in [*a, *(r for r in b if r not in a)]:
        rows += _step_rows(ref, a.get(ref), b.get(ref))
    differing = sum(1 for row in rows if not row.same)
    kept = rows if everything else [row for row in rows if not row.same]
    return ProcessDiff(str(left.process_id), str(right.process_id), kept, differing, len(rows))
