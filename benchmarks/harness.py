"""What every benchmark shares: results and their statistics, timed child processes (with their
peak RSS from ``wait4``), a ``meshdeck mock serve`` child on a free port, and the table.

Benchmarks are measurements, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
HERE = Path(__file__).resolve().parent
GNU_TIME = "/usr/bin/time"


def meshdeck_cmd() -> list[str]:
    """The installed ``meshdeck`` console script (what a person runs), else ``python -m console``."""
    script = Path(PY).parent / "meshdeck"
    return [str(script)] if script.exists() else [PY, "-m", "console"]


@dataclass
class Result:
    """One measured figure: samples of meshdeck, optionally samples of a reference, and a target.

    ``target`` is (op, value): ``("<=", 0.35)`` on the median, or ``("ratio<=", 1.0)`` on
    median/reference-median, or ``("ratio>=", 3.0)`` on reference-median/median (speed-up).
    """

    item: str
    name: str
    unit: str
    samples: list[float]
    ref_name: str = ""
    ref_samples: list[float] = field(default_factory=list)
    targets: list[tuple[str, float]] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def ref_median(self) -> float | None:
        return statistics.median(self.ref_samples) if self.ref_samples else None

    @property
    def ratio(self) -> float | None:
        ref = self.ref_median
        return self.median / ref if ref else None

    def verdicts(self) -> list[str]:
        out = []
        for op, value in self.targets:
            if op == "<=":
                ok = self.median <= value
                out.append(f"<= {fmt(value, self.unit)} {'met' if ok else 'MISSED'}")
            elif op == "ratio<=":
                ok = self.ratio is not None and self.ratio <= value
                out.append(f"ratio <= {value:g} {'met' if ok else 'MISSED'}")
            elif op == "speedup>=":
                ok = self.ratio is not None and self.ratio > 0 and 1 / self.ratio >= value
                out.append(f"{value:g}x faster {'met' if ok else 'MISSED'}")
        return out


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}"


def stats_row(r: Result) -> list[str]:
    ref = (f"{fmt(r.ref_median, r.unit)} ({r.ref_name})" if r.ref_samples
           else (r.ref_name or "-"))
    ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
    return [r.item, r.name, fmt(r.median, r.unit), fmt(min(r.samples), r.unit),
            fmt(max(r.samples), r.unit), str(len(r.samples)), ref, ratio,
            "; ".join(r.verdicts()) or "(reported)"]


HEADERS = ["#", "measure", "median", "min", "max", "n", "reference (median)", "ratio", "target"]


def table(results: Sequence[Result], markdown: bool = False) -> str:
    rows = [stats_row(r) for r in results]
    if markdown:
        lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(HEADERS)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(HEADERS), line(["-" * w for w in widths])] + [line(r) for r in rows])


# ---- child processes ------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    code: int
    stdout: bytes
    stderr: bytes


def timed(cmd: Sequence[str], *, stdin: bytes | None = None, env: dict | None = None) -> Run:
    """Run ``cmd`` to its end: wall time from spawn to exit, and its peak RSS (``wait4``)."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryFile() as inp:
        if stdin is not None:
            inp.write(stdin)
            inp.seek(0)
        # ru_maxrss of a child we fork ourselves includes this (large) process's RSS at fork,
        # so the peak is read by GNU time, a small process, when it is there.
        rss_file = tempfile.NamedTemporaryFile(suffix=".rss", delete=False)
        rss_file.close()
        if os.path.exists(GNU_TIME):
            cmd = [GNU_TIME, "-f", "%M", "-o", rss_file.name, *cmd]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=inp, stdout=out, stderr=err, cwd=ROOT,
                                env={**os.environ, **env} if env else None)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        try:
            with open(rss_file.name) as f:
                peak_kb = int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            peak_kb = usage.ru_maxrss
        os.unlink(rss_file.name)
        return Run(seconds, peak_kb / 1024, proc.returncode, out.read(), err.read())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(url: str, timeout: float = 5) -> object:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


class MockServer:
    """``meshdeck mock serve`` in a child process; ``ready_s`` is spawn-to-first-answer."""

    def __init__(self, executions: int = 5000, seed: int = 7, source: Path | None = None) -> None:
        """``source``: run the ``console`` package of that folder (an older tree, for a
        before/after in one run) instead of this one's."""
        self.port = free_port()
        self.executions, self.seed, self.source = executions, seed, source
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.ready_s = 0.0

    def __enter__(self) -> MockServer:
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            meshdeck_cmd() + ["mock", "serve", "--port", str(self.port), "--seed", str(self.seed),
                              "--executions", str(self.executions)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(self.source)} if self.source else None)
        url = f"{self.base}/api/stats/process/search?limit=1"
        deadline = started + 120
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("meshdeck mock serve exited early")
            try:
                http_json(url, timeout=1)
                break
            except OSError:
                if time.perf_counter() > deadline:
                    raise RuntimeError("meshdeck mock serve did not answer in 120 s") from None
                time.sleep(0.01)
        self.ready_s = time.perf_counter() - started
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def rss_mb(self) -> float:
        """The server process's resident memory now, in MB (Linux)."""
        with open(f"/proc/{self.proc.pid}/status") as f:  # type: ignore[union-attr]
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def search(self, **params: object) -> list[dict]:
        from urllib.parse import urlencode

        query = urlencode({"startTimeEpoch": 0, **params})
        return http_json(f"{self.base}/api/stats/process/search?{query}", timeout=30)  # type: ignore[return-value]


#: The commit before issue 17's changes: the yardstick of item 7 ("no longer than 20,000 took").
BEFORE_ISSUE_17 = "ee1a37a"
_trees: dict[str, Path | None] = {}


def source_tree(commit: str) -> Path | None:
    """This repository's files at ``commit``, in a temporary folder (made once per run; kept
    until the process ends), or None when git or the commit is not there (say, a shallow
    clone)."""
    if commit not in _trees:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix=f"meshdeck-{commit}-"))
        atexit.register(shutil.rmtree, folder, True)
        archive = subprocess.run(["git", "archive", commit, "console"], cwd=ROOT,
                                 capture_output=True)
        unpacked = archive.returncode == 0 and subprocess.run(
            ["tar", "-x", "-C", str(folder)], input=archive.stdout).returncode == 0
        _trees[commit] = folder if unpacked else None
    return _trees[commit]


def rss_mb() -> float:
    """This process's resident set size now, in MB (Linux)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
