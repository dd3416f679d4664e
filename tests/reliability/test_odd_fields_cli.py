"""``odd_types``: about half the rows carry a field of a type no client expects (a time as text,
a version as a word, tags as an object). Every row is still shown, those fields empty, with ONE
warning on stderr naming each field; before, the whole search or get failed."""

from __future__ import annotations

import json


def test_search_shows_every_row_with_one_warning_naming_the_fields(faulty, cli):
    faulty("odd_types", executions=300)
    run = cli("search", "--mock", "--since", "30d", "--limit", "40", "-o", "json")
    assert run.exit_code == 0, run.stderr
    rows = json.loads(run.stdout)
    assert len(rows) == 40 and all(r["name"] for r in rows)
    assert any(r["created"] is None for r in rows)
    [warning] = run.err_lines
    assert warning.startswith("meshdeck: warning: ") and " rows had fields of an unexpected type, shown empty: " in warning
    assert 'created ("yesterday")' in warning


def test_search_all_warns_once_for_every_page(faulty, cli):
    faulty("odd_types", executions=300)
    run = cli("search", "--mock", "--since", "30d", "--all", "-o", "ids")
    assert run.exit_code == 0, run.stderr
    assert len(run.lines) == 300 and len(run.err_lines) == 1


def test_get_shows_each_process_and_warns_once(faulty, cli):
    app = faulty("odd_types", executions=60)
    ids = [str(pid) for pid in sorted(app.state.store.processes)[:6]]
    run = cli("get", *ids, "--mock", "--no-steps")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.count("\nname ") + run.stdout.startswith("process") >= 6
    assert len(run.err_lines) == 1 and "shown empty" in run.err_lines[0]


def test_the_conductor_dialect_too(faulty, cli, monkeypatch):
    import time

    from console import connect
    from console.mock.clock import FakeClock
    from console.mock.conductor_app import create_conductor_app

    app = create_conductor_app(seed=7, executions=100, clock=FakeClock(int(time.time() * 1000)),
                               faults="odd_types")
    monkeypatch.setattr(connect, "new_mock_app", lambda *a, _app=app, **k: _app)
    run = cli("search", "--mock", "--backend", "conductor", "--since", "30d", "--limit", "30",
              "-o", "json")
    assert run.exit_code == 0, run.stderr
    assert len(json.loads(run.stdout)) == 30
    [warning] = run.err_lines
    assert "shown empty" in warning and ("created" in warning or "version" in warning)
