"""The client's promises under faults (GETs retried, POSTs never), and bulk actions whose per-id
results match the server's store exactly: nothing reported done that was not, nothing done twice,
and an interrupted run says which ids were done and which were not sent."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter

import httpx
import pytest

from console import errors
from console.backends.unmeshed import UnmeshedClient
from console.mock.app import create_app
from console.services.actions import run_action
from tests.reliability.conftest import TOKEN, ids_with, make_mock


def client(app, **kw) -> UnmeshedClient:
    kw.setdefault("backoff", 0.001)
    return UnmeshedClient("http://mock", None, "rel", TOKEN, transport=httpx.ASGITransport(app=app),
                          **kw)


def run(coro):
    return asyncio.run(coro)


async def _get(app, pid, **kw):
    async with client(app, **kw) as c:
        return await c.get_process(pid)


def test_get_retried_on_503_then_succeeds():
    app = create_app(executions=50, faults="fail_first=2,errors=503")
    assert run(_get(app, 1000001)).process_id == 1000001
    assert app.state.faults.seen(method="GET") == 3  # two 503s, then the answer


@pytest.mark.parametrize("spec, seen, error", [
    ("error_rate=1,errors=503", 4, errors.ServerError),   # 1 + 3 retries, then give up
    ("error_rate=1,errors=502,html_errors", 4, errors.ServerError),
    ("error_rate=1,errors=500", 1, errors.ServerError),   # a 500 is the server's word: no retry
    ("reset_rate=1", 4, errors.Unreachable),
    ("truncate_rate=1", 1, errors.BadResponse),
    ("unauthorized_after=0", 1, errors.Unauthorized),
])
def test_get_gives_up_cleanly(spec, seen, error):
    app = create_app(executions=50, faults=spec)
    with pytest.raises(error) as caught:
        run(_get(app, 1000001))
    assert app.state.faults.seen(method="GET") == seen
    assert "\n" not in str(caught.value) and TOKEN not in str(caught.value)


@pytest.mark.parametrize("spec", ["error_rate=1,errors=503", "reset_rate=1", "truncate_rate=1"])
def test_post_is_never_sent_twice(spec):
    app = create_app(executions=200, faults=spec + ",only=POST")
    store = app.state.store
    pid = ids_with(store, "FAILED", 1)[0]

    async def act():
        async with client(app) as c:
            return await run_action(c, "review", [pid])

    outcome = run(act())
    assert app.state.faults.seen(method="POST") == 1
    changed = store.processes[int(pid)]["status"] == "REVIEWED"
    if spec.startswith("error_rate"):  # refused before the server acted: a known failure
        assert not changed and outcome.failed == [pid]
    else:  # the server acted, the answer was lost: unknown, never "failed" nor "done"
        assert changed and outcome.unknown == [pid] and not outcome.succeeded
        assert "may or may not" in outcome.stopped_by and "meshdeck get" in outcome.stopped_by


def test_post_that_times_out_is_not_resent_and_says_how_to_check():
    """Over real HTTP (in-process transports have no timeouts): the server is slower than the
    client's read timeout."""
    from tests.contract.conftest import ServedApp

    app = create_app(executions=200, faults="latency=800ms,only=POST")
    served = ServedApp(app)
    pid = ids_with(app.state.store, "FAILED", 1)[0]

    async def act():
        async with UnmeshedClient("http://127.0.0.1", served.port, "rel", "tok",
                                  timeout=0.3) as c:
            with pytest.raises(errors.OutcomeUnknown) as caught:
                await c.rerun(pid)
            return str(caught.value)

    try:
        text = run(act())
    finally:
        served.stop()
    assert app.state.faults.seen(method="POST") == 1
    assert "may or may not have taken effect" in text and "not sent again" in text
    assert "meshdeck get" in text


