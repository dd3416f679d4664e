"""Duration statistics of a definition's recent executions (console.services.stats)."""

from __future__ import annotations

import statistics

import pytest

from console.models import ProcessData
from console.services.stats import HOUR_MS, duration_stats, percentile

NOW = 1_800_000_000_000


def proc(status: str, created_ago_ms: int, took_ms: int | None) -> ProcessData:
    created = NOW - created_ago_ms
    updated = created + took_ms if took_ms is not None else None
    return ProcessData(status=status, created=created, updated=updated)


def test_counts_rate_mean_stdev_p95():
    rows = [proc("COMPLETED", 1000 * i, 1000 * i) for i in range(1, 20)]  # 1..19 s
    rows.append(proc("FAILED", 5 * HOUR_MS, 100_000))
    rows.append(proc("RUNNING", 60_000, None))
    stats = duration_stats(rows, NOW)
    durations = [1000 * i for i in range(1, 20)] + [100_000]
    assert (stats.count, stats.finished, stats.succeeded) == (21, 20, 19)
    assert stats.success_rate == pytest.approx(19 / 20)
    assert stats.mean_ms == pytest.approx(statistics.fmean(durations))
    assert stats.stdev_ms == pytest.approx(statistics.pstdev(durations))
    assert stats.p95_ms == 19_000  # nearest rank: the 19th of 20 sorted values


def test_hourly_buckets_oldest_first_and_window_edges():
    rows = [proc("COMPLETED", 30 * 60_000, 10),          # in the last hour
            proc("COMPLETED", 90 * 60_000, 10),          # one to two hours ago
            proc("COMPLETED", 23 * HOUR_MS + 1, 10),     # in the oldest hour
            proc("COMPLETED", 24 * HOUR_MS, 10),         # exactly at the start: outside
            proc("COMPLETED", -1000, 10)]                # in the future: outside
    stats = duration_stats(rows, NOW)
    assert len(stats.per_hour) == 24
    assert stats.per_hour[-1] == 1 and stats.per_hour[-2] == 1 and stats.per_hour[0] == 1
    assert stats.count == sum(stats.per_hour) == 3


def test_nothing_finished_has_no_rate_or_durations():
    stats = duration_stats([proc("RUNNING", 1000, None)], NOW)
    assert stats.count == 1 and stats.finished == 0
    assert stats.success_rate is None and stats.mean_ms is None and stats.p95_ms is None


def test_missing_times_and_unknown_statuses_do_not_crash():
    rows = [ProcessData(status="COMPLETED"), ProcessData(status="SOMETHING_NEW",
                                                         created=NOW - 10, updated=NOW)]
    stats = duration_stats(rows, NOW)
    assert stats.count == 1 and stats.finished == 0 and stats.unknown == 1


def test_a_status_meshdeck_does_not_know_is_not_a_failure_in_the_success_rate():
    """No "success 0% (0/16)" from statuses nobody knows: they are counted apart."""
    rows = [proc("QUARANTINED", 1000 * i, 500) for i in range(1, 17)]
    stats = duration_stats(rows, NOW)
    assert (stats.count, stats.finished, stats.unknown) == (16, 0, 16)
    assert stats.success_rate is None and stats.mean_ms is None


def test_reviewed_executions_count_as_failures_but_give_no_duration():
    """No "avg 20m ± 2h" from reviewed ones: marking reviewed moved their last update."""
    rows = [proc("COMPLETED", 60_000, 7_400), proc("COMPLETED", 70_000, 7_600),
            proc("REVIEWED", 5 * HOUR_MS, 5 * HOUR_MS - 1000)]
    stats = duration_stats(rows, NOW)
    assert (stats.count, stats.finished, stats.succeeded) == (3, 3, 2)
    assert stats.mean_ms == pytest.approx(7_500) and stats.p95_ms == 7_600


def test_percentile_nearest_rank():
    assert percentile([], 95) is None
    assert percentile([5], 95) == 5
    assert percentile([3, 1, 2, 4], 50) == 2
    assert percentile(list(range(1, 101)), 95) == 95


def test_bad_window_is_a_value_error():
    with pytest.raises(ValueError):
        duration_stats([], NOW, window_ms=0)
