"""Shared fixtures for TUI tests (pilot and snapshot).

- ``isolated_config`` (autouse): the config file and the data dir are temp paths, no ``UNMESHED_*`` or
  ``MESHDECK_PROFILE`` leaks in from the developer's shell, the cursor does not blink (stable
  snapshots), and "now" for the app is frozen.
- ``clock``: a ``FakeClock`` at ``FROZEN_NOW_MS`` (2026-11-25T12:00:00Z) shared by the mock
  server and the app, so relative times ("5m ago") are stable; ``clock.advance(s)`` moves both.
- ``make_app(executions=..., seed=7, read_only=False, banner=None, backend=None, settings=None,
  mock=False)``: a ``MeshdeckApp`` over an in-process mock (``mock=True``: opened as ``--mock``) (``create_app(seed, executions, clock)``). The mock
  app is kept on ``app.mock_app`` (``app.mock_app.state.store`` to check what an action did).
- ``wait_idle(pilot)``: let workers finish and the screen settle. Do not call
  ``app.workers.wait_for_complete()`` while a confirm modal is open: the action flow is a worker
  waiting for the user, so it never completes; ``wait_idle`` knows that.

Usage::

    async def test_something(make_app, wait_idle):
        app = make_app(executions=200)
        async with app.run_test(size=(140, 40)) as pilot:
            await wait_idle(pilot)
            ...

Snapshot tests: ``snap_compare(make_app(...), terminal_size=(140, 40), run_before=...)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from console.mock.clock import FROZEN_NOW_MS, FakeClock

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """No real config, no credentials from the environment, no blinking cursor."""
    monkeypatch.setenv("MESHDECK_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("MESHDECK_DATA_DIR", str(tmp_path / "data"))  # API call history
    for name in list(os.environ):
        if name.startswith("UNMESHED_") or name == "MESHDECK_PROFILE":
            monkeypatch.delenv(name, raising=False)
    from textual.widgets import Input, TextArea

    # The reactive's default decides whether a new Input/TextArea blinks; off for snapshots.
    monkeypatch.setattr(Input.cursor_blink, "_default", False)
    monkeypatch.setattr(TextArea.cursor_blink, "_default", False)
    return tmp_path / "config.toml"


@pytest.fixture
def clock() -> FakeClock:
    """One frozen, controllable clock for the mock server and the app."""
    return FakeClock(FROZEN_NOW_MS)


def make_settings(*, read_only: bool = False, banner: str | None = None,
                  base_url: str | None = None, port: int | None = None, **extra: Any):
    """Settings as ``--read-only``/``--banner`` flags would give them (no file, no env)."""
    from console.config import load_settings

    overrides = {"client_id": "meshdeck-test", "token": "test-token",
                 "read_only": True if read_only else None, "banner": banner,
                 "base_url": base_url, "port": port, **extra}
    return load_settings(overrides=overrides)


@pytest.fixture
def make_app(clock) -> Callable[..., Any]:
    """Factory: ``make_app(executions=300)`` -> MeshdeckApp over a seeded in-process mock."""

    def factory(*, executions: int = 300, seed: int = 7, read_only: bool = False,
                banner: str | None = None, backend: Any = None, settings: Any = None,
                theme: str | None = None, mock: bool = False):
        from console.connect import open_backend
        from console.mock.app import create_app
        from console.tui.app import MeshdeckApp

        settings = settings or make_settings(read_only=read_only, banner=banner)
        mock_app = create_app(seed=seed, executions=executions, clock=clock)
        backend = backend or open_backend(settings, mock_app=mock_app)
        app = MeshdeckApp(backend, settings, clock=clock, theme=theme, mock=mock)
        app.mock_app = mock_app
        return app

    return factory


@pytest.fixture
def wait_idle() -> Callable[..., Any]:
    """``await wait_idle(pilot)``: workers done, messages processed, screen refreshed."""
    from tests.tui.scenarios import settle

    return settle


@pytest.fixture
def opened(make_app, wait_idle) -> Callable[..., Any]:
    """``async with opened(executions=300) as (pilot, screen):`` the app running at ``SIZE``
    with its executions screen loaded (``pilot.app`` is the app)."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def run(*, executions: int = 300, size: tuple[int, int] = SIZE, **options: Any):
        app = make_app(executions=executions, **options)
        async with app.run_test(size=size) as pilot:
            await wait_idle(pilot)
            yield pilot, app.screen

    return run
