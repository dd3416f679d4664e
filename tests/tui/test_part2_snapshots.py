"""Snapshots of part 2's screens and two theme files (seeded mock, frozen clock); the same
scenarios feed ``screenshots/make.py``. Regenerate with ``--snapshot-update`` after looking."""

from __future__ import annotations

from tests.tui import part2_scenarios as s
from tests.tui.scenarios import SIZE, build_app


def test_definitions_list(snap_compare, clock):
    """Tabs with Definitions (F3) active; a filter input; the table by namespace (namespace
    shown once per group, bold) with name, version, type, step count and description; the
    cursor on payments/charge_card; "23 of 23 definitions in 6 namespaces"."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=s.definitions_list)


def test_definition_detail(snap_compare, clock):
    """payments/charge_card v3: the step tree with route SWITCH expanded over capture_now and
    hold_for_review; "Last 24h: N executions", success rate, avg ± sd and p95 durations; a
    sparkline of executions per hour; the configuration and defaultInput as a JSON tree."""
    app = build_app(clock=clock, executions=2000)
    assert snap_compare(app, terminal_size=SIZE, run_before=s.definition_detail)


def test_api_call_answer(snap_compare, clock):
    """API call (F4): POST SYNC to test_process_endpoint with a two-key body; the green
    "200 OK · 0 ms · SYNC · process N (ctrl+o opens it)" line; the COMPLETED process as a JSON
    tree; one history line with "200 · 0 ms just now"; the footer's Send/Open/Copy keys."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=s.api_call_answer)


def test_api_call_bad_body(snap_compare, clock):
    """The same call with a missing comma: the editor framed in red with the cursor on line 3,
    column 3, the red "not sent: body line 3, column 3: Expecting ',' delimiter", an empty
    response and no history."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=s.api_call_bad_body)


def test_run_form(snap_compare, clock):
    """Run (F5): payments/charge_card chosen, version "latest", "sync: wait for the end", a
    timeout of 10, empty correlation and request ids, the defaultInput (source, priority) in
    the editor, the Run (ctrl+s) button."""
    app = build_app(clock=clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=s.run_form)


def test_light_theme(snap_compare, clock):
    """The definitions list in meshdeck-light: dark text on a near-white background, a blue
    cursor row and tab underline, orange footer keys."""
    app = build_app(clock=clock, theme="meshdeck-light")
    assert snap_compare(app, terminal_size=SIZE, run_before=s.light_theme)


def test_production_theme(snap_compare, clock):
    """The executions screen in meshdeck-production under a PRODUCTION banner: dark red
    background and panels, red/amber accents, the table with coloured statuses."""
    app = build_app(clock=clock, theme="meshdeck-production", banner="PRODUCTION")
    assert snap_compare(app, terminal_size=SIZE, run_before=s.production_theme)
