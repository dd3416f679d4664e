"""Contract: the status of many ids (``console.services.lookup``) comes from searches by id, a
chunk of ids per request, and from GETs only for what a search did not answer; over both
transports. Expectations are read from the mock's store when the test runs."""

from __future__ import annotations

from console import errors
from console.models import ProcessSummary, SearchQuery
from console.services.actions import plan
from console.services.lookup import look_up

from .conftest import pick


def counting(backend):
    """Count the backend's searches by id and GETs (the instance's methods, wrapped)."""
    calls = {"search_by_ids": 0, "get_process": 0}
    for name in calls:
        original = getattr(backend, name)

        async def wrapped(*args, _original=original, _name=name, **kwargs):
            calls[_name] += 1
            return await _original(*args, **kwargs)

        setattr(backend, name, wrapped)
    return calls


async def test_statuses_of_many_ids_come_a_chunk_per_search(env):
    ids = [str(pid) for pid in sorted(env.store.processes)[:600]]  # old ones: beyond 24 hours
    env.backend.IDS_PER_SEARCH = 250
    calls = counting(env.backend)
    heard = []
    found = await look_up(env.backend, ids, on_progress=lambda done, total: heard.append(done))
    assert [f.id for f in found] == ids
    assert all(isinstance(f.process, ProcessSummary) for f in found)
    assert {f.id: f.process.status for f in found} == {
        pid: env.store.processes[int(pid)]["status"] for pid in ids}
    assert calls == {"search_by_ids": 3, "get_process": 0}
    assert heard[-1] == 600 and heard == sorted(heard)


async def test_ids_a_search_does_not_answer_are_read_one_get_each(env):
    [real] = pick(env.store, 1, status="FAILED")
    calls = counting(env.backend)
    found = await look_up(env.backend, [str(real), "999", "1"])
    assert calls == {"search_by_ids": 1, "get_process": 2}
    assert found[0].process.status == "FAILED"
    assert all(isinstance(f.error, errors.NotFound) for f in found[1:])


async def test_a_server_that_ignores_the_ids_filter_is_answered_by_gets(env):
    ids = [str(pid) for pid in sorted(env.store.processes)[:5]]
    env.backend.IDS_PER_SEARCH, env.backend.concurrency = 2, 1

    async def ignoring(chunk):  # the newest executions, whatever was asked
        return await env.backend.search_summaries(SearchQuery(start_time_epoch=0, limit=2))

    env.backend.search_by_ids = ignoring
    calls = counting(env.backend)
    found = await look_up(env.backend, ids)
    assert calls["search_by_ids"] == 1 and calls["get_process"] == 5  # one search told it
    assert [f.process.status for f in found] == [
        env.store.processes[int(pid)]["status"] for pid in ids]


async def test_the_dry_run_plan_reads_statuses_through_the_lookup(env):
    failed = pick(env.store, 2, status="FAILED")
    [done] = pick(env.store, 1, status="COMPLETED")
    calls = counting(env.backend)
    items = await plan(env.backend, "resume", [str(p) for p in failed] + [str(done), "999"])
    assert [(i.status, i.applies) for i in items] == [
        ("FAILED", True), ("FAILED", True), ("COMPLETED", False), (None, False)]
    assert items[0].name == env.store.processes[failed[0]]["name"]
    assert items[3].note == "not found"
    assert calls == {"search_by_ids": 1, "get_process": 1}


async def test_an_unreachable_server_is_not_asked_once_per_id(env, connect):
    from .conftest import closed_port, settings
    from console.connect import open_backend

    backend = open_backend(settings("http://127.0.0.1", closed_port()))
    backend.http.retries = 0
    calls = counting(backend)
    try:
        found = await look_up(backend, ["1000001", "1000002"])
    finally:
        await backend.aclose()
    assert calls == {"search_by_ids": 1, "get_process": 0}
    assert all(isinstance(f.error, errors.Unreachable) for f in found)
