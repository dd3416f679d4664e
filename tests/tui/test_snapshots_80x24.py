"""Snapshots at 80x24, the smallest terminal meshdeck promises to work in (seeded mock, frozen
clock). Regenerate with ``pytest tests/tui/test_snapshots_80x24.py --snapshot-update`` after
looking at the change."""

from __future__ import annotations

from tests.conductor.tui.test_snapshot import build_conductor_app

from .scenarios import build_app, executions_marked, pressing
from .test_detail_snapshots import opener

SMALL = (80, 24)


#: Every FAILED execution of the window marked (facet 3, ctrl+a), then "mark reviewed".
review_every_failed = pressing(("3", "ctrl+a"), ("v",))
#: Two FAILED workflows resumed, and the results.
conductor_resume_results = pressing(("4",), ("space", "space", "u"), "#confirm")  # 4: FAILED on Conductor (RUNNING, PAUSED, COMPLETED, FAILED, ...)


def test_executions_at_80x24(snap_compare, clock):
    """At 80x24 the table keeps status, name, namespace, process id, started and duration (the
    error, steps, trigger, progress and correlation id columns drop out, none is cut), two marked
    rows, the status line, and the footer ends with "? Help" and "^p Commands"."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=executions_marked)


def test_confirm_at_80x24(snap_compare, clock):
    """"Mark reviewed N executions?" for every FAILED one at 80x24: the first ids listed and
    "… and N more" in the scrolling body, the reason field and the Cancel / "Mark reviewed N
    executions" buttons docked at the bottom, all visible."""
    app = build_app(executions=2000, clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=review_every_failed)


def test_results_at_80x24_with_conductor_ids(snap_compare, clock):
    """Results of resuming two Conductor workflows at 80x24: each 36-character id whole, the
    result "done" and the message; "Nothing failed." and the buttons visible."""
    app = build_conductor_app(clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=conductor_resume_results)


def test_detail_at_80x24(snap_compare, make_app):
    """A FAILED execution's detail at 80x24: the badge, name, ids and the error line, the
    Steps tab with the failed step's tree, and the footer ending with "? Help"."""
    app = make_app()
    assert snap_compare(app, terminal_size=SMALL, run_before=opener(app))
