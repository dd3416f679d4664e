"""Fixtures for the Conductor backend: the Conductor-dialect mock, in process and over HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest

from console.cli import common
from console.mock.app import create_app
from console.mock.clock import FakeClock
from console.mock.conductor_app import create_conductor_app
from tests.cli.conftest import Recorder, cli, isolated_config  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def no_backend_env(monkeypatch):
    for var in ("MESHDECK_BACKEND", "CONDUCTOR_AUTH_KEY", "CONDUCTOR_AUTH_SECRET"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(params=["unmeshed", "conductor"])
def dialect_mock(request, monkeypatch):
    """One store served in the parametrised dialect to every ``--mock`` call of the test;
    returns (Recorder, backend flag list to add to the command line)."""
    clock = FakeClock(int(time.time() * 1000))
    if request.param == "conductor":
        app = create_conductor_app(seed=7, executions=400, clock=clock)
    else:
        app = create_app(seed=7, executions=400, clock=clock)
    recorder = Recorder(app)
    recorder.dialect = request.param
    monkeypatch.setattr(common, "shared_mock_app", recorder)
    return recorder, ["--backend", request.param]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def conductor_server():
    """``meshdeck mock serve --dialect conductor`` in a subprocess on a free port; yields the
    API base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", "mock", "serve", "--dialect", "conductor",
         "--port", str(port), "--executions", "300"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                httpx.get(f"{base}/metadata/workflow", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stdout.read().decode())
                time.sleep(0.1)
        else:
            raise RuntimeError("mock serve --dialect conductor did not start")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
