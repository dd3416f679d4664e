"""Duration statistics of a definition's recent executions (plain Python, no Textual).

``duration_stats(processes, now_ms, window_ms)`` summarises the executions created in the window
ending at ``now_ms``: how many, how many finished, the success rate among the finished ones, the
mean, standard deviation and 95th percentile of their durations, and executions per hour (oldest
hour first) for a sparkline. ``recent_executions`` fetches them through the search service.

Choices: a RUNNING execution counts in ``count`` and in the hourly buckets but has no duration
yet, so it is left out of the rate and the duration figures. "Success" is COMPLETED; FAILED,
TIMED_OUT, TERMINATED, CANCELLED and REVIEWED (a failure someone looked at) are not. A duration
is ``updated - created`` of a finished execution. p95 uses the nearest-rank method (a value that
really occurred, never an interpolation between two).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from console.backends.base import Backend
from console.models import ProcessData, SearchQuery
from console.services.search import iter_pages

HOUR_MS = 3_600_000
#: Statuses an execution can still leave (no duration yet).
UNFINISHED = frozenset({"RUNNING"})
SUCCESS = "COMPLETED"
#: The most executions fetched for one summary; beyond it the stats say "capped".
STATS_CAP = 5000


@dataclass(frozen=True)
class DurationStats:
    count: int = 0
    finished: int = 0
    succeeded: int = 0
    mean_ms: float | None = None
    stdev_ms: float | None = None
    p95_ms: float | None = None
    per_hour: list[int] = field(default_factory=list)
    capped: bool = False

    @property
    def success_rate(self) -> float | None:
        """Completed / finished (0..1); None when nothing has finished."""
        return self.succeeded / self.finished if self.finished else None


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile of ``values`` (need not be sorted); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def duration_ms(process: ProcessData) -> int | None:
    """How long a finished execution took; None while running or when a time is missing."""
    if (process.status or "") in UNFINISHED or process.created is None or process.updated is None:
        return None
    return max(0, process.updated - process.created)


def duration_stats(processes: Iterable[ProcessData], now_ms: int, window_ms: int = 24 * HOUR_MS,
                   bucket_ms: int = HOUR_MS, capped: bool = False) -> DurationStats:
    """Summarise the executions created in ``(now_ms - window_ms, now_ms]``."""
    if window_ms <= 0 or bucket_ms <= 0:
        raise ValueError("the window and the bucket must be longer than zero")
    start = now_ms - window_ms
    buckets = [0] * math.ceil(window_ms / bucket_ms)
    count = finished = succeeded = 0
    durations: list[int] = []
    for process in processes:
        created = process.created
        if created is None or not start < created <= now_ms:
            continue
        count += 1
        buckets[min(len(buckets) - 1, (created - start - 1) // bucket_ms)] += 1
        took = duration_ms(process)
        if took is None:
            continue
        finished += 1
        succeeded += process.status == SUCCESS
        durations.append(took)
    mean = statistics.fmean(durations) if durations else None
    stdev = statistics.pstdev(durations) if durations else None
    return DurationStats(count=count, finished=finished, succeeded=succeeded, mean_ms=mean,
                         stdev_ms=stdev, p95_ms=percentile(durations, 95), per_hour=buckets,
                         capped=capped)


async def recent_executions(backend: Backend, namespace: str | None, name: str, now_ms: int,
                            window_ms: int = 24 * HOUR_MS, cap: int = STATS_CAP
                            ) -> tuple[list[ProcessData], bool]:
    """Executions of one definition created in the window (at most ``cap``; True if capped).
    A backend that cannot search by namespace (Conductor's owner app) is asked by name only."""
    if "namespace" in backend.UNSUPPORTED_FILTERS:
        namespace = None
    query = SearchQuery(start_time_epoch=now_ms - window_ms, end_time_epoch=now_ms,
                        namespace=namespace or None, names=[name], limit=1000)
    found: list[ProcessData] = []
    async for rows in iter_pages(backend, query, page_size=1000, max_rows=cap + 1):
        found.extend(rows)
    return found[:cap], len(found) > cap
