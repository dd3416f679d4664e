"""Failure groups (console.services.failures): the normaliser, the buckets and sparkline, the
grouping, and the whole service against the mock over the backend contract."""

from __future__ import annotations

import string
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.connect import open_backend
from console.mock.app import create_app
from console.mock.clock import FROZEN_NOW_MS, FakeClock
from console.models import ProcessData, SearchQuery, StepData
from console.services import failures
from console.services.failures import (
    buckets_of,
    failure_groups,
    failures_query,
    group_failures,
    normalise,
    sparkline,
)
from tests.contract.conftest import settings as client_settings

# ---- the normaliser --------------------------------------------------------------------------

WORDS = st.text(string.ascii_letters + " :()[]/=", min_size=0, max_size=12)
#: Everything that must fold to the same placeholder wherever it appears in a message.
IDS = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(str),
    st.uuids().map(str),
    st.integers(min_value=16**7, max_value=16**12).map(lambda n: f"{n:x}5"),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"ord_{n}"),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"SKU-{n}"),
    st.integers(min_value=0, max_value=2**32).map(hex),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda f: f"{f:.2f}"),
    st.integers(min_value=1, max_value=9999).map(lambda n: f"{n}ms"),
)


@given(st.lists(WORDS, min_size=2, max_size=5), st.data())
@settings(max_examples=300, deadline=None)
def test_numbers_and_ids_never_split_a_group(words, data):
    """Two messages from one template, their slots filled with any ids, normalise the same."""
    def fill() -> str:
        return " ".join(f"{w} {data.draw(IDS)}" for w in words)

    assert normalise(fill()) == normalise(fill())


