"""Item 7: ``meshdeck mock serve`` from spawn to the first answered search, and its memory.

Timed from ``Popen`` to the first HTTP 200 of ``api/stats/process/search`` (polled every 10 ms).
The issue's yardstick: 100,000 executions may take no longer to start than 20,000 took before
its changes; so the reference is the 20,000 start of the code at ``BEFORE_ISSUE_17`` (taken out
of git for the run), measured in the same run; the current code's own 20,000 start is shown
beside it. RSS is the server's resident memory once it answered (``/proc``). For item 8:
1,000 / 10,000 / 100,000 / 1,000,000 executions.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.harness import BEFORE_ISSUE_17, MockServer, Result, log, source_tree

SCALE = (1_000, 10_000, 100_000, 1_000_000)


def _start(n: int, source: Path | None = None) -> tuple[float, float]:
    with MockServer(executions=n, source=source) as server:
        return server.ready_s, server.rss_mb()


def run(repeat: int = 3, scale: tuple[int, ...] = SCALE) -> list[Result]:
    before = source_tree(BEFORE_ISSUE_17)
    big, small, old, rss_big = [], [], [], []
    for _ in range(repeat):
        seconds, rss = _start(100_000)
        big.append(seconds)
        rss_big.append(rss)
        small.append(_start(20_000)[0])
        if before is not None:
            old.append(_start(20_000, before)[0])
    results = [Result("7", "mock serve --executions 100000 ready", "s", big,
                      ref_name=f"20,000 before ({BEFORE_ISSUE_17})" if old else "20,000 now",
                      ref_samples=old or small, targets=[("ratio<=", 1.0)],
                      note=f"20,000 with this code: {sorted(small)[len(small) // 2]:.3f} s"),
               Result("7", "  its RSS once ready", "MB", rss_big)]
    for n in scale:
        seconds, rss = (big[0], rss_big[0]) if n == 100_000 else _start(n)
        log(f"  mock serve {n:,}: {seconds:.3f} s, {rss:.0f} MB")
        results.append(Result("8", f"7: mock serve {n:,} ready", "s", [seconds],
                              ref_name="20,000", ref_samples=small, note=f"RSS {rss:.0f} MB"))
    return results
