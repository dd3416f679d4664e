"""Item 3: ``meshdeck get - --steps -o json`` of 1,000 ids over HTTP against ``mock serve``,
beside the official SDK's ``get_process_data(id, include_steps=True)`` in a loop.

Both are whole processes reading the same 1,000 ids on stdin and printing one JSON list; both
outputs are parsed back and must hold the same process ids with the same step counts. meshdeck
fetches concurrently (4 in flight on one pooled client); the SDK is synchronous.
"""

from __future__ import annotations

import json

from benchmarks.harness import PY, MockServer, Result, log, meshdeck_cmd, timed


def _summary(out: bytes) -> list[tuple[int, int]]:
    return [(p["processId"], len(p.get("stepRecords") or [])) for p in json.loads(out)]


def run(repeat: int = 3, count: int = 1000) -> list[Result]:
    ours_s, theirs_s = [], []
    with MockServer(executions=20_000) as server:
        ids = [str(p["processId"]) for p in server.search(limit=count)]
        stdin = ("\n".join(ids) + "\n").encode()
        ours = meshdeck_cmd() + ["get", "-", "--steps", "-o", "json", "--base-url",
                                 "http://127.0.0.1", "--port", str(server.port)]
        theirs = [PY, "-m", "benchmarks.sdk.get_steps", str(server.port)]
        for i in range(repeat):
            a = timed(ours, stdin=stdin)
            b = timed(theirs, stdin=stdin)
            if i == 0:
                sa, sb = _summary(a.stdout), _summary(b.stdout)
                if a.code != 0 or sa != sb or len(sa) != count:
                    raise RuntimeError(f"get --steps and the SDK disagree ({len(sa)} vs {len(sb)}"
                                       f" processes, exit {a.code}): {a.stderr[-300:]!r}")
            ours_s.append(a.seconds)
            theirs_s.append(b.seconds)
    log(f"  get --steps: meshdeck {sorted(ours_s)}, sdk {sorted(theirs_s)}")
    return [Result("3", f"get --steps of {count:,} ids (HTTP, whole process)", "s", ours_s,
                   ref_name="SDK sequential loop", ref_samples=theirs_s,
                   targets=[("speedup>=", 3.0)])]
