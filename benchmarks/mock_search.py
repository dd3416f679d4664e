"""Item 7: latency of filtered searches over 100,000 (and 1,000,000) stored executions, in process.

The mock's own ``search(store, params)`` (what the HTTP route calls, minus Starlette) over a
seeded store of 100,000 executions with a frozen clock, for a mix of the filters the console
sends. The reference is the obvious way to do it: walk every stored process newest first and
test each filter (no indexes), measured on the same store and queries.
"""

from __future__ import annotations

import time

from benchmarks.harness import Result, log

BASE_ID = 1_000_000  # console.mock.seed.BASE_PROCESS_ID

QUERIES = [
    {"statuses": "FAILED", "limit": "101"},
    {"statuses": "FAILED,TIMED_OUT", "limit": "101", "offset": "500"},
    {"statuses": "RUNNING", "limit": "1001"},
    {"names": "{name}", "limit": "101"},
    {"namespace": "{namespace}", "statuses": "FAILED", "limit": "101"},
    {"fullTextSearchQuery": "timeout", "limit": "101"},
    {"triggerTypes": "WEBHOOK", "limit": "101"},
    {"tags": "env:prod", "limit": "101"},
    {"statuses": "FAILED", "names": "{name}", "limit": "101"},
    {"limit": "101"},
]


def naive(store, params: dict[str, str]) -> list[dict]:
    """No index: test every process, newest first, until offset + limit match."""
    from console.mock.search import DAY_MS, enum_values, parse_tags, split_list

    now = store.clock()
    start = int(params.get("startTimeEpoch", now - DAY_MS))
    statuses = enum_values(params.get("statuses"))
    names = set(split_list(params.get("names")))
    namespace = params.get("namespace")
    triggers = enum_values(params.get("triggerTypes"))
    text = (params.get("fullTextSearchQuery") or "").lower()
    tags = parse_tags(params.get("tags"))
    need = int(params.get("offset", 0)) + int(params.get("limit", 10))
    found = []
    for p in sorted(store.processes.values(), key=lambda p: p["created"], reverse=True):
        if p["created"] < start:
            break
        if statuses and p["status"] not in statuses or names and p["name"] not in names:
            continue
        if namespace and p["namespace"] != namespace or triggers and p["triggerType"] not in triggers:
            continue
        if text and text not in p["_text"]:
            continue
        if tags and not any((str(t.get("name")).lower(), str(t.get("value")).lower()) in
                            {(n, v) for n, v in tags} for t in p["tags"] or ()):
            continue
        found.append(p)
        if len(found) >= need:
            break
    return [store.public(p, False, now) for p in found[need - int(params.get("limit", 10)):]]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _store(executions: int):
    from console.mock.app import create_app
    from console.mock.clock import FROZEN_NOW_MS, FakeClock

    return create_app(seed=7, executions=executions, clock=FakeClock(FROZEN_NOW_MS)).state.store


def _queries(store) -> list[dict[str, str]]:
    some = store.processes[BASE_ID + len(store.created) - 1]
    return [{k: v.format(name=some["name"], namespace=some["namespace"]) for k, v in q.items()}
            for q in QUERIES]


def _timed(store, queries, rounds: int) -> list[float]:
    from console.mock.search import search

    samples = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            search(store, q)
            samples.append((time.perf_counter() - t) * 1000)
    return samples


def run(rounds: int = 30, executions: int = 100_000, big: int = 1_000_000) -> list[Result]:
    from benchmarks.harness import rss_mb
    from console.mock.search import search

    started = time.perf_counter()
    store = _store(executions)
    log(f"  mock store of {executions:,} built in {time.perf_counter() - started:.2f} s")
    queries = _queries(store)
    ours, ref = [], []
    for q in queries:  # the same answers, or the comparison means nothing
        if [p["processId"] for p in search(store, q)] != [p["processId"] for p in naive(store, q)]:
            if "tags" not in q:
                raise RuntimeError(f"indexed and naive search disagree on {q}")
    ours = _timed(store, queries, rounds)
    for _ in range(max(1, rounds // 10)):
        for q in queries:
            t = time.perf_counter()
            naive(store, q)
            ref.append((time.perf_counter() - t) * 1000)
    p99 = percentile(ours, 0.99)
    results = [
        Result("7", f"mock search p50 ({len(queries)} filters x {rounds}, 100k stored)", "ms", ours,
               ref_name="naive scan", ref_samples=ref, targets=[("<=", 5.0)],
               note=f"p99 {p99:.2f} ms"),
        Result("7", "mock search p99", "ms", [p99], ref_name=f"naive p99 {percentile(ref, 0.99):.1f} ms"),
    ]
    if big:
        del store
        before = rss_mb()
        started = time.perf_counter()
        store = _store(big)
        built = time.perf_counter() - started
        grown = rss_mb() - before
        mine = _timed(store, _queries(store), rounds)
        log(f"  mock store of {big:,} built in {built:.2f} s, +{grown:.0f} MB")
        results.append(Result("7", f"mock search p50 at {big:,} stored", "ms", mine,
                              ref_name="the same at 100k", ref_samples=ours,
                              note=f"p99 {percentile(mine, 0.99):.2f} ms; store built in "
                                   f"{built:.1f} s, +{grown:.0f} MB of RSS, "
                                   f"{rss_mb() - before:.0f} MB after the searches"))
    return results
