"""Item 4: the status of many ids, and a bulk action on many ids, against ``mock serve`` with
100,000 executions, as whole processes with ids on stdin.

- ``meshdeck resume - --dry-run`` (the default table, to a file) of 1,000 / 10,000 / 100,000
  ids. Reference: a bare httpx script (a whole process too) doing the searches by id meshdeck
  does (the same chunks of ids, one request at a time) and decoding the JSON without models:
  the wire's own cost.
- ``meshdeck review - --yes -o json`` of 100,000 ids (and 1,000 / 10,000 for item 8): wall
  time and the process's peak RSS (GNU ``time``). Reference: the official SDK's
  ``bulk_reviewed(ids)``, one request with every id. Each run takes ids no earlier run touched.
"""

from __future__ import annotations

import json
import sys
import time

from benchmarks.harness import PY, MockServer, Result, log, meshdeck_cmd, timed

SCALE = (1_000, 10_000, 100_000)
BARE = """
import sys, time, httpx
ids = sys.stdin.read().split()
started = time.perf_counter()
found = 0
with httpx.Client(base_url="http://127.0.0.1:%d/") as client:
    for i in range(0, len(ids), %d):
        chunk = ids[i:i + %d]
        found += len(client.get("api/stats/process/search", params={
            "startTimeEpoch": 0, "limit": len(chunk), "processIds": ",".join(chunk)}).json())
print(time.perf_counter() - started, found)
"""


def _sdk_review(port: int, ids: list[str]) -> float:
    code = ("import sys, time\n"
            "from benchmarks.sdk.common import client\n"
            f"c = client({port})\n"
            "ids = [int(i) for i in sys.stdin.read().split()]\n"
            "t = time.perf_counter()\n"
            "answer = c.bulk_reviewed(ids, reason='bench')\n"
            "print(time.perf_counter() - t, len(answer.details or []))\n"
            "sys.stdout.flush()\n"
            "import os; os._exit(0)\n")
    run = timed([PY, "-c", code], stdin=("\n".join(ids) + "\n").encode())
    seconds, count = run.stdout.split()
    if int(count) != len(ids):
        raise RuntimeError(f"the SDK's bulk_reviewed did not report every id: {run.stderr[-300:]!r}")
    return run.seconds


def run(repeat: int = 3, scale: tuple[int, ...] = SCALE) -> list[Result]:
    from console.backends.unmeshed import UnmeshedClient

    results = []
    total = max(scale)
    with MockServer(executions=total) as server:
        first = server.search(limit=1, offset=total - 1)[0]["processId"]
        every = [str(first + i) for i in range(total)]
        where = ["--base-url", "http://127.0.0.1", "--port", str(server.port)]
        # the chunk meshdeck searches by (250 if this code predates it: a before/after run)
        chunk = getattr(UnmeshedClient, "IDS_PER_SEARCH", 250)
        bare = [PY, "-c", BARE % (server.port, chunk, chunk)]
        for n in scale:
            stdin = ("\n".join(every[:n]) + "\n").encode()
            ours, ref, rss = [], [], []
            for _ in range(repeat if n == total else 1):
                a = timed(meshdeck_cmd() + ["resume", "-", "--dry-run", *where], stdin=stdin)
                if a.code != 0 or a.stdout.count(b"\n") != n + 1:
                    raise RuntimeError(f"dry run of {n:,} failed: {a.stderr[-300:]!r}")
                b = timed(bare, stdin=stdin)
                ours.append(a.seconds)
                rss.append(a.max_rss_mb)
                ref.append(b.seconds)
            log(f"  dry run {n:,}: meshdeck {sorted(ours)}, bare searches {sorted(ref)}")
            if n == total:
                results.append(Result("4", f"resume - --dry-run of {n:,} ids (whole process)",
                                      "s", ours, ref_name="bare httpx searches by id",
                                      ref_samples=ref, targets=[("<=", 15.0)]))
                results.append(Result("4", "  peak RSS of that process", "MB", rss))
            results.append(Result("8", f"4: dry run of {n:,} ids", "s", ours,
                                  ref_name="bare httpx searches by id", ref_samples=ref))
    # every review on ids never reviewed before: a fresh mock, its ids in turn
    with MockServer(executions=total + 2 * sum(scale)) as server:
        first = server.search(limit=1, offset=total + 2 * sum(scale) - 1)[0]["processId"]
        nxt = first
        for n in scale:
            ours, rss, sdk = [], [], []
            for _ in range(1):
                ids = [str(nxt + i) for i in range(n)]
                theirs = [str(nxt + n + i) for i in range(n)]
                nxt += 2 * n
                a = timed(meshdeck_cmd() + ["review", "-", "--yes", "--reason", "bench", "-o",
                                            "json", "--base-url", "http://127.0.0.1", "--port",
                                            str(server.port)],
                          stdin=("\n".join(ids) + "\n").encode())
                if a.code not in (0, 3) or len(json.loads(a.stdout)) != n:
                    raise RuntimeError(f"review of {n:,} failed: {a.stderr[-300:]!r}")
                ours.append(a.seconds)
                rss.append(a.max_rss_mb)
                sdk.append(_sdk_review(server.port, theirs))
            log(f"  review {n:,}: meshdeck {ours} ({rss} MB), sdk {sdk}")
            if n == total:
                results.append(Result("4", f"review - of {n:,} ids (whole process, chunks of "
                                            "500)", "s", ours,
                                      ref_name="SDK bulk_reviewed, 1 request", ref_samples=sdk))
                results.append(Result("4", "  peak RSS of that process", "MB", rss))
            results.append(Result("8", f"4: review of {n:,} ids", "s", ours,
                                  ref_name="SDK bulk_reviewed", ref_samples=sdk,
                                  note=f"peak RSS {rss[0]:.0f} MB"))
    return results


if __name__ == "__main__":  # python -m benchmarks.status_checks [N]: one size, for a quick look
    started = time.perf_counter()
    for r in run(1, (int(sys.argv[1]),) if len(sys.argv) > 1 else SCALE):
        print(r.item, r.name, r.samples, r.ref_samples)
    print(f"{time.perf_counter() - started:.0f} s")
