"""Duration statistics of a definition's recent executions (plain Python, no Textual).

``duration_stats(processes, now_ms, window_ms)`` summarises the executions created in the window
ending at ``now_ms``: how many, how many finished with a known outcome, the success rate among
those, the mean, standard deviation and 95th percentile of the durations that are known, and
executions per hour (oldest hour first) for a sparkline. ``recent_executions`` fetches them
through the search service.

Choices: only what is known counts. An execution under way (RUNNING, PAUSED) counts in ``count``
and in the hourly buckets, not in the rate or the durations. A status meshdeck does not know (an
open set: a newer server's) is counted in ``unknown`` and left out of the rate: it is not a
failure. "Success" is COMPLETED; FAILED, TIMED_OUT, TERMINATED, CANCELLED and REVIEWED (a failure
someone looked at) are not. A duration is how long the execution ran
(``ProcessData.duration_ms``): a REVIEWED row of a search has none (the review moved its last
update), so it counts in the rate but not in the durations. p95 uses the nearest-rank method (a
value that really occurred, never an interpolation between two).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from console.backends.base import Backend
from console.models import FINISHED, UNDER_WAY, ProcessData, SearchQuery
from console.services.search import iter_pages

HOUR_MS = 3_600_000
#: Finished with an outcome meshdeck knows: these make the success rate.
KNOWN_OUTCOME = FINISHED | {"REVIEWED"}
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
    #: Executions in a status meshdeck does not know (left out of the rate and durations).
    unknown: int = 0

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


def duration_stats(processes: Iterable[ProcessData], now_ms: int, window_ms: int = 24 * HOUR_MS,
                   bucket_ms: int = HOUR_MS, capped: bool = False) -> DurationStats:
    """Summarise the executions created in ``(now_ms - window_ms, now_ms]``."""
    if window_ms <= 0 or bucket_ms <= 0:
        raise ValueError("the window and the bucket must be longer than zero")
    start = now_ms - window_ms
    buckets = [0] * math.ceil(window_ms / bucket_ms)
    count = finished = succeeded = unknown = 0
    durations: list[int] = []
    for process in processes:
        created = process.created
        if created is None or not start < created <= now_ms:
            continue
        count += 1
        buckets[min(len(buckets) - 1, (created - start - 1) // bucket_ms)] += 1
        if process.status not in KNOWN_OUTCOME:
            unknown += process.status not in UNDER_WAY
            continue
        finished += 1
        succeeded += process.status == SUCCESS
        took = process.duration_ms
        if took is not None:
            durations.append(took)
    mean = statistics.fmean(durations) if durations else None
    stdev = statistics.pstdev(durations) if durations else None
    return DurationStats(count=count, finished=finished, succeeded=succeeded, mean_ms=mean,
                         stdev_ms=stdev, p95_ms=percentile(durations, 95), per_hour=buckets,
                         capped=capped, unknown=unknown)


async def recent_executions(backend: Backend, namespace: str | None, name: str, now_ms: int,
                            window_ms: int = 24 * HOUR_MS, cap: int = STATS_CAP
                            ) -> tuple[list[ProcessData], bool]:
    """Executions of one definition created in the window (at most ``cap``; True if capped).

    Where the backend has no namespaces to search by (Conductor: the definition's "namespace"
    is a stand-in, and a workflow name is unique on its own), the name alone selects them."""
    by_namespace = "namespace" not in backend.UNSUPPORTED_FILTERS
    query = SearchQuery(start_time_epoch=now_ms - window_ms, end_time_epoch=now_ms,
                        namespace=(namespace or None) if by_namespace else None, names=[name],
                        limit=1000)
    found: list[ProcessData] = []
    async for rows in iter_pages(backend, query, page_size=1000, max_rows=cap + 1):
        found.extend(rows)
    return found[:cap], len(found) > cap
