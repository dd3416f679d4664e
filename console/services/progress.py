"""Progress of what is running: how far an execution under way is, when it should end, and
whether it is slow. The CLI (``get``, ``search --columns progress,expected``) and the console
(the table's progress cell, the detail screen) use these same functions, so they agree.

**What a definition usually does** (``RunProfile``, learnt once per definition and cached for
``CACHE_MS``): its COMPLETED executions of the last ``HISTORY_MS`` (one search page of at most
``HISTORY_RUNS``, newest first) give the p50 and p95 of how long a run takes; the newest
``STEP_SAMPLES`` of them are fetched with their steps and give each step's typical duration (the
median) and how often it runs (a branch of a switch runs in some runs only); the definition
itself (its latest version) names the steps it has. Only leaf steps count: a container (a
switch, a parallel, a loop) lasts as long as its children, so counting both would count twice.

**How far** (``progress``): the typical steps (those that ran in at least half of the sampled
runs, plus any step this run has started) each weigh their typical duration; the steps this run
has finished count whole, a step that is running counts for the share of its typical duration
it has had (at most 90 %). The fraction never reads 100 % while the run is under way. Without
history (no completed run to learn from) the definition's steps are counted instead, unweighted,
and the words say so.

**When it should end**: its start plus the p50 (usually) and the p95 (at the latest). One that
has run longer than the p95 is **slow** (said only when at least ``MIN_RUNS`` completed runs
make the p95).

Cost: per definition one search, ``STEP_SAMPLES`` gets and one definition get, then nothing
until the cache expires; per running execution one get with its steps (the caller's, or
``progress_of_many``'s for search rows, which carry no steps).
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from console.models import UNDER_WAY, ProcessData, SearchQuery, StepData
from console.services.stats import percentile

if TYPE_CHECKING:  # the contract, for annotations: importing it loads httpx
    from console.backends.base import Backend

#: Completed runs whose durations make the p50 and p95 (one search page).
HISTORY_RUNS = 200
#: How far back those runs are looked for.
HISTORY_MS = 7 * 24 * 3_600_000
#: Of them, how many are fetched with their steps for each step's typical duration.
STEP_SAMPLES = 10
#: Completed runs needed before a run is called slow.
MIN_RUNS = 5
#: How long a definition's profile is kept before it is learnt again.
CACHE_MS = 5 * 60_000
#: A step that ran in at least this share of the sampled runs is expected in every run.
TYPICAL_SHARE = 0.5
#: A running step counts for at most this share of its typical duration.
RUNNING_CAP = 0.9
#: The fraction shown while a run is under way never reaches 100 %.
UNDER_WAY_CAP = 0.99
#: Step statuses that will not move any more.
STEP_DONE = frozenset({"COMPLETED", "SKIPPED", "FAILED", "TIMED_OUT", "CANCELLED"})


@dataclass(frozen=True)
class RunProfile:
    """What a definition's recent completed runs say about a run of it."""

    namespace: str | None
    name: str
    #: Completed runs the durations come from.
    runs: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    #: Leaf step ref -> its median duration in the sampled runs.
    step_ms: dict[str, float] = field(default_factory=dict)
    #: Leaf step ref -> the share of the sampled runs it ran in (0..1).
    step_share: dict[str, float] = field(default_factory=dict)
    #: The leaf step refs of the definition (its latest version); empty when it was not found.
    definition_refs: tuple[str, ...] = ()

    @property
    def learnt(self) -> bool:
        """Step durations are known (some completed run was fetched with its steps)."""
        return bool(self.step_ms)

    def typical_refs(self) -> set[str]:
        """The leaf steps a run is expected to go through."""
        if self.learnt:
            return {ref for ref, share in self.step_share.items() if share >= TYPICAL_SHARE}
        return set(self.definition_refs)


