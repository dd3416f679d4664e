"""Fixtures for the Conductor backend: the Conductor-dialect mock, in process and over HTTP."""

from __future__ import annotations

import time

import pytest

from console.mock.app import create_app
from console.mock.clock import FakeClock
from console.mock.conductor_app import create_conductor_app
from tests.served import mock_server
from tests.cli.conftest import cli, isolated_config, mounted  # noqa: F401 - shared fixtures


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
    recorder = mounted(monkeypatch, app)
    recorder.dialect = request.param
    return recorder, ["--backend", request.param]


@pytest.fixture(scope="module")
def conductor_server():
    """``meshdeck mock serve --dialect conductor`` in a subprocess on a free port; yields the
    API base URL."""
    with mock_server("--dialect", "conductor", "--executions", "300") as port:
        yield f"http://127.0.0.1:{port}/api"
