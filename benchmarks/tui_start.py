"""Item 6: TUI start, from process spawn to the first page of executions painted, ``--mock``.

Runs ``benchmarks.tui_start_child`` (the real ``meshdeck --mock`` entry point, headless, exiting
right after the first page is painted) beside a stock Textual app with a 100-row DataTable
painted once (the floor of any Textual app on this machine). Headless means Textual composes
and renders every frame but writes no bytes to a terminal.
"""

from __future__ import annotations

from benchmarks.harness import PY, Result, timed


def run(repeat: int = 5) -> list[Result]:
    ours, stock = [], []
    timed([PY, "-m", "benchmarks.tui_start_child", "meshdeck"])  # warm-up
    for _ in range(repeat):
        a = timed([PY, "-m", "benchmarks.tui_start_child", "meshdeck"])
        if a.code != 0:
            raise RuntimeError(f"TUI start failed: {a.stderr[-400:]!r}")
        ours.append(a.seconds)
        stock.append(timed([PY, "-m", "benchmarks.tui_start_child", "stock"]).seconds)
    return [Result("6", "TUI start to first page painted (--mock, headless)", "s", ours,
                   ref_name="stock Textual app, 100-row DataTable", ref_samples=stock,
                   targets=[("ratio<=", 2.0)])]