def counting(store):
    """Count, per id, every time the store really changed it (the server's own truth)."""
    counts: Counter[str] = Counter()
    real = store._action

    def action(ids, apply):
        result = real(ids, apply)
        for d in result["details"]:
            if not d.get("error"):
                counts[str(d["id"])] += 1
        return result

    store._action = action
    return counts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bulk_with_failures_mid_way_is_exact(seed):
    app = create_app(executions=600, faults=f"error_rate=0.25,reset_rate=0.2,truncate_rate=0.2,"
                                            f"only=POST,seed={seed}")
    store = app.state.store
    counts = counting(store)
    targets = ids_with(store, "FAILED", 50)
    assert len(targets) == 50
    before = {pid: store.processes[int(pid)]["status"] for pid in targets}

    async def act():
        async with client(app, chunk_size=7) as c:
            outcome = await run_action(c, "review", targets)
            # what a person does next: send again only what was not sent
            again = await run_action(c, "review", outcome.not_sent) if outcome.not_sent else None
            return outcome, again

    outcome, again = run(act())
    assert max(counts.values(), default=0) <= 1, "an id was acted on twice"
    for pid in outcome.succeeded:
        assert store.processes[int(pid)]["status"] == "REVIEWED" and counts[pid] == 1
    for pid in outcome.failed:  # reported failed: the server did not change it
        assert store.processes[int(pid)]["status"] == before[pid] and counts[pid] == 0
    for pid in outcome.not_sent:
        assert counts[pid] <= 1  # only by the second run, never by the first
    assert set(outcome.succeeded) | set(outcome.failed) | set(outcome.unknown) | \
        set(outcome.not_sent) == set(targets)
    assert outcome.stopped_by, "the plan should have broken this run somewhere"


def test_interrupted_between_chunks_reports_done_and_not_sent():
    app = make_mock(None, executions=600)
    store = app.state.store
    counts = counting(store)
    targets = ids_with(store, "FAILED", 30)

    def stop_after_two(done, total):
        if done >= 20:
            raise KeyboardInterrupt

    async def act(outcome):
        async with client(app, chunk_size=10) as c:
            await run_action(c, "review", targets, on_progress=stop_after_two, outcome=outcome)

    from console.outcomes import BulkOutcome

    outcome = BulkOutcome.start("review", targets)
    with pytest.raises(KeyboardInterrupt):
        run(act(outcome))
    assert outcome.succeeded == targets[:20] and outcome.not_sent == targets[20:]
    assert all(store.processes[int(p)]["status"] == "REVIEWED" for p in targets[:20])
    assert all(store.processes[int(p)]["status"] == "FAILED" for p in targets[20:])
    assert sum(counts.values()) == 20


def test_cli_ctrl_c_between_chunks(faulty, cli, monkeypatch):
    """Ctrl-C during chunk 2: it finishes, chunk 3 is never sent, and the report says so."""
    import console.connect

    app = faulty(None, executions=600)
    store = app.state.store
    targets = ids_with(store, "FAILED", 15)
    real_open = console.connect.open_backend

    def small_chunks(*args, **kwargs):
        backend = real_open(*args, **kwargs)
        backend.chunk_size = 5
        return backend

    monkeypatch.setattr(console.connect, "open_backend", small_chunks)
    real = store._action
    calls = []

    def action(ids, apply):
        calls.append(list(ids))
        if len(calls) == 2:
            signal.raise_signal(signal.SIGINT)  # the person presses Ctrl-C
        return real(ids, apply)

    store._action = action
    result = cli("--mock", "review", *targets, "--yes", "-o", "json")
    assert result.exit_code == 130
    assert "not sent" in result.stderr and "interrupted" in result.stderr
    import json

    rows = {r["id"]: r["result"] for r in json.loads(result.stdout)}
    assert [p for p in targets if rows[p] == "done"] == targets[:10]
    assert [p for p in targets if rows[p] == "not sent"] == targets[10:]
    assert [store.processes[int(p)]["status"] for p in targets[10:]] == ["FAILED"] * 5
    assert len(calls) == 2
