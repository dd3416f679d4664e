"""Item 1: ``meshdeck search --status FAILED --limit 100 -o json`` as a whole process against
``meshdeck mock serve``, beside a script doing the same search with the official SDK; and
``meshdeck --help``.

Both sides are timed from spawn to exit, alternating, after one warm-up run each (so both
read warm .pyc files and page cache). The SDK script ends itself with ``os._exit(0)`` after
printing, because the SDK's client threads keep the interpreter alive otherwise. Both outputs
are parsed back and must list the same process ids, or the run is reported as wrong.
"""

from __future__ import annotations

import json

from benchmarks.harness import PY, MockServer, Result, log, meshdeck_cmd, timed


def run(repeat: int = 9) -> list[Result]:
    md_search, sdk_search, helps = [], [], []
    with MockServer(executions=20_000) as server:  # >= 100 FAILED in the last 24 h
        ours = meshdeck_cmd() + ["search", "--status", "FAILED", "--limit", "100", "-o", "json",
                                 "--base-url", "http://127.0.0.1", "--port", str(server.port)]
        theirs = [PY, "-m", "benchmarks.sdk.search", str(server.port)]
        a, b = timed(ours), timed(theirs)  # warm-up, and the correctness check
        ids_a = [p["processId"] for p in json.loads(a.stdout)]
        ids_b = [p["processId"] for p in json.loads(b.stdout)]
        if a.code != 0 or ids_a != ids_b or len(ids_a) != 100:
            raise RuntimeError(f"meshdeck and the SDK disagree: exit {a.code}, "
                               f"{len(ids_a)} vs {len(ids_b)} rows; {a.stderr[-300:]!r}")
        for _ in range(repeat):
            md_search.append(timed(ours).seconds)
            sdk_search.append(timed(theirs).seconds)
        timed(meshdeck_cmd() + ["--help"])
        for _ in range(repeat):
            helps.append(timed(meshdeck_cmd() + ["--help"]).seconds)
    log(f"  search: meshdeck {sorted(md_search)}, sdk {sorted(sdk_search)}")
    return [
        Result("1", "CLI search -o json (100 FAILED, HTTP)", "s", md_search,
               ref_name="SDK script", ref_samples=sdk_search,
               targets=[("<=", 0.35), ("ratio<=", 1.0)]),
        Result("1", "meshdeck --help", "s", helps, targets=[("<=", 0.25)]),
    ]
