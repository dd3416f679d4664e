"""Contract: search with every filter, and the search services built on it, over both transports.

Each expectation is computed from the mock's store at the time of the test (an independent,
plain-Python oracle over the processes), so it stays right whatever other tests changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from console.models import SearchQuery
from console.services import search as svc

from .conftest import pick

DAY_MS = 86_400_000


def expected(store, pred: Callable[[dict], bool] = lambda p: True, start: int = 0,
             end: int | None = None) -> list[int]:
    """Matching ids in the time window, newest first (the mock's order)."""
    ids = [pid for pid, p in store.processes.items()
           if p["created"] >= start and (end is None or p["created"] <= end) and pred(p)]
    return sorted(ids, key=lambda pid: (store.processes[pid]["created"], pid), reverse=True)


def step_facts(store) -> dict[tuple, tuple[set[str], set[str]]]:
    """(namespace, name, version) -> (step names, step refs) from the public definitions."""
    facts = {}
    for (ns, name), versions in store.definitions.items():
        for v in versions:
            walked = [s for top in store.definition(ns, name, v)["steps"] for s in _walk(top)]
            facts[(ns, name, v)] = ({s["name"] for s in walked}, {s["ref"] for s in walked})
    return facts


def _walk(step: dict):
    yield step
    for child in step.get("children") or []:
        yield from _walk(child)


def _key(p: dict) -> tuple:
    return (p["namespace"], p["name"], p["version"])


def _tag(p: dict, name: str, value: str | None = None) -> bool:
    return any(t["name"] == name and (value is None or t["value"] == value) for t in p["tags"])


def _text(p: dict) -> str:
    return " ".join([p["name"], p["namespace"], str(p["processId"]), str(p["correlationId"]),
                     str(p["requestId"]), json.dumps(p["input"]), json.dumps(p["output"])]).lower()


def _newest_email(store) -> str:
    pid = pick(store, pred=lambda p: isinstance(p["input"].get("customer"), dict))[0]
    return store.processes[pid]["input"]["customer"]["email"]


# Each case: store -> (SearchQuery fields, oracle predicate).
CASES: dict[str, Callable] = {
    "namespace": lambda s: ({"namespace": "payments"}, lambda p: p["namespace"] == "payments"),
    "process_types": lambda s: ({"process_types": ["INTERNAL", "DYNAMIC"]},
                                lambda p: p["processType"] in ("INTERNAL", "DYNAMIC")),
    "trigger_types": lambda s: ({"trigger_types": ["WEBHOOK", "MANUAL"]},
                                lambda p: p["triggerType"] in ("WEBHOOK", "MANUAL")),
    "names": lambda s: ({"names": ["charge_card", "send_email"]},
                        lambda p: p["name"] in ("charge_card", "send_email")),
    "statuses": lambda s: ({"statuses": ["FAILED", "TIMED_OUT"]},
                           lambda p: p["status"] in ("FAILED", "TIMED_OUT")),
    "statuses_sdk_form": lambda s: ({"statuses": ["ProcessStatus.CANCELLED"]},
                                    lambda p: p["status"] == "CANCELLED"),
    "step_names": lambda s: (lambda f: ({"step_names": ["ledger-writer"]},
                                        lambda p: "ledger-writer" in f[_key(p)][0]))(step_facts(s)),
    "step_refs": lambda s: (lambda f: ({"step_refs": ["fraud_check", "print_label"]},
                                       lambda p: bool({"fraud_check", "print_label"} & f[_key(p)][1])
                                       ))(step_facts(s)),
    "process_ids": lambda s: (lambda ids: ({"process_ids": [str(i) for i in ids] + ["12345"]},
                                           lambda p: p["processId"] in ids))(
        set(sorted(s.processes)[100:103]) | {max(s.processes)}),
    "correlation_ids": lambda s: (lambda cs: ({"correlation_ids": sorted(cs)},
                                              lambda p: p["correlationId"] in cs))(
        {s.processes[pid]["correlationId"] for pid in pick(s, 2, pred=lambda p: p["correlationId"])}),
    "request_ids": lambda s: (lambda rs: ({"request_ids": sorted(rs)},
                                          lambda p: p["requestId"] in rs))(
        {s.processes[pid]["requestId"] for pid in sorted(s.processes)[10:13]}),
    "tags_name_value": lambda s: ({"tags": ["priority:high"]}, lambda p: _tag(p, "priority", "high")),
    "tags_any_of": lambda s: ({"tags": ["region=eu-west-1", "priority:high"]},
                              lambda p: _tag(p, "region", "eu-west-1") or _tag(p, "priority", "high")),
    "tags_name_only": lambda s: ({"tags": ["priority"]}, lambda p: _tag(p, "priority")),
    "full_text": lambda s: (lambda q: ({"full_text_search_query": q.upper()},
                                       lambda p: q.lower() in _text(p)))(_newest_email(s)),
    "full_text_name": lambda s: ({"full_text_search_query": "Refund"},
                                 lambda p: "refund" in _text(p)),
    "combined": lambda s: ({"namespace": "orders", "statuses": ["COMPLETED"],
                            "trigger_types": ["API"]},
                           lambda p: p["namespace"] == "orders" and p["status"] == "COMPLETED"
                           and p["triggerType"] == "API"),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_every_filter_returns_exactly_the_matching_processes(env, case):
    fields, pred = CASES[case](env.store)
    want = expected(env.store, pred)
    assert 0 < len(want) < len(env.store.processes), f"{case}: the seed gives no useful test"
    rows = await env.backend.search(SearchQuery(start_time_epoch=0, limit=len(want) + 5, **fields))
    assert [p.process_id for p in rows] == want
    assert all(p.step_records == [] for p in rows)


async def test_time_window_bounds_are_inclusive(env):
    ordered = sorted(env.store.processes)
    start = env.store.processes[ordered[300]]["created"]
    end = env.store.processes[ordered[500]]["created"]
    want = expected(env.store, start=start, end=end)
    rows = await env.backend.search(SearchQuery(start_time_epoch=start, end_time_epoch=end,
                                                limit=1000))
    assert [p.process_id for p in rows] == want
    assert ordered[300] in want and ordered[500] in want
    assert all(start <= p.created <= end for p in rows)


async def test_without_a_start_the_window_is_the_last_24_hours(env):
    now = env.clock()
    want = expected(env.store, start=now - DAY_MS)
    assert 0 < len(want) < len(env.store.processes)
    rows = await env.backend.search(SearchQuery(limit=len(want) + 50))
    assert [p.process_id for p in rows] == want


async def test_results_come_newest_first(env):
    rows = await env.backend.search(SearchQuery(start_time_epoch=0, limit=500))
    created = [p.created for p in rows]
    assert len(rows) == 500 and created == sorted(created, reverse=True)
    assert rows[0].process_id == expected(env.store)[0]


async def test_limit_and_offset_page_through_without_gaps_or_repeats(env):
    q = SearchQuery(start_time_epoch=0, namespace="orders")
    want = expected(env.store, lambda p: p["namespace"] == "orders")
    pages = [await env.backend.search(q.page(offset, 7)) for offset in range(0, 35, 7)]
    assert all(len(page) == 7 for page in pages)
    assert [p.process_id for page in pages for p in page] == want[:35]
    tail = await env.backend.search(q.page(len(want) - 3, 10))
    assert [p.process_id for p in tail] == want[-3:]
    assert await env.backend.search(q.page(len(want), 10)) == []


async def test_default_limit_is_ten(env):
    rows = await env.backend.search(SearchQuery(start_time_epoch=0, limit=10))
    assert len(rows) == 10


# ---- services.search ---------------------------------------------------------------------------

FAILED = SearchQuery(start_time_epoch=0, statuses=["FAILED"])


def _failed(p: dict) -> bool:
    return p["status"] == "FAILED"


async def test_fetch_page_says_whether_more_exist(env):
    want = expected(env.store, _failed)
    first = await svc.fetch_page(env.backend, FAILED.page(0, 10))
    assert [p.process_id for p in first.rows] == want[:10] and first.has_more
    last = await svc.fetch_page(env.backend, FAILED.page(len(want) - 4, 10))
    assert [p.process_id for p in last.rows] == want[-4:] and not last.has_more
    exact = await svc.fetch_page(env.backend, FAILED.page(len(want) - 10, 10))
    assert len(exact.rows) == 10 and not exact.has_more


async def test_count_matches_pages_and_caps(env):
    want = expected(env.store, _failed)
    count = await svc.count_matches(env.backend, FAILED)
    assert count.value == len(want) and not count.capped
    capped = await svc.count_matches(env.backend, FAILED, cap=5)
    assert (capped.value, capped.capped, str(capped)) == (5, True, "5+")


async def test_collect_ids_newest_first_with_cap(env):
    want = [str(pid) for pid in expected(env.store, _failed)]
    ids, cut = await svc.collect_ids(env.backend, FAILED)
    assert ids == want and not cut
    ids, cut = await svc.collect_ids(env.backend, FAILED, cap=len(want) - 1)
    assert ids == want[:-1] and cut
    ids, cut = await svc.collect_ids(env.backend, FAILED, cap=len(want))
    assert ids == want and not cut


async def test_count_by_status_counts_each_status_in_turn(env):
    """The executions screen's status facets: one count per status (the query's own status
    filter replaced), each heard as soon as it is known; a capped part caps the total."""
    statuses = ["FAILED", "COMPLETED", "RUNNING"]
    heard: list[tuple[str, int]] = []
    counts = await svc.count_by_status(env.backend, FAILED, statuses,
                                       on_count=lambda s, c: heard.append((s, c.value)))
    for status in statuses:
        want = expected(env.store, lambda p, s=status: p["status"] == s)
        assert (counts[status].value, counts[status].capped) == (len(want), False)
    assert heard == [(s, counts[s].value) for s in statuses]
    total = svc.total_count(counts, ["FAILED", "RUNNING", "NOT_COUNTED"])
    assert (total.value, total.capped) == (counts["FAILED"].value + counts["RUNNING"].value,
                                           False)
    capped = await svc.count_by_status(env.backend, FAILED, ["COMPLETED", "FAILED"], cap=3)
    assert [(c.value, c.capped) for c in capped.values()] == [(3, True), (3, True)]
    assert str(svc.total_count(capped, ["COMPLETED", "FAILED"])) == "6+"


async def test_count_exactly_tallies_every_status_with_no_cap(env):
    """The "#" count: every match of the window per status, past any cap; a status filter on
    the query does not narrow it (the facets count every status)."""
    query = SearchQuery(start_time_epoch=0, statuses=["FAILED"])
    counts = await svc.count_exactly(env.backend, query, ["FAILED", "RUNNING", "PAUSED"])
    for status in ("FAILED", "RUNNING", "PAUSED"):
        want = expected(env.store, lambda p, s=status: p["status"] == s)
        assert (counts[status].value, counts[status].capped) == (len(want), False)
    assert sum(c.value for c in counts.values()) == len(expected(env.store))
    assert svc.Count(7000, True).words == "at least 7,000"
    assert svc.Count(9172, False).words == "9,172"


async def test_collect_statuses_gives_each_id_its_status_with_cap(env):
    want = expected(env.store, lambda p: p["status"] in ("FAILED", "RUNNING"))
    query = SearchQuery(start_time_epoch=0, statuses=["FAILED", "RUNNING"])
    found, cut = await svc.collect_statuses(env.backend, query)
    assert list(found) == [str(pid) for pid in want] and not cut
    assert found == {str(pid): env.store.processes[pid]["status"] for pid in want}
    found, cut = await svc.collect_statuses(env.backend, query, cap=len(want) - 1)
    assert list(found) == [str(pid) for pid in want[:-1]] and cut


async def test_iter_pages_walks_every_match_in_pages(env):
    want = expected(env.store, _failed)
    pages = [page async for page in svc.iter_pages(env.backend, FAILED, page_size=17)]
    assert all(len(page) <= 17 for page in pages) and len(pages) == -(-len(want) // 17)
    assert [p.process_id for page in pages for p in page] == want
    capped = [page async for page in svc.iter_pages(env.backend, FAILED, page_size=17,
                                                    max_rows=40)]
    assert [len(page) for page in capped] == [17, 17, 6]
    assert [p.process_id for page in capped for p in page] == want[:40]
