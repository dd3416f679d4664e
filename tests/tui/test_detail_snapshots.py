"""Snapshots of the execution detail and step screens (seeded mock, frozen clock).

Regenerate with ``pytest tests/tui/test_detail_snapshots.py --snapshot-update`` and look at the
SVGs under ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

from .conftest import SIZE
from .test_detail import failed_with_nested_step


def failed_with_nested_input(app) -> str:
    """The first FAILED process whose input holds both an object and a list."""
    store = app.mock_app.state.store
    for pid in sorted(store.processes):
        record = store.processes[pid]
        if record["status"] != "FAILED":
            continue
        values = (store.get_process(pid)["input"] or {}).values()
        if any(isinstance(v, dict) for v in values) and any(isinstance(v, list) for v in values):
            return str(pid)
    raise AssertionError("the seeded mock has no FAILED process with a nested input")


def opener(app, *keys: str, pid: str | None = None):
    """``run_before`` for snap_compare: open a seeded FAILED process, then press ``keys``."""
    pid = pid or failed_with_nested_step(app)[0]

    async def run_before(pilot) -> None:
        async def settle() -> None:
            for _ in range(3):
                await pilot.pause()
                await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        await settle()
        pilot.app.open_process(pid)
        await settle()
        for key in keys:
            await pilot.press(key)
            await settle()

    return run_before


def test_detail_steps_tree(snap_compare, make_app):
    """A FAILED execution with a nested failed step: red FAILED badge, name@version, ids, trigger,
    created/updated as "Nd ago" plus UTC time, tags; a red error line naming the failed step,
    its type, "failed after 3 attempts" and the error; the Steps tab shows the tree with the
    container step expanded, its children indented under it, and the cursor on the failed
    child step; the footer lists Back, Refresh, Copy CLI, Resume, Reviewed, Rerun, with
    Terminate greyed out."""
    app = make_app()
    assert snap_compare(app, terminal_size=SIZE, run_before=opener(app))


def test_detail_timeline(snap_compare, make_app):
    """The Timeline tab: an axis of +0s, +1s, ... ticks across the width; one row per step in
    tree order (children indented), each with its duration and a bar from its start to its end
    on the shared axis; green bars for completed steps, red for the failed container and the
    failed step at the right end; dotted gridlines under the ticks."""
    app = make_app()
    assert snap_compare(app, terminal_size=SIZE, run_before=opener(app, "2"))


def test_detail_input_json(snap_compare, make_app):
    """The Input tab of a FAILED order-like execution: a foldable JSON tree rooted at
    "input {N keys}", keys bold, strings green, numbers cyan; nested objects ("{2 keys}") and
    arrays ("[N items]", children "[0]", "[1]"...) expanded with tree guides; the footer adds
    "Raw/folded" and "Copy JSON"."""
    app = make_app()
    pid = failed_with_nested_input(app)
    assert snap_compare(app, terminal_size=SIZE, run_before=opener(app, "3", pid=pid))


def test_detail_output_raw_json(snap_compare, make_app):
    """The Output tab in raw view (f): the failed process's output as pretty, syntax-highlighted
    JSON with its error message, errorCode and failedStep."""
    app = make_app()
    assert snap_compare(app, terminal_size=SIZE, run_before=opener(app, "4", "f"))


def test_step_screen_attempts(snap_compare, make_app):
    """The failed step's screen (enter on the focused step): FAILED badge, ref, name, type,
    step and process ids; scheduled/polled/started/updated times with offsets from scheduling,
    worker, parent, 3 attempts, duration; the error in a red line; the Attempts table with
    runs 1-3 (executor, times, took, result: two "failed: ..." and the final FAILED) and the
    cursor on run 3, whose output JSON shows below."""
    app = make_app()
    assert snap_compare(app, terminal_size=SIZE, run_before=opener(app, "enter"))
