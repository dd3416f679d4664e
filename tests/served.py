"""``meshdeck mock serve`` in a subprocess on a free port, for tests that need a real server."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping


def free_port() -> int:
    """A loopback port nothing listens on (just now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def meshdeck() -> list[str]:
    """The installed ``meshdeck`` beside this Python, else ``python -m console``."""
    found = shutil.which("meshdeck", path=os.path.dirname(sys.executable))
    return [found] if found else [sys.executable, "-m", "console"]


@contextlib.contextmanager
def mock_server(*args: str, env: Mapping[str, str] | None = None,
                start_timeout: float = 30) -> Iterator[int]:
    """Run ``meshdeck mock serve --port PORT ARGS...`` until the port answers; yield the port.
    The server is stopped on the way out, whatever happened."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen([*meshdeck(), "mock", "serve", "--port", str(port), *args],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=dict(env) if env is not None else None)
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"meshdeck mock serve exited: {log.read()[-2000:]}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"meshdeck mock serve did not answer on port {port} "
                                           f"in {start_timeout:.0f} s") from None
                    time.sleep(0.05)
            yield port
        finally:
            stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Ask ``proc`` to stop (SIGTERM); kill it if it has not within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
