"""Contract-test fixtures: meshdeck's client against the mock, in process and over real HTTP.

- ``mock_apps``: one seeded mock app per transport, on a ``FakeClock``, built once per session.
- ``http_server``: a factory that serves any ASGI app with uvicorn on a free 127.0.0.1 port in a
  background thread (started once per app, stopped at the end of the session).
- ``env``: parametrised over ``asgi`` and ``http``; the client (``env.backend``, made by
  ``open_backend``) plus the mock's store and clock, so a test can check state on the server.
- ``connect``: a client for any other app (auth, broken servers) over the test's transport.

The apps live for the whole session, so tests that change state pick their processes from the
store at the time they run and compute what they expect from the store, never from constants.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from pydantic import SecretStr

from console.connect import open_backend
from console.backends.unmeshed import UnmeshedClient
from console.config import Settings
from console.mock.app import create_app
from console.mock.clock import FROZEN_NOW_MS, FakeClock

TRANSPORTS = ("asgi", "http")
SEED = 7
EXECUTIONS = 2000
CLIENT_ID = "contract-tests"
TOKEN = "contract-token"


def settings(base_url: str = "http://localhost", port: int | None = 8080,
             client_id: str = CLIENT_ID, token: str = TOKEN, timeout: float = 10.0) -> Settings:
    return Settings(profile=None, base_url=base_url, port=port, client_id=client_id,
                    token=SecretStr(token), namespace=None, read_only=False, theme=None,
                    banner=None, timeout=timeout)


def free_socket() -> socket.socket:
    """A listening-ready socket bound to a free 127.0.0.1 port (no race with other tests)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def closed_port() -> int:
    """A port nobody listens on: bound, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServedApp:
    """One ASGI app under uvicorn in a daemon thread."""

    def __init__(self, app: Any) -> None:
        self.sock = free_socket()
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name=f"uvicorn-{self.port}", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on port {self.port}")
            time.sleep(0.01)

    @property
    def base_url(self) -> str:
        return "http://127.0.0.1"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="session")
def http_server():
    """``http_server(app) -> ServedApp``: serves ``app`` once, however often it is asked for."""
    served: dict[int, ServedApp] = {}

    def serve(app: Any) -> ServedApp:
        key = id(app)
        if key not in served:
            served[key] = ServedApp(app)
        return served[key]

    yield serve
    for one in served.values():
        one.stop()


@pytest.fixture(scope="session")
def mock_apps() -> dict[str, Any]:
    """A separate seeded mock per transport, so each transport's tests see only their own changes."""
    return {kind: create_app(seed=SEED, executions=EXECUTIONS, clock=FakeClock(FROZEN_NOW_MS))
            for kind in TRANSPORTS}


@dataclass
class Env:
    """What a contract test needs: the client, and the server side to check state against."""

    kind: str
    app: Any
    backend: UnmeshedClient

    @property
    def store(self):
        return self.app.state.store

    @property
    def clock(self) -> FakeClock:
        return self.store.clock

    def status(self, pid: int | str) -> str:
        return self.store.processes[int(pid)]["status"]


def _client_for(kind: str, app: Any, http_server: Callable[[Any], ServedApp], **kw: Any
                ) -> UnmeshedClient:
    if kind == "asgi":
        return open_backend(settings(**kw), mock_app=app)  # type: ignore[return-value]
    served = http_server(app)
    return open_backend(settings(served.base_url, served.port, **kw))  # type: ignore[return-value]


@pytest.fixture(params=TRANSPORTS)
def transport(request) -> str:
    return request.param


@pytest.fixture
async def env(transport, mock_apps, http_server):
    app = mock_apps[transport]
    backend = _client_for(transport, app, http_server)
    try:
        yield Env(transport, app, backend)
    finally:
        await backend.aclose()


@pytest.fixture
async def connect(transport, http_server):
    """``connect(app, token=..., client_id=...) -> client`` over this test's transport."""
    opened: list[UnmeshedClient] = []

    def make(app: Any, **kw: Any) -> UnmeshedClient:
        client = _client_for(transport, app, http_server, **kw)
        opened.append(client)
        return client

    yield make
    await asyncio.gather(*(c.aclose() for c in opened))


# ---- picking processes from the store --------------------------------------------------------

def pick(store, n: int = 1, *, status: str | None = None,
         pred: Callable[[dict], bool] | None = None) -> list[int]:
    """The newest ``n`` process ids in the store that have ``status`` and satisfy ``pred``."""
    out = []
    for pid in sorted(store.processes, reverse=True):
        p = store.processes[pid]
        if status is not None and p["status"] != status:
            continue
        if pred is not None and not pred(p):
            continue
        out.append(pid)
        if len(out) == n:
            return out
    raise LookupError(f"the seed has fewer than {n} processes with status {status}")
