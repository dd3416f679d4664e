"""CLI test fixtures: an isolated config, one shared mock app per test, and a CliRunner helper.

Sharing the mock: ``console.connect.new_mock_app`` is monkeypatched to return one app (wrapped in a
recorder of the requests it receives), so every ``--mock`` invocation in a test talks to the
same in-memory store, which the test then inspects (``mock.store``, ``mock.requests``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from typer.testing import CliRunner

from console import connect
from console.cli.main import app
from console.mock.app import create_app
from console.mock.clock import FakeClock


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """No test reads the developer's config or environment."""
    path = tmp_path / "config.toml"
    monkeypatch.setenv("MESHDECK_CONFIG", str(path))
    monkeypatch.setenv("MESHDECK_KEYRING", "off")  # never the machine's keyring
    for var in ("UNMESHED_BASE_URL", "UNMESHED_PORT", "UNMESHED_CLIENT_ID", "UNMESHED_AUTH_TOKEN",
                "MESHDECK_PROFILE", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    return path


class Recorder:
    """An ASGI wrapper that remembers each request's method and path."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []
        self.queries: list[str] = []

    @property
    def store(self):
        return self.app.state.store

    @property
    def posts(self) -> list[str]:
        return [path for method, path in self.requests if method == "POST"]

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            self.requests.append((scope["method"], scope["path"]))
            self.queries.append(scope.get("query_string", b"").decode())
        await self.app(scope, receive, send)


@pytest.fixture
def mock(monkeypatch) -> Recorder:
    """One mock app for the whole test (its data sits around the real now, so --since 24h works)."""
    return mounted(monkeypatch, create_app(seed=7, executions=400,
                                           clock=FakeClock(int(time.time() * 1000))))


def mounted(monkeypatch, app: Any) -> Recorder:
    """``app`` (a mock ASGI app) answers every ``--mock`` call of the test, recorded."""
    recorder = Recorder(app)
    monkeypatch.setattr(connect, "new_mock_app", lambda *a, _app=recorder, **k: _app)
    return recorder


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: Any = None
    lines: list[str] = field(default_factory=list)

    @property
    def err_lines(self) -> list[str]:
        """stderr's non-blank lines."""
        return [line for line in self.stderr.splitlines() if line.strip()]


@pytest.fixture
def cli():
    """``cli("search", "--mock", input=...)`` -> Run(exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Run:
        result = runner.invoke(app, list(args), input=input, env=env, prog_name="meshdeck")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"uncaught {type(result.exception).__name__}: {result.exception}\n"
                                 f"stderr: {result.stderr}") from result.exception
        return Run(result.exit_code, result.stdout, result.stderr, result.exception,
                   result.stdout.splitlines())

    return invoke


def ids_with(store, status: str, n: int | None = None) -> list[str]:
    """Process ids (newest first) with ``status`` in the store."""
    found = [str(pid) for pid in sorted(store.processes, reverse=True)
             if store.processes[pid]["status"] == status]
    return found if n is None else found[:n]


def status_of(store, pid: str | int) -> str:
    return store.processes[int(pid)]["status"]
