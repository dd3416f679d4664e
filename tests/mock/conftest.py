"""Fixtures for the mock backend tests: a small seeded app on a FakeClock, talked to over ASGI."""

from __future__ import annotations

import httpx
import pytest

from console.mock.app import create_app
from console.mock.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(clock):
    return create_app(seed=7, executions=3000, clock=clock)


@pytest.fixture
def store(app):
    return app.state.store


@pytest.fixture
async def client(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock") as c:
        yield c


def find(store, *, status=None, name=None, newest=True, pred=None):
    """First process id (newest first) matching the given facts, straight from the store."""
    ids = sorted(store.processes, reverse=newest)
    for pid in ids:
        p = store.processes[pid]
        if status and p["status"] != status:
            continue
        if name and p["name"] != name:
            continue
        if pred and not pred(p):
            continue
        return pid
    raise LookupError("no such process in the seed")