@given(st.lists(WORDS, min_size=1, max_size=4), st.lists(IDS, min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_a_normalised_message_holds_no_digits(words, ids):
    message = " ".join(f"{w} {i}" for w, i in zip(words, ids, strict=False))
    assert not any(c.isdigit() for c in normalise(message))


@pytest.mark.parametrize(("one", "other"), [
    ("order 123 timed out", "order 456 timed out"),
    ("order 123 timed out.", "order ab-77 timed out."),
    (f"job {uuid.uuid4()} failed", f"job {uuid.uuid4()} failed"),
    ("at 2026-11-25T08:00:00Z: 503", "at 2026-11-26T09:30:12.123+01:00: 502"),
    ("at 08:00:01 retry", "at 23:59:59 retry"),
    ("KeyError: 'customerId'", "KeyError: 'orderId'"),
    ('field "amount" must be positive', 'field "total" must be positive'),
    ("user bob@example.com not found", "user alice.b@corp.example.org not found"),
    ("crashed at 0x7ffe1234", "crashed at 0xdeadbeef"),
    ("order 1\n  at line 12\n  at line 40", "order 2\n  at line 99"),
])
def test_the_same_error_in_other_words_is_one_group(one, other):
    assert normalise(one) == normalise(other)


@pytest.mark.parametrize(("one", "other"), [
    ("order 123 timed out", "order 123 was refused"),
    ("HTTP 502 from stripe: upstream reset", "HTTP 502 from adyen: upstream reset"),
    ("KeyError: 'x' missing", "ValueError: 'x' missing"),
])
def test_different_errors_stay_apart(one, other):
    assert normalise(one) != normalise(other)


def test_normalise_reads_well_and_keeps_words():
    assert normalise("order 123 timed out after 30s.") == "order # timed out after #."
    assert normalise("  can't   reach   gateway  ") == "can't reach gateway"
    assert normalise(None) == normalise("") == normalise("\n  \n") == failures.NO_MESSAGE
    assert len(normalise("x" * 5000)) == failures.MESSAGE_LIMIT


# ---- buckets and sparkline ---------------------------------------------------------------------

def test_buckets_cover_the_window_and_clamp_what_is_outside():
    assert buckets_of([0, 9, 10, 99, 100, -5, 500], 0, 100, 10) == [3, 1, 0, 0, 0, 0, 0, 0, 0, 3]
    assert buckets_of([], 0, 100, 4) == [0, 0, 0, 0]
    assert buckets_of([5, 5], 10, 10, 3) == [2, 0, 0]  # an empty window: the first bucket


def test_sparkline_scales_to_the_largest_and_keeps_one_apart_from_zero():
    assert sparkline([0, 1, 4, 8]) == "▁▂▅█"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([1, 0, 1]) == "█▁█"
    assert sparkline([]) == ""
    line = sparkline([0, 1, 100])
    assert line[0] == "▁" and line[1] != "▁" and line[2] == "█"


# ---- grouping ------------------------------------------------------------------------------------

def failed(pid: int, name: str, ref: str | None, error: str, at: int, status: str = "FAILED"
           ) -> ProcessData:
    steps = [StepData(id=pid * 10, ref="start", name="start", status="COMPLETED", updated=at - 5)]
    if ref is not None:
        steps.append(StepData(id=pid * 10 + 1, ref=ref, name=f"{ref}-worker", status=status,
                              output={"error": error}, updated=at))
    return ProcessData(process_id=pid, namespace="shop", name=name, status=status,
                       created=at - 100, updated=at + 1, step_records=steps,
                       output={"error": error} if ref is None else {})


def test_groups_by_process_step_and_error_shape_most_first():
    rows = [failed(9, "checkout", "charge", "order 9 timed out", 900),
            failed(8, "checkout", "charge", "order 8 timed out", 800, status="TIMED_OUT"),
            failed(7, "checkout", "charge", "card 7 declined", 700),
            failed(6, "checkout", "ship", "order 6 timed out", 600),
            failed(5, "refund", "charge", "order 5 timed out", 500),
            failed(4, "checkout", None, "process deadline 4 exceeded", 400),
            failed(3, "checkout", "charge", "order 3 timed out", 300)]
    groups = group_failures(rows, 0, 1000, buckets=10)
    first = groups[0]
    assert (first.process, first.step, first.error) == (
        "shop/checkout", "charge (charge-worker)", "order # timed out")
    assert (first.count, first.ids) == (3, ["9", "8", "3"])
    assert (first.first_seen_ms, first.last_seen_ms) == (300, 900)
    assert first.series == [0, 0, 0, 1, 0, 0, 0, 0, 1, 1]
    assert first.statuses == {"FAILED": 2, "TIMED_OUT": 1}
    assert first.sample == "order 9 timed out"  # the newest member's own words
    assert sum(g.count for g in groups) == len(rows) and len(groups) == 5
    no_step = next(g for g in groups if g.step_ref is None)
    assert no_step.step == failures.NO_STEP and no_step.error == "process deadline # exceeded"


def test_failures_query_keeps_only_failure_statuses():
    assert failures_query(SearchQuery()).statuses == ["FAILED", "TIMED_OUT"]
    assert failures_query(SearchQuery(statuses=["TIMED_OUT", "RUNNING"])).statuses == ["TIMED_OUT"]
    with pytest.raises(ValueError, match="FAILED and TIMED_OUT"):
        failures_query(SearchQuery(statuses=["COMPLETED"]))


# ---- the service against the mock ----------------------------------------------------------------

@pytest.fixture
def mock_backend():
    app = create_app(seed=7, executions=600, clock=FakeClock(FROZEN_NOW_MS))
    backend = open_backend(client_settings(), mock_app=app)
    yield backend, app.state.store


def _failures_in(store, since: int) -> list[str]:
    return [str(pid) for pid, p in store.processes.items()
            if p["status"] in ("FAILED", "TIMED_OUT") and p["created"] >= since]


async def test_every_failure_lands_in_exactly_one_group(mock_backend):
    backend, store = mock_backend
    since = FROZEN_NOW_MS - 7 * 86_400_000
    seen: list[tuple[int, int]] = []
    report = await failure_groups(backend, SearchQuery(start_time_epoch=since),
                                  now_ms=FROZEN_NOW_MS, on_progress=lambda a, b: seen.append((a, b)))
    expected = _failures_in(store, since)
    grouped = [pid for g in report.groups for pid in g.ids]
    assert sorted(grouped) == sorted(expected) and len(grouped) == len(set(grouped))
    assert not report.capped and report.summary().startswith(f"grouped all {len(expected):,}")
    assert seen[-1] == (len(expected), len(expected))
    for group in report.groups:
        assert sum(group.series) == group.count == len(group.ids)
        for pid in group.ids:
            assert store.processes[int(pid)]["name"] == group.name
    await backend.aclose()


async def test_a_cap_is_stated_with_the_total(mock_backend):
    backend, store = mock_backend
    since = FROZEN_NOW_MS - 7 * 86_400_000
    report = await failure_groups(backend, SearchQuery(start_time_epoch=since), cap=10,
                                  now_ms=FROZEN_NOW_MS)
    total = len(_failures_in(store, since))
    assert report.capped and report.grouped == 10 and report.matched.value == total
    assert report.summary().startswith(f"grouped the newest 10 of {total:,} failures")
    newest = sorted(_failures_in(store, since), key=int, reverse=True)[:10]
    assert sorted(pid for g in report.groups for pid in g.ids) == sorted(newest)
    with pytest.raises(ValueError, match="between 1 and"):
        await failure_groups(backend, SearchQuery(), cap=0)
    await backend.aclose()


async def test_unreadable_and_no_longer_failed_ones_are_said_not_grouped(mock_backend):
    from console import errors
    from console.outcomes import Fetched

    backend, store = mock_backend
    since = FROZEN_NOW_MS - 7 * 86_400_000
    ids = sorted(_failures_in(store, since), key=int, reverse=True)
    real_get_many = backend.get_many

    async def get_many(batch, include_steps=False):
        store.processes[int(ids[0])]["status"] = "RUNNING"  # resumed after the search
        found = await real_get_many(batch, include_steps)
        return [Fetched(f.id, error=errors.ServerError("boom", status=500)) if f.id == ids[1]
                else f for f in found]

    backend.get_many = get_many
    report = await failure_groups(backend, SearchQuery(start_time_epoch=since,
                                                       statuses=["FAILED", "TIMED_OUT"]),
                                  now_ms=FROZEN_NOW_MS)
    grouped = {pid for g in report.groups for pid in g.ids}
    assert ids[0] not in grouped and report.changed == [ids[0]]
    assert ids[1] not in grouped and [pid for pid, _ in report.unread] == [ids[1]]
    assert report.grouped == len(ids) - 2 == len(grouped)
    summary = report.summary()
    assert "left out: 1 that could not be read" in summary and "boom" in summary
    assert "left out: 1 no longer FAILED or TIMED_OUT" in summary
    await backend.aclose()
