"""Item 5: the TUI's "load all" over HTTP from ``mock serve``, beside a bare httpx loop paging
the same search and decoding JSON without models (``tui_load_all_child``); and how long the app
could not read a key meanwhile. At 1,000 / 10,000 / 100,000 executions (item 8)."""

from __future__ import annotations

import json

from benchmarks.harness import PY, MockServer, Result, log, timed

SCALE = (1_000, 10_000, 100_000)


def child(kind: str, port: int, since: int) -> dict:
    run = timed([PY, "-m", "benchmarks.tui_load_all_child", kind, str(port), str(since)])
    if run.code != 0:
        raise RuntimeError(f"load all ({kind}) failed: {run.stderr[-600:]!r}")
    return json.loads(run.stdout.decode().strip().splitlines()[-1])


def run(repeat: int = 3, scale: tuple[int, ...] = SCALE) -> list[Result]:
    results = []
    for n in scale:
        with MockServer(executions=n) as server:
            since = server.search(limit=1, offset=n - 1)[0]["created"]
            ours, bare = [], []
            for _ in range(repeat if n == max(scale) else 1):
                ours.append(child("meshdeck", server.port, since))
                bare.append(child("bare", server.port, since))
        if any(r["rows"] != n for r in ours + bare):
            raise RuntimeError(f"load all of {n:,}: rows {[r['rows'] for r in ours + bare]}")
        log(f"  load all {n:,}: meshdeck {ours}, bare {bare}")
        secs = [r["seconds"] for r in ours]
        ref = [r["seconds"] for r in bare]
        if n == max(scale):
            results.append(Result("5", f"TUI load all of {n:,} over HTTP", "s", secs,
                                  ref_name="bare httpx loop", ref_samples=ref,
                                  targets=[("ratio<=", 1.5)]))
            results.append(Result("5", "  longest the UI could not read a key meanwhile", "ms",
                                  [r["stall_ms"] for r in ours], targets=[("<=", 50.0)],
                                  note="p99 of the probe's delays: "
                                       + ", ".join(f"{r['stall_p99_ms']:.1f} ms" for r in ours)))
        results.append(Result("8", f"5: TUI load all of {n:,}", "s", secs,
                              ref_name="bare httpx loop", ref_samples=ref))
    return results