@dataclass(frozen=True)
class Progress:
    """How far one execution under way is (see the module docstring)."""

    #: 0..1 of its usual work done (never 1 while under way).
    fraction: float
    #: Leaf steps finished, and expected in all.
    done: int
    expected: int
    #: Weighted by the steps' typical durations (False: steps counted, no history).
    weighted: bool
    #: How long it has run, and the p50 / p95 of its definition's completed runs.
    elapsed_ms: int
    p50_ms: float | None
    p95_ms: float | None
    #: Run past the p95 of at least ``MIN_RUNS`` completed runs.
    slow: bool
    #: When it started (epoch ms), for the expected finish times.
    started_ms: int | None = None

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)

    def finish_ms(self, which: str = "p50") -> int | None:
        """When it is expected to end (epoch ms): its start plus the p50, or the p95."""
        took = self.p50_ms if which == "p50" else self.p95_ms
        if took is None or self.started_ms is None:
            return None
        return int(self.started_ms + took)

    def bar(self, width: int = 5) -> str:
        """``▰▰▰▱▱``: the fraction in ``width`` cells."""
        filled = min(width, round(self.fraction * width))
        return "▰" * filled + "▱" * (width - filled)

    def cell(self, width: int = 5) -> str:
        """``▰▰▰▱▱ 62%`` (``slow`` instead of the percentage past the p95)."""
        return f"{self.bar(width)} {'slow' if self.slow else f'{self.percent}%'}"

    def words(self) -> str:
        """One line: how far, on what basis, and when it should end."""
        from console.format import duration

        basis = "of its usual work" if self.weighted else \
            f"of the steps ({self.done} of {self.expected}; no completed run to learn from)"
        text = f"{self.percent}% {basis}"
        if self.p50_ms is not None and self.p95_ms is not None:
            text += (f"; runs usually take {duration(int(self.p50_ms))}, "
                     f"{duration(int(self.p95_ms))} at most (p50, p95)")
        if self.slow and self.p95_ms is not None:
            text += f"; SLOW: running {duration(self.elapsed_ms)}, past the p95"
        return text


def leaf_steps(steps: Sequence[StepData]) -> list[StepData]:
    """The steps no other step sits under (a container's time is its children's)."""
    parents = {s.parent_id for s in steps if s.parent_id is not None}
    return [s for s in steps if s.id is None or s.id not in parents]


def progress(process: ProcessData, profile: RunProfile | None, now_ms: int
             ) -> Progress | None:
    """How far ``process`` (fetched with its steps) is; None when it is not under way."""
    if process.status not in UNDER_WAY or process.created is None:
        return None
    elapsed = max(0, now_ms - process.created)
    profile = profile or RunProfile(process.namespace, process.name or "")
    steps = [s for s in leaf_steps(process.step_records or []) if s.ref]
    expected = profile.typical_refs() | {s.ref for s in steps if s.ref}
    known = list(profile.step_ms.values())
    usual = statistics.median(known) if known else 1.0

    def weight(ref: str) -> float:
        return max(profile.step_ms.get(ref, usual), 1.0) if profile.learnt else 1.0

    total = sum(weight(ref) for ref in expected)
    done = partial = 0.0
    finished = 0
    for step in steps:
        if step.status in STEP_DONE:
            done += weight(step.ref or "")
            finished += 1
        elif step.status == "RUNNING" and step.start:
            share = (now_ms - step.start) / weight(step.ref or "") if profile.learnt else 0.5
            partial += min(RUNNING_CAP, max(0.0, share)) * weight(step.ref or "")
    fraction = min(UNDER_WAY_CAP, (done + partial) / total) if total else 0.0
    slow = bool(profile.p95_ms is not None and profile.runs >= MIN_RUNS
                and elapsed > profile.p95_ms)
    return Progress(fraction, finished, len(expected), profile.learnt, elapsed, profile.p50_ms,
                    profile.p95_ms, slow, process.created)


