"""Child process of the table benchmark (``tui_table``): N executions into a table, headless (140x40), then keys.

``python -m benchmarks.tui_table_child KIND N ROWS_JSON`` with KIND ``meshdeck`` (the
executions screen's ``ProcessTable``) or ``stock`` (Textual's ``DataTable`` with the same
columns and the same cell text). ROWS_JSON holds one page of 1,000 rows per line, as "load all"
receives them; each page is validated into ``ProcessData`` ("fetching", not timed) and kept as
the executions screen keeps it: ``ProcessSummary`` rows for meshdeck, cell text for DataTable. Printed as one JSON line:

- ``load_s``: wall time of putting the rows in the table and the screen refresh that paints it;
- ``key_ms``: CPU time per key (down, then page down), median over the presses. CPU time, not
  wall time, because the pilot's ``press`` waits for idle (>= 2 x 20 ms) after every key;
  the app is single-threaded, so CPU time is the latency a person would feel;
- ``rss_mb``: resident memory after loading (rows included).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time


async def main(kind: str, n: int, path: str) -> dict:
    from datetime import UTC, datetime

    from pydantic import TypeAdapter
    from textual.app import App
    from textual.widgets import DataTable

    from benchmarks.harness import rss_mb
    from console.models import ProcessData, ProcessSummary
    from console.tui.widgets.process_table import ProcessTable, process_columns

    now = lambda: datetime(2026, 11, 25, 12, tzinfo=UTC)  # noqa: E731
    columns = [c for c in process_columns(now) if c.key != "mark"]
    pages = TypeAdapter(list[ProcessData])
    rows: list = []
    with open(path, "rb") as f:
        for line in f:
            page = pages.validate_json(line)
            if kind == "meshdeck":
                rows.extend(ProcessSummary.of(p) for p in page)
            else:
                rows.extend([c.text(p) for c in columns] for p in page)
            if len(rows) >= n:
                break
    rows = rows[:n]

    class Bench(App):
        def compose(self):
            yield ProcessTable(now) if kind == "meshdeck" else DataTable()

    app = Bench()
    out: dict = {"kind": kind, "rows": n}
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        before = rss_mb()
        table = app.query_one(ProcessTable if kind == "meshdeck" else DataTable)
        table.focus()
        started = time.perf_counter()
        if kind == "meshdeck":
            table.set_rows(rows)
        else:
            table.add_columns(*(c.label for c in columns))
            table.add_rows(rows)
        painted = asyncio.get_running_loop().create_future()
        table.call_after_refresh(lambda: painted.set_result(None))
        await painted
        out["load_s"] = time.perf_counter() - started
        out["rss_mb"] = rss_mb()
        out["rss_before_mb"] = before
        for key, count in (("down", 30), ("pagedown", 20)):
            samples = []
            for _ in range(count):
                cpu = time.process_time()
                await pilot.press(key)
                samples.append((time.process_time() - cpu) * 1000)
            out[f"{key}_ms"] = statistics.median(samples)
        out["cursor"] = table.cursor if kind == "meshdeck" else table.cursor_row
    return out


if __name__ == "__main__":
    result = asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
    print(json.dumps(result), flush=True)
