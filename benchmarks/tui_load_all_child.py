"""Child process of item 5: "load all" over HTTP, headless, against ``mock serve``.

``python -m benchmarks.tui_load_all_child meshdeck PORT SINCE_MS``: the executions screen of the
real app (``MeshdeckApp`` on an ``UnmeshedClient`` to the port, 140x40), its window widened to
every execution since SINCE_MS, then its "load all" worker, timed from start to the last row in
the table. Meanwhile a probe task sleeps 5 ms at a time on the app's event loop and records how
late it wakes: the longest delay is the longest a key pressed during the load waits before the
app can read it.

``... bare PORT SINCE_MS``: the reference, a bare ``httpx.Client`` loop paging the same search
(1,000 a page) and decoding the JSON without models.

Prints one JSON line: ``seconds``, ``rows``, ``stall_ms`` (longest delay), ``stall_p99_ms``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

PAGE = 1000


def bare(port: int, since: int) -> dict:
    import httpx

    rows = 0
    started = time.perf_counter()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}/") as client:
        offset = 0
        while True:
            page = client.get("api/stats/process/search", params={
                "startTimeEpoch": since, "limit": PAGE, "offset": offset}).json()
            rows += len(page)
            offset += len(page)
            if len(page) < PAGE:
                break
    return {"seconds": time.perf_counter() - started, "rows": rows}


async def meshdeck(port: int, since: int) -> dict:
    from dataclasses import replace

    from console import connect
    from console.config import load_settings
    from console.tui.app import MeshdeckApp

    settings = load_settings(None, {"base_url": "http://127.0.0.1", "port": port})
    app = MeshdeckApp(connect.open_backend(settings, verify=False), settings)
    delays: list[float] = []
    async with app.run_test(size=(140, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        screen.filters = replace(screen.filters, window="custom",
                                 since=time.strftime("%Y-%m-%dT%H:%M:%S",
                                                     time.gmtime(since / 1000)), until="")
        await app.workers.wait_for_complete()
        loading = True

        async def probe() -> None:
            while loading:
                asked = time.perf_counter()
                await asyncio.sleep(0.005)
                delays.append((time.perf_counter() - asked - 0.005) * 1000)

        watcher = asyncio.create_task(probe())
        started = time.perf_counter()
        await screen.load_all().wait()
        seconds = time.perf_counter() - started
        loading = False
        await watcher
        rows = len(screen.table.rows)
    delays.sort()
    return {"seconds": seconds, "rows": rows, "stall_ms": delays[-1] if delays else 0.0,
            "stall_p99_ms": delays[int(0.99 * (len(delays) - 1))] if delays else 0.0}


if __name__ == "__main__":
    kind, port, since = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    out = bare(port, since) if kind == "bare" else asyncio.run(meshdeck(port, since))
    print(json.dumps(out))
