"""Failure groups: "40 failures: are they all the same thing?"

The FAILED and TIMED_OUT executions of a query, grouped by process (namespace and name), the
step that failed, and its error message normalised so that "order 123 timed out" and "order 456
timed out" fall together (see ``normalise``). Each group has a count, first and last seen, a
series of counts per time bucket over the window (``sparkline`` draws it) and its member ids,
newest first, ready for the bulk actions.

A search row has no steps, so each failure is fetched with its steps (``get_many``, a few at a
time). That costs one request per execution: at most ``cap`` of them (the newest), and a cap is
always said (``FailureReport.summary()``: "grouped the newest 1,000 of 4,312 failures").

What the TUI uses: ``failure_groups(backend, query, cap=, buckets=, now_ms=, on_progress=)`` in a
worker -> ``FailureReport`` (``groups``, ``summary()``, ``capped``, ``unread``);
``FailureGroup`` (``label``, ``count``, ``first_seen_ms``, ``last_seen_ms``, ``series``, ``ids``,
``sample``); ``sparkline(series)`` for the trend cell. ``failures_query`` checks a query first
(``ValueError`` when its statuses hold no failure). ``failure_of(process)`` says why one
execution failed (``Failure.line()``: "charge_card: HTTP 502 ..."), for the table's error
column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from console.models import ProcessData, SearchQuery, first_line
from console.services.search import COUNT_CAP, Count, count_matches, iter_pages

if TYPE_CHECKING:  # the contract, for annotations: importing it loads httpx
    from console.backends.base import Backend

#: The statuses a failure group holds.
FAILURE_STATUSES = ("FAILED", "TIMED_OUT")
#: How many failures are fetched and grouped unless told otherwise (the newest), and at most.
DEFAULT_CAP = 1000
MAX_CAP = COUNT_CAP
#: Time buckets of a group's series.
BUCKETS = 24
#: Failures fetched per ``get_many`` call (progress is reported after each).
FETCH_BATCH = 100
NO_MESSAGE = "(no error message)"
NO_STEP = "(no failed step)"
#: How much of a normalised message is kept (the first line, whitespace collapsed).
MESSAGE_LIMIT = 300

#: What ``normalise`` folds, in order. Timestamps first (their digits would become several
#: tokens), then e-mail addresses, quoted values, and last every token with a digit in it:
#: numbers, ids like ``ord_8f3c2`` or ``SKU-1234``, UUIDs (a v4 UUID always has a digit),
#: hex, durations (``30s``), versions.
_FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                r"(?:Z|[+-]\d{2}:?\d{2})?)?"), "<time>"),
    (re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\b"), "<time>"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<email>"),
    (re.compile(r'"(?:[^"\\\n]|\\.)*"'), '"…"'),
    (re.compile(r"(?<!\w)'[^'\n]*'(?!\w)"), "'…'"),
    (re.compile(r"`[^`\n]*`"), "`…`"),
    (re.compile(r"[\w.-]*\d[\w.-]*"), "#"),
]
_SPACES = re.compile(r"\s+")


def normalise(message: str | None) -> str:
    """The shape of an error message: its first line with timestamps as ``<time>``, e-mail
    addresses as ``<email>``, quoted values as ``'…'`` and every word holding a digit (numbers,
    ids, UUIDs, hex) as ``#``; whitespace collapsed. ``order 123 timed out after 30s`` and
    ``order ab-77 timed out after 5s`` both give ``order # timed out after #``."""
    text = first_line(message)
    if text is None:
        return NO_MESSAGE
    for pattern, placeholder in _FOLDS[:-1]:
        text = pattern.sub(placeholder, text)
    text = _FOLDS[-1][0].sub(_fold_token, text)
    text = _SPACES.sub(" ", text).strip()
    return text[:MESSAGE_LIMIT] or NO_MESSAGE


def _fold_token(match: re.Match[str]) -> str:
    """A token with a digit -> ``#``, keeping the full stop that ends a sentence."""
    token = match.group(0)
    return "#" + token[len(token.rstrip(".")):]


def sparkline(series: Sequence[int]) -> str:
    """``[0, 1, 4, 8]`` -> ``▁▂▅█``: one character per bucket, scaled to the largest; an empty
    bucket is the lowest bar, any non-empty one at least the second."""
    bars = "▁▂▃▄▅▆▇█"
    top = max(series, default=0)

    def bar(n: int) -> str:
        if n <= 0:
            return bars[0]
        return bars[-1] if top == 1 else bars[1 + round((n - 1) * 6 / (top - 1))]

    return "".join(bar(n) for n in series)


