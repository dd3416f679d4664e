"""Item 7: ``meshdeck mock serve --executions 100000``, from spawn to the first answered search.

Timed from ``Popen`` to the first HTTP 200 of ``api/stats/process/search`` (polled every 10 ms).
The reference is the same command with the default 5,000 executions, measured in the same run.
"""

from __future__ import annotations

from benchmarks.harness import MockServer, Result


def run(repeat: int = 3) -> list[Result]:
    big, small = [], []
    for _ in range(repeat):
        with MockServer(executions=100_000) as server:
            big.append(server.ready_s)
        with MockServer(executions=5000) as server:
            small.append(server.ready_s)
    return [Result("7", "mock serve --executions 100000 ready", "s", big,
                   ref_name="5,000 executions", ref_samples=small, targets=[("<=", 3.0)])]
