"""Snapshot tests (pytest-textual-snapshot): seeded mock data and a frozen clock, so the pictures
are the same run to run. Regenerate with ``pytest tests/tui/test_snapshots.py --snapshot-update``
after checking the change is wanted; ``screenshots/make.py`` saves the same screens as SVGs."""

from __future__ import annotations

from tests.tui.scenarios import SIZE, build_app, confirm_modal, executions_marked, help_screen, \
    results_panel


def test_executions_screen(snap_compare, clock):
    """The PRODUCTION banner, filter bar, status facets with counts, the table with coloured
    statuses, relative times and a progress column (the RUNNING password_reset "slow" in red),
    two marked rows, the status line "1–48 of 48 · 2 marked"."""
    app = build_app(banner="PRODUCTION", clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=executions_marked)


def test_confirm_modal(snap_compare, clock):
    """"Resume 4 executions?": 2 will be sent, 2 skipped (a COMPLETED and a RUNNING one, each
    with why), Cancel focused and the "Resume 2 executions" button."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=confirm_modal)


def test_results_panel(snap_compare, clock):
    """Per-id results of that resume: 2 done, 2 skipped with the reason; "Nothing to retry"
    and "Copy ids" disabled because nothing failed."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=results_panel)


def test_help_screen(snap_compare, clock):
    """Help over the executions screen: meshdeck's keys (the table's marks, then the screen's
    from g Failure groups down, then the app's) with their descriptions; no arrow or page key."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=help_screen)