def learn(namespace: str | None, name: str, completed: Sequence[ProcessData],
          samples: Sequence[ProcessData], definition_refs: Iterable[str] = ()) -> RunProfile:
    """A profile from ``completed`` runs (their durations) and ``samples`` of them fetched
    with their steps."""
    durations = [p.duration_ms for p in completed if p.duration_ms is not None]
    per_step: dict[str, list[int]] = {}
    seen: dict[str, int] = {}
    sampled = 0
    for run in samples:
        if not run.step_records:
            continue
        sampled += 1
        for step in leaf_steps(run.step_records):
            if not step.ref:
                continue
            seen[step.ref] = seen.get(step.ref, 0) + 1
            if step.duration_ms is not None:
                per_step.setdefault(step.ref, []).append(step.duration_ms)
    return RunProfile(
        namespace, name, len(durations), percentile(durations, 50), percentile(durations, 95),
        {ref: float(statistics.median(ms)) for ref, ms in per_step.items()},
        {ref: n / sampled for ref, n in seen.items()} if sampled else {},
        tuple(dict.fromkeys(definition_refs)))


async def load_profile(backend: Backend, namespace: str | None, name: str, now_ms: int
                       ) -> RunProfile:
    """Learn ``namespace/name``'s profile from the server (see the module docstring). A
    definition that cannot be read leaves ``definition_refs`` empty; search errors raise."""
    from console import errors
    from console.services.search import fetch_page

    by_namespace = "namespace" not in backend.UNSUPPORTED_FILTERS
    query = SearchQuery(start_time_epoch=now_ms - HISTORY_MS, end_time_epoch=now_ms,
                        namespace=(namespace or None) if by_namespace else None, names=[name],
                        statuses=["COMPLETED"], limit=HISTORY_RUNS)
    completed = (await fetch_page(backend, query)).rows
    ids = [str(p.process_id) for p in completed[:STEP_SAMPLES] if p.process_id is not None]
    samples = [f.process for f in await backend.get_many(ids, include_steps=True)
               if f.process is not None]
    refs: list[str] = []
    try:
        definition = await backend.get_definition(namespace or "", name)
        refs = [s.ref for top in definition.steps or [] for _, s in top.walk()
                if s.ref and not s.children]
    except errors.MeshdeckError:
        pass  # no definition to read: the history alone says what a run goes through
    return learn(namespace, name, completed, samples, refs)


class ProfileCache:
    """Profiles by definition, each learnt once per ``CACHE_MS`` (two callers asking for the
    same definition at once wait for one answer)."""

    def __init__(self, ttl_ms: int = CACHE_MS) -> None:
        self.ttl_ms = ttl_ms
        self._kept: dict[tuple[str | None, str], tuple[int, RunProfile]] = {}
        self._loading: dict[tuple[str | None, str], asyncio.Task[RunProfile]] = {}

    async def get(self, backend: Backend, namespace: str | None, name: str, now_ms: int
                  ) -> RunProfile:
        key = (namespace, name)
        kept = self._kept.get(key)
        if kept is not None and now_ms - kept[0] < self.ttl_ms:
            return kept[1]
        task = self._loading.get(key)
        if task is None:
            task = self._loading[key] = asyncio.ensure_future(
                load_profile(backend, namespace, name, now_ms))
        try:
            profile = await asyncio.shield(task)
        finally:
            if task.done():
                self._loading.pop(key, None)
        self._kept[key] = (now_ms, profile)
        return profile

    def clear(self) -> None:
        self._kept.clear()


async def progress_of_many(backend: Backend, processes: Iterable[ProcessData], now_ms: int,
                           cache: ProfileCache) -> dict[str, Progress]:
    """The progress of each process under way among ``processes`` (by id). Those without steps
    (search rows) are fetched with them; one that cannot be fetched, or whose definition's
    history cannot be searched, is left out."""
    from console import errors

    running = [p for p in processes if p.status in UNDER_WAY and p.process_id is not None]
    bare = [str(p.process_id) for p in running if not p.step_records]
    fetched = {f.id: f.process for f in await backend.get_many(bare, include_steps=True)
               if f.process is not None} if bare else {}
    full = [fetched.get(str(p.process_id), p) if not p.step_records else p for p in running]
    found: dict[str, Progress] = {}
    for process in full:
        if not process.name:
            continue
        try:
            profile = await cache.get(backend, process.namespace, process.name, now_ms)
        except errors.MeshdeckError:
            profile = None
        shown = progress(process, profile, now_ms)
        if shown is not None and (process.step_records or profile is not None):
            found[str(process.process_id)] = shown
    return found
