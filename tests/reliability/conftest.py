"""Reliability fixtures: an isolated config, a misbehaving in-process mock shared by every
``--mock`` invocation of a test, and a CliRunner helper that never hides a traceback.

- ``faulty(spec, executions=300)``: a mock app with that fault plan (``app.state.faults``), made
  the CLI's shared mock; ``faulty.app.state.store`` is the server's truth.
- ``cli(*args, input=None)``: Run(exit_code, stdout, stderr, ...), shared with tests/cli.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from console import connect
from console.mock.app import create_app
from console.mock.clock import FakeClock
from tests.cli.conftest import cli  # noqa: F401 - the same CliRunner fixture

TOKEN = "tok-SECRET-4f1c9e-never-print-me"


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """No test reads the developer's config or environment."""
    path = tmp_path / "config.toml"
    monkeypatch.setenv("MESHDECK_CONFIG", str(path))
    for var in ("UNMESHED_BASE_URL", "UNMESHED_PORT", "UNMESHED_CLIENT_ID", "UNMESHED_AUTH_TOKEN",
                "MESHDECK_PROFILE", "MESHDECK_MOCK_FAULTS", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    return path


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Keep the client's retry promise (the same number of tries) without its back-off pauses."""
    import console.connect

    real = console.connect.open_backend

    def quick(*args, **kwargs):
        backend = real(*args, **kwargs)
        backend.http.backoff = 0.001
        return backend

    monkeypatch.setattr(console.connect, "open_backend", quick)


def make_mock(spec: str | None, executions: int = 300, seed: int = 7) -> Any:
    """A mock app (data around the real now, so --since 24h finds it) with fault plan ``spec``."""
    return create_app(seed=seed, executions=executions,
                      clock=FakeClock(int(time.time() * 1000)), faults=spec)


@pytest.fixture
def faulty(monkeypatch):
    """``faulty("error_rate=1")`` -> the shared mock app every ``--mock`` invocation talks to."""

    def make(spec: str | None, executions: int = 300) -> Any:
        app = make_mock(spec, executions)
        monkeypatch.setattr(connect, "new_mock_app", lambda *a, _app=app, **k: _app)
        return app

    return make




def ids_with(store: Any, status: str, n: int | None = None) -> list[str]:
    found = [str(pid) for pid in sorted(store.processes, reverse=True)
             if store.processes[pid]["status"] == status]
    return found if n is None else found[:n]
