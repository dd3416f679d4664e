"""Extra (issue 7's item 3): 100,000 executions in the executions table: load + paint, per-key cost, RSS; beside
Textual's stock ``DataTable`` with the same rows.

The rows are 100,000 search results of a seeded 100,000-execution mock (frozen clock), written
once to a temporary JSON file; each measurement is its own process
(``benchmarks.tui_table_child``) so RSS belongs to that table alone. The stock DataTable takes
tens of seconds at 100,000 rows, so it is measured at 10,000 and 20,000 rows and its load time
is extrapolated linearly to 100,000 (it grows at least linearly); its key costs are the 20,000
figures.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.harness import PY, Result, log, timed

N = 100_000


def write_rows(path: Path, n: int = N) -> None:
    from console.mock.app import create_app
    from console.mock.clock import FROZEN_NOW_MS, FakeClock

    store = create_app(seed=7, executions=n, clock=FakeClock(FROZEN_NOW_MS)).state.store
    now = store.clock()
    newest_first = sorted(store.processes.values(), key=lambda p: p["created"], reverse=True)
    # One line per page of 1,000, as "load all" receives them from the server.
    with path.open("w") as out:
        for start in range(0, len(newest_first), 1000):
            page = [store.public(p, False, now) for p in newest_first[start:start + 1000]]
            out.write(json.dumps(page) + "\n")


def child(kind: str, n: int, path: Path) -> dict:
    run = timed([PY, "-m", "benchmarks.tui_table_child", kind, str(n), str(path)])
    if run.code != 0:
        raise RuntimeError(f"table benchmark {kind} {n} failed: {run.stderr[-400:]!r}")
    return json.loads(run.stdout.decode().strip().splitlines()[-1])


def run(repeat: int = 3) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.json"
        write_rows(path)
        ours = [child("meshdeck", N, path) for _ in range(repeat)]
        stock10 = child("stock", 10_000, path)
        stock20 = child("stock", 20_000, path)
    log(f"  stock DataTable: 10k {stock10}, 20k {stock20}")
    slope = (stock20["load_s"] - stock10["load_s"]) / 10_000
    stock100 = stock20["load_s"] + slope * (N - 20_000)
    pick = lambda key: [r[key] for r in ours]  # noqa: E731
    return [
        Result("t", "100k rows into the table + paint", "s", pick("load_s"),
               ref_name=f"DataTable, extrapolated from {stock20['load_s']:.1f} s at 20k",
               ref_samples=[stock100], targets=[("<=", 0.5)]),
        Result("t", "cursor down per key, 100k rows (CPU)", "ms", pick("down_ms"),
               ref_name="DataTable at 20k", ref_samples=[stock20["down_ms"]],
               targets=[("<=", 30.0)]),
        Result("t", "page down per key, 100k rows (CPU)", "ms", pick("pagedown_ms"),
               ref_name="DataTable at 20k", ref_samples=[stock20["pagedown_ms"]],
               targets=[("<=", 30.0)]),
        Result("t", "RSS with 100k rows loaded", "MB", pick("rss_mb"),
               ref_name=f"DataTable at 20k: {stock20['rss_mb']:.0f} MB",
               targets=[("<=", 200.0)]),
    ]
