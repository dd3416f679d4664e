"""Property: a bulk action selected by filters selects exactly what ``search`` with the same
filters returns, and an empty or blank filter value is a usage error that sends nothing.

For random filter combinations (names, statuses, namespace, since/until, text, correlation ids,
trigger, empty values too) against one mock through CliRunner: the ids the action's dry run
would send (``applies``) are a subset of ``search --all``'s ids; every id the dry run lists is
one search returns, and, with no status filter, exactly those of the statuses the action
applies to. Time is frozen for both, so a window's edge cannot move between the two runs.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from console.backends.unmeshed import UnmeshedClient

NAMES = ["charge_card", "create_order", "send_email", "refund_payment", "user_signup",
         "no_such_process"]
STATUSES = ["RUNNING", "COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED", "CANCELLED", "REVIEWED",
            "failed", "running"]
NAMESPACES = ["default", "orders", "payments", "identity", "nowhere"]
WHEN = ["15m", "2h", "1d", "3d", "8d"]
TEXT = ["card", "timeout", "gateway", "order", "zzz-nothing"]
BLANK = st.sampled_from(["", " ", ",", " , "])


@st.composite
def filters(draw, correlation_ids: list[str]):
    """Command-line filter arguments, and whether one of them was given an empty value."""
    args: list[str] = []
    for flag, values in (("--name", NAMES), ("--status", STATUSES)):
        picked = draw(st.lists(st.sampled_from(values), max_size=3, unique=True)
                      if draw(st.booleans()) else st.just([]))
        if picked and draw(st.booleans()):
            args += [flag, ",".join(picked)]  # comma separated
        else:
            for value in picked:
                args += [flag, value]  # repeated
    for flag, values in (("--namespace", NAMESPACES), ("--text", TEXT),
                         ("--correlation-id", correlation_ids), ("--trigger", ["API", "MANUAL"])):
        if draw(st.integers(0, 5)) == 0:
            args += [flag, draw(st.sampled_from(values))]
    since = draw(st.sampled_from(WHEN))
    args += ["--since", since]
    if since != WHEN[0] and draw(st.integers(0, 3)) == 0:
        args += ["--until", draw(st.sampled_from(WHEN[:WHEN.index(since)]))]
    blank = draw(st.integers(0, 4)) == 0
    if blank:
        # A single-valued option given twice keeps its last value (Click's rule), so a blank
        # goes to a repeatable filter, or to a single-valued one given no other value.
        single = [f for f in ("--namespace", "--text", "--until") if f not in args]
        flag = draw(st.sampled_from(["--name", "--status", "--correlation-id", "--process-id",
                                     "--tag", *single]))
        args[2 * draw(st.integers(0, len(args) // 2)):0] = [flag, draw(BLANK)]  # between pairs
    return args, blank


@pytest.fixture
def frozen_now(monkeypatch, mock):
    """``--since 2h`` means the same instant for the search and the action."""
    import console.services.search as search_service

    now = datetime.fromtimestamp(mock.store.clock() / 1000, tz=UTC)
    real = search_service.parse_time
    monkeypatch.setattr(search_service, "parse_time", lambda text, now_=None: real(text, now))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_an_action_by_query_selects_exactly_what_search_returns(data, cli, mock, frozen_now):
    correlations = sorted({p["correlationId"] for p in mock.store.processes.values()})[:20]
    args, blank = data.draw(filters(correlations))
    action = data.draw(st.sampled_from(["resume", "terminate", "review"]))
    mock.requests.clear()
    found = cli("search", *args, "--all", "-o", "json", "--columns", "id,status", "--mock")
    plan = cli(action, *args, "--dry-run", "-o", "json", "--mock")
    event("a blank value" if blank else "filters")
    if blank:
        assert found.exit_code == plan.exit_code == 2, (args, found.stderr, plan.stderr)
        assert "was given an empty value" in plan.stderr and len(plan.err_lines) == 1
        assert mock.requests == []
        return
    assert found.exit_code == 0, (args, found.stderr)
    assert plan.exit_code == 0, (args, plan.stderr)
    assert mock.posts == []
    rows = json.loads(found.stdout)
    searched = {str(r["id"]) for r in rows}
    listed = {item["id"] for item in json.loads(plan.stdout)}
    would_send = {item["id"] for item in json.loads(plan.stdout) if item["applies"]}
    event("would send some" if would_send else "would send none")
    assert would_send <= searched, (args, action, would_send - searched)
    applies_to = UnmeshedClient.ACTIONS[action]
    statuses_given = "--status" in args
    expected = {str(r["id"]) for r in rows if statuses_given or r["status"] in applies_to}
    assert listed == expected, (args, action, listed ^ expected)
    assert would_send == {str(r["id"]) for r in rows if r["status"] in applies_to}
