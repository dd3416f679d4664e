"""Items 1 and 2: one-shot commands as whole processes against ``meshdeck mock serve``, beside
scripts doing the same with the official SDK; and help.

- ``meshdeck search --status FAILED --limit 100 -o json`` vs ``sdk/search.py`` (the same search);
- ``meshdeck get ID -o json`` vs ``sdk/get_one.py`` (``get_process_data``);
- ``meshdeck --help``, ``meshdeck search --help`` and ``meshdeck resume --help``, each against
  the SDK search script's time (the issue's yardstick: the SDK does a whole search in it);
- for item 8, ``search -o json`` of 1,000 / 10,000 / 100,000 rows (``--all`` for 100,000) vs the
  SDK's search with that limit, over a 100,000-execution mock.

Every pair is timed from spawn to exit, alternating, after one warm-up run each (both read warm
.pyc files and page cache). The SDK scripts end themselves with ``os._exit(0)`` after printing,
because the SDK's client threads keep the interpreter alive otherwise. Outputs are parsed back
and must list the same process ids, or the run is reported as wrong.
"""

from __future__ import annotations

import json

from benchmarks.harness import PY, MockServer, Result, log, meshdeck_cmd, timed

SCALE = (1_000, 10_000, 100_000)


def _ids(out: bytes) -> list:
    return [p["processId"] for p in json.loads(out)]


def _pair(ours: list[str], theirs: list[str], repeat: int, what: str) -> tuple[list, list]:
    a, b = timed(ours), timed(theirs)  # warm-up, and the correctness check
    if a.code != 0 or _ids(a.stdout) != _ids(b.stdout) or not _ids(a.stdout):
        raise RuntimeError(f"{what}: meshdeck and the SDK disagree: exit {a.code}, "
                           f"{len(_ids(a.stdout))} vs {len(_ids(b.stdout))} rows; "
                           f"{a.stderr[-300:]!r}")
    mine, sdk = [], []
    for _ in range(repeat):
        mine.append(timed(ours).seconds)
        sdk.append(timed(theirs).seconds)
    log(f"  {what}: meshdeck {sorted(mine)}, sdk {sorted(sdk)}")
    return mine, sdk


def run(repeat: int = 9, scale: tuple[int, ...] = SCALE) -> list[Result]:
    results = []
    with MockServer(executions=20_000) as server:  # >= 100 FAILED in the last 24 h
        where = ["--base-url", "http://127.0.0.1", "--port", str(server.port)]
        sdk_search = [PY, "-m", "benchmarks.sdk.search", str(server.port)]
        mine, sdk = _pair(meshdeck_cmd() + ["search", "--status", "FAILED", "--limit", "100",
                                            "-o", "json", *where], sdk_search, repeat, "search")
        results.append(Result("1", "CLI search -o json (100 FAILED, HTTP)", "s", mine,
                              ref_name="SDK script", ref_samples=sdk, targets=[("ratio<=", 1.0)]))
        pid = str(server.search(limit=1)[0]["processId"])
        mine, sdk1 = _pair(meshdeck_cmd() + ["get", pid, "-o", "json", *where],
                           [PY, "-m", "benchmarks.sdk.get_one", str(server.port), pid], repeat,
                           "get")
        results.append(Result("1", "CLI get ID -o json (HTTP)", "s", mine,
                              ref_name="SDK get_process_data", ref_samples=sdk1,
                              targets=[("ratio<=", 1.0)]))
        for args in (["--help"], ["search", "--help"], ["resume", "--help"]):
            timed(meshdeck_cmd() + args)
            helps = [timed(meshdeck_cmd() + args).seconds for _ in range(repeat)]
            results.append(Result("2", f"meshdeck {' '.join(args)}", "s", helps,
                                  ref_name="SDK search script", ref_samples=sdk,
                                  targets=[("ratio<=", 1.0)]))
    if scale:
        with MockServer(executions=max(scale)) as server:
            since = server.search(limit=1, offset=max(scale) - 1)[0]["created"]
            for n in scale:
                rows = ["--all"] if n > 10_000 else ["--limit", str(n)]
                ours = meshdeck_cmd() + ["search", "--since", "8d", *rows, "-o", "json",
                                         "--base-url", "http://127.0.0.1", "--port",
                                         str(server.port)]
                theirs = [PY, "-m", "benchmarks.sdk.search", str(server.port), str(n), str(since)]
                mine, sdk = _pair(ours, theirs, 1 if n > 10_000 else min(repeat, 3),
                                  f"search of {n:,} rows")
                results.append(Result("8", f"1: search -o json of {n:,} rows", "s", mine,
                                      ref_name="SDK search", ref_samples=sdk))
    return results
