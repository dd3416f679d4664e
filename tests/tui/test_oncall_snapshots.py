"""Snapshots of the on-call screens at 80x24 and 200x60 (seeded mock, frozen clock); the same
scenarios feed ``screenshots/make.py``. Regenerate with ``--snapshot-update`` after looking."""

from __future__ import annotations

from tests.tui import oncall_scenarios as s
from tests.tui.scenarios import build_app

SMALL, LARGE = (80, 24), (200, 60)


def test_failure_groups_small(snap_compare, clock):
    """80x24: "N groups of the failures in last 7d"; count, failed step, folded error (#) and
    last seen, the process and trend columns dropped; the second group highlighted with its
    process, step, statuses and newest message in the red-edged box; "grouped all N failures
    into M groups"; Back, Its executions, Regroup in the footer."""
    app = build_app(clock=clock, executions=3000)
    assert snap_compare(app, terminal_size=SMALL, run_before=s.failure_groups)


def test_failure_groups_large(snap_compare, clock):
    """200x60: every column (count, process, failed step, error, first, last, trend
    sparkline), the biggest groups first; the sample box and the "grouped all" line; Resume,
    Terminate, Mark reviewed and Rerun keys in the footer."""
    app = build_app(clock=clock, executions=3000)
    assert snap_compare(app, terminal_size=LARGE, run_before=s.failure_groups)


def test_compare_small(snap_compare, clock):
    """80x24: "N of M fields differ · create_order COMPLETED ↔ create_order FAILED"; the
    process section (status, duration, error) and the others in yellow, the two values side by
    side; the highlighted field shown whole in the box under the table."""
    app = build_app(clock=clock, executions=3000)
    assert snap_compare(app, terminal_size=SMALL, run_before=s.compare)


def test_compare_large(snap_compare, clock):
    """200x60: the same comparison with room: sections (process, input, output, step ...) as
    bold underlined headings, each differing field's two values; "only the differences (a:
    every field)"; All fields, Open left, Open right in the footer."""
    app = build_app(clock=clock, executions=3000)
    assert snap_compare(app, terminal_size=LARGE, run_before=s.compare)


def test_query_line_error_small(snap_compare, clock):
    """80x24: the query line open under the filter bar holding the typed line, and under it in
    red "✗ text: the quote " is never closed"; the filters unchanged (last 24h)."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=s.query_line_error)


def test_query_line_applied_large(snap_compare, clock):
    """200x60: after "status:FAILED,TIMED_OUT since:7d name:create_order,charge_card
    tag:env:prod": window 7d, both names in the names field, the tags field (more rows shown)
    holds env:prod, FAILED and TIMED_OUT chosen in the facets, only those rows, each with its
    failed step and error; the query line closed; the status line says the same filters."""
    app = build_app(clock=clock, executions=3000)
    assert snap_compare(app, terminal_size=LARGE, run_before=s.query_line_applied)


def test_save_view_small(snap_compare, clock):
    """80x24: "Save this view for profile default" over the executions; query status:FAILED,
    window 1h, columns "(all that fit)", sort "newest first"; the name failing-1h typed;
    Cancel and Save."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=s.save_view)


def test_save_view_large(snap_compare, clock):
    """200x60: the same dialog, centred, "saved views: none yet · enter saves · esc
    cancels"."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=LARGE, run_before=s.save_view)


def test_journal_small(snap_compare, clock):
    """80x24: "2 entries, newest first" and the journal's path; resume (2 done) above review
    (1 done), both "just now"; the newest entry in full in the box (by whom, on which server,
    its ids with their result)."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=s.journal)


def test_journal_large(snap_compare, clock):
    """200x60: the same entries with every column: when, action, result, ids, reason ("known:
    stripe outage" on the review), user and server."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=LARGE, run_before=s.journal)


def test_server_switched_small(snap_compare, clock):
    """80x24: after choosing "Server: staging": the red "STAGING (read-only)" banner on top, the
    header "Executions @ staging.example.com:8080 · profile staging", the table searched again,
    READ-ONLY in the status line."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=s.server_switched)


def test_server_switched_large(snap_compare, clock):
    """200x60: the same switch with the whole table; no Terminate/Resume keys in the footer
    (read-only)."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=LARGE, run_before=s.server_switched)


def test_wide_table_with_error_and_progress(snap_compare, clock):
    """200x60: RUNNING, FAILED and TIMED_OUT chosen in the facets; every column shown: a
    progress cell (bar and percent, or "slow" in red) on each RUNNING row and "failed step:
    error" in red on each FAILED and TIMED_OUT row."""
    app = build_app(clock=clock, executions=3000)
    assert snap_compare(app, terminal_size=LARGE, run_before=s.wide_table)


def test_running_detail_large(snap_compare, clock):
    """200x60: the newest RUNNING execution (track_shipment, 3h in): under the summary the
    green-edged live line: a red progress bar, "98% of its usual work; runs usually take 5m
    11s, 9m 15s at most (p50, p95); SLOW: running 3h 35m, past the p95" and "● live: refreshed
    12:00:00Z, every 5 s"."""
    app = build_app(clock=clock, executions=3000)
    assert snap_compare(app, terminal_size=LARGE, run_before=s.running_detail)