def buckets_of(times: Iterable[int], start_ms: int, end_ms: int, buckets: int = BUCKETS
               ) -> list[int]:
    """How many of ``times`` fall in each of ``buckets`` equal slices of [start, end]; a time
    outside the window counts in the nearest end bucket."""
    counts = [0] * max(1, buckets)
    span = max(1, end_ms - start_ms)
    for at in times:
        index = (at - start_ms) * len(counts) // span
        counts[min(len(counts) - 1, max(0, index))] += 1
    return counts


@dataclass
class FailureGroup:
    """Failures of one process at one step with one shape of error."""

    namespace: str | None
    name: str | None
    #: The failed step's ref and name (None: the process failed without a failed step).
    step_ref: str | None
    step_name: str | None
    #: The normalised message (the group's key); ``sample`` is the newest member's own words.
    error: str
    sample: str
    count: int
    first_seen_ms: int
    last_seen_ms: int
    series: list[int]
    #: Member ids, newest first.
    ids: list[str]
    #: status -> how many (FAILED, TIMED_OUT).
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def process(self) -> str:
        return f"{self.namespace}/{self.name}" if self.namespace else (self.name or "?")

    @property
    def step(self) -> str:
        if self.step_ref is None:
            return NO_STEP
        return Failure(self.step_ref, self.step_name, None).step or NO_STEP

    @property
    def label(self) -> str:
        """One line: ``payments/create_order · charge_card · HTTP # from stripe``."""
        return f"{self.process} · {self.step} · {self.error}"


@dataclass
class FailureReport:
    """The groups of one query, and how much of it they cover."""

    groups: list[FailureGroup]
    #: Failures grouped (fetched with their steps and still failed).
    grouped: int
    #: How many failures the query matched (capped at the count cap when ``matched.capped``).
    matched: Count
    #: More failures matched than were fetched (the newest ``cap`` were).
    capped: bool
    cap: int
    #: (id, error) of the failures whose details could not be fetched.
    unread: list[tuple[str, str]]
    #: Ids whose status is no longer a failure when fetched (resumed meanwhile).
    changed: list[str]
    start_ms: int
    end_ms: int

    def summary(self) -> str:
        """``grouped the newest 1,000 of 4,312 failures`` / ``grouped all 38 failures``, then
        what could not be grouped."""
        if self.capped:
            text = f"grouped the newest {self.cap:,} of {self.matched} failures"
        elif self.matched.value == 0:
            text = "no failures match"
        else:
            text = f"grouped all {self.matched.value:,} failures"
        if self.grouped and len(self.groups):
            text += f" into {len(self.groups):,} group{'s' if len(self.groups) != 1 else ''}"
        if self.unread:
            pid, error = self.unread[0]
            text += f"; left out: {len(self.unread):,} that could not be read ({pid}: {error})"
        if self.changed:
            text += (f"; left out: {len(self.changed):,} no longer FAILED or TIMED_OUT when "
                     "read (resumed meanwhile?)")
        return text


def failures_query(query: SearchQuery) -> SearchQuery:
    """``query`` narrowed to the failure statuses (its own status filter, if any, must name at
    least one); ValueError otherwise."""
    if not query.statuses:
        return replace(query, statuses=list(FAILURE_STATUSES))
    kept = [s for s in query.statuses if s in FAILURE_STATUSES]
    if not kept:
        raise ValueError(f"failure groups hold {' and '.join(FAILURE_STATUSES)} executions; "
                         f"the status filter asks only for {', '.join(query.statuses)}")
    return replace(query, statuses=kept)


def failed_at(process: ProcessData) -> int:
    """When ``process`` failed: its failed step's last update, else its own, else its start."""
    step = process.failed_step()
    return (step.updated if step is not None and step.updated else None) or process.updated \
        or process.created or 0


