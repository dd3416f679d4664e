"""The composition root: the one place that knows which concrete backend, and whether the
embedded mock, is used. The CLI and the tests open backends here; nothing else does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from console.backends import registry
from console.backends.base import Backend
from console.backends.http import RequestHook


def new_mock_app(kind: str | None = None, **options: Any) -> Any:
    """A new embedded mock server (an ASGI app) speaking ``kind``'s dialect; ``options`` go to
    its factory (``seed``, ``executions``, ``clock``, ``faults``, ``require_auth``)."""
    return registry.kind(kind).mock_factory()(**options)


def mock_transport(seed: int = 7, executions: int = 5000,
                   clock: Callable[[], int] | None = None, dialect: str = "unmeshed"):
    """An in-process transport to a new embedded mock server (no socket, no port), and the app."""
    import httpx

    app = new_mock_app(dialect, seed=seed, executions=executions, clock=clock)
    return httpx.ASGITransport(app=app), app


def open_backend(settings: Any, *, mock: bool = False, mock_app: Any = None,
                 on_request: RequestHook | None = None, verify: bool = True) -> Backend:
    """Open the backend ``settings`` describes (a ``console.config.Settings``; its ``backend``
    names the kind).

    ``mock=True`` mounts a new embedded mock in process; ``mock_app`` mounts a given one
    instead (tests hand one in to inspect its store afterwards; it must speak the kind's
    dialect)."""
    kind = registry.kind(settings.backend)
    options: dict[str, Any] = {"verify": verify, "on_request": on_request}
    place: dict[str, Any] = {}
    if mock or mock_app is not None:
        import httpx

        app = mock_app if mock_app is not None else new_mock_app(kind.name)
        options["transport"] = httpx.ASGITransport(app=app)
        place = {"base_url": kind.mock_base_url, "port": None}
    return kind.client_class().from_settings(settings, **place, **options)
