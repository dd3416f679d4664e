"""Item 5: a bulk action (review) on 10,000 ids against ``mock serve`` over HTTP.

Two views, both on 10,000 ids the run has not touched before (each repetition takes the next
10,000 of a 100,000-execution mock, so every run meets the same mix of statuses):

- in process: ``run_action(UnmeshedClient, "review", ids, on_progress=...)``, chunks of 500 with
  a progress callback; wall time, progress calls, and peak Python memory (tracemalloc);
- the CLI as a whole process: ``meshdeck review - --yes -o json`` with ids on stdin; wall time
  and the process's peak RSS (wait4).

The reference is the official SDK's ``bulk_reviewed(ids)``: one request, no chunks, no progress.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc

from benchmarks.harness import MockServer, Result, meshdeck_cmd, timed
from console.services.actions import run_action

COUNT = 10_000


async def _client_run(port: int, ids: list[str]) -> tuple[float, float, int, int]:
    from console.backends.unmeshed import UnmeshedClient

    calls = []
    tracemalloc.start()
    started = time.perf_counter()
    async with UnmeshedClient("http://127.0.0.1", port, "bench", "bench-token",
                              verify=False) as client:
        outcome = await run_action(client, "review", ids, reason="bench",
                                           on_progress=lambda done, total: calls.append(done))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    if not outcome.complete or len(outcome.details) != len(ids):
        raise RuntimeError(f"bulk review incomplete: {outcome.stopped_by}")
    return seconds, peak, len(calls), len(outcome.succeeded)


def _sdk_run(port: int, ids: list[str]) -> float:
    from benchmarks.sdk.common import client

    c = client(port)
    started = time.perf_counter()
    answer = c.bulk_reviewed([int(i) for i in ids], reason="bench")
    seconds = time.perf_counter() - started
    if len(answer.details or []) != len(ids):
        raise RuntimeError("the SDK's bulk_reviewed did not report every id")
    return seconds


def run(repeat: int = 3) -> list[Result]:
    inproc, peaks, cli, cli_rss, sdk = [], [], [], [], []
    note = ""
    with MockServer(executions=100_000) as server:
        first = min(p["processId"] for p in server.search(limit=1, offset=99_999))
        batches = [[str(first + COUNT * k + i) for i in range(COUNT)] for k in range(3 * repeat)]
        for k in range(repeat):
            seconds, peak, calls, ok = asyncio.run(_client_run(server.port, batches[3 * k]))
            inproc.append(seconds)
            peaks.append(peak)
            note = f"{calls} progress calls, {ok:,} of {COUNT:,} reviewed (others: per-id errors)"
            stdin = ("\n".join(batches[3 * k + 1]) + "\n").encode()
            run_ = timed(meshdeck_cmd() + ["review", "-", "--yes", "--reason", "bench", "-o", "json",
                                           "--base-url", "http://127.0.0.1", "--port",
                                           str(server.port)], stdin=stdin)
            if run_.code not in (0, 3):
                raise RuntimeError(f"meshdeck review failed: {run_.stderr[-300:]!r}")
            cli.append(run_.seconds)
            cli_rss.append(run_.max_rss_mb)
            sdk.append(_sdk_run(server.port, batches[3 * k + 2]))
    return [
        Result("5", f"bulk review {COUNT:,} ids, client, chunks of 500 + progress", "s", inproc,
               ref_name="SDK bulk_reviewed, 1 request", ref_samples=sdk, note=note),
        Result("5", "  peak Python memory of that (tracemalloc)", "MB", peaks),
        Result("5", f"meshdeck review - of {COUNT:,} ids (whole process)", "s", cli),
        Result("5", "  peak RSS of that process", "MB", cli_rss),
    ]