@dataclass(frozen=True)
class Failure:
    """Why one execution failed: its failed step (None: none failed) and the error message."""

    step_ref: str | None
    step_name: str | None
    message: str | None

    @property
    def step(self) -> str | None:
        """The step as a person reads it: its ref (its name too where that differs)."""
        if self.step_ref is None:
            return self.step_name
        return self.step_ref if self.step_name in (None, self.step_ref) else \
            f"{self.step_ref} ({self.step_name})"

    def line(self) -> str:
        """``charge_card: HTTP 502 from stripe`` (the message's first line only)."""
        first = first_line(self.message) or NO_MESSAGE
        return f"{self.step}: {first}" if self.step else first


def failure_of(process: ProcessData) -> Failure:
    """The failed step of ``process`` (fetched with its steps) and its error, else the error
    the process output carries."""
    from console.models import extract_error

    step = process.failed_step()
    message = (step.error if step is not None else None) or extract_error(process.output)
    return Failure(step.ref if step is not None else None,
                   step.name if step is not None else None, message)


def _key(process: ProcessData) -> tuple[str | None, str | None, str | None, str, str]:
    failure = failure_of(process)
    return (process.namespace, process.name, failure.step_ref, normalise(failure.message),
            failure.message or NO_MESSAGE)


def group_failures(processes: Iterable[ProcessData], start_ms: int, end_ms: int,
                   buckets: int = BUCKETS) -> list[FailureGroup]:
    """Group ``processes`` (newest first, with their steps): most members first, then the most
    recently seen."""
    groups: dict[tuple, FailureGroup] = {}
    times: dict[tuple, list[int]] = {}
    for process in processes:
        namespace, name, ref, error, message = _key(process)
        key = (namespace, name, ref, error)
        at = failed_at(process)
        group = groups.get(key)
        if group is None:
            group = groups[key] = FailureGroup(
                namespace, name, ref, failure_of(process).step_name, error, message,
                0, at, at, [], [])
            times[key] = []
        group.count += 1
        group.ids.append(str(process.process_id))
        group.first_seen_ms, group.last_seen_ms = min(group.first_seen_ms, at), max(
            group.last_seen_ms, at)
        if at >= group.last_seen_ms:
            group.sample = message
        status = process.status or "?"
        group.statuses[status] = group.statuses.get(status, 0) + 1
        times[key].append(at)
    for key, group in groups.items():
        group.series = buckets_of(times[key], start_ms, end_ms, buckets)
    return sorted(groups.values(), key=lambda g: (-g.count, -g.last_seen_ms, g.label))


async def failure_groups(backend: Backend, query: SearchQuery, *, cap: int = DEFAULT_CAP,
                         buckets: int = BUCKETS, now_ms: int | None = None,
                         on_progress: Callable[[int, int], None] | None = None
                         ) -> FailureReport:
    """Group the newest ``cap`` failures of ``query`` (see the module docstring).

    ``now_ms`` ends a window that has no ``end_time_epoch`` (default: the newest failure);
    ``on_progress(fetched, to_fetch)`` hears the fetching. Raises what the backend raises for
    the search; a failure that cannot be fetched is reported in ``unread``, not raised."""
    if not 1 <= cap <= MAX_CAP:
        raise ValueError(f"the cap must be between 1 and {MAX_CAP:,}, not {cap:,}")
    wanted = failures_query(query)
    found: list[ProcessData] = []
    async for rows in iter_pages(backend, wanted.page(0, 0), page_size=min(1000, cap + 1),
                                 max_rows=cap + 1):
        found.extend(p for p in rows if p.process_id is not None)
    capped = len(found) > cap
    found = found[:cap]
    matched = await count_matches(backend, wanted) if capped else Count(len(found), False)
    fetched, unread, changed = [], [], []
    ids = [str(p.process_id) for p in found]
    for start in range(0, len(ids), FETCH_BATCH):
        for item in await backend.get_many(ids[start:start + FETCH_BATCH], include_steps=True):
            if item.process is None:
                unread.append((item.id, str(item.error)))
            elif item.process.status not in FAILURE_STATUSES:
                changed.append(item.id)
            else:
                fetched.append(item.process)
        if on_progress is not None:
            on_progress(min(len(ids), start + FETCH_BATCH), len(ids))
    start_ms = wanted.start_time_epoch or min((failed_at(p) for p in fetched), default=0)
    end_ms = wanted.end_time_epoch or now_ms or max((failed_at(p) for p in fetched), default=0)
    return FailureReport(group_failures(fetched, start_ms, end_ms, buckets), len(fetched),
                         matched, capped, cap, unread, changed, start_ms, end_ms)
