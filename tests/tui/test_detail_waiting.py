"""The execution screen of a process whose WORKER step no worker has taken: a yellow line says
which queue it waits on and since when (the same words as ``meshdeck get``)."""

from __future__ import annotations

from console.mock.dev_definitions import install

from .test_detail import open_detail, text_of
from .test_detail_snapshots import opener

DEV = {"namespace": "default", "name": "dev_flow", "type": "STANDARD", "steps": [{"ref": "first", "type": "WORKER", "name": "dev_step"},
                                     {"ref": "after", "type": "NOOP"}]}


def start_waiting(app, clock) -> str:
    """A dev_flow process (your definition) started two minutes ago, its worker step untaken."""
    store = app.mock_app.state.store
    install(store, DEV, source="file")
    pid = store.start("default", "dev_flow", sync=False)["processId"]
    clock.advance(125)
    return str(pid)


async def test_the_screen_says_which_step_waits_for_a_worker_and_stops_saying_it(make_app, wait_idle, clock):
    app = make_app(executions=50)
    pid = start_waiting(app, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        box = screen.query_one("#failure")
        assert box.display and box.has_class("waiting")
        assert "waiting for a worker on `dev_step` since 2m (step first)" in text_of(box)

        app.mock_app.state.store.terminate([int(pid)], "no worker")
        await pilot.press("r")
        await wait_idle(pilot)
        assert not box.display and not box.has_class("waiting")


def test_detail_waiting_for_a_worker(snap_compare, make_app, clock):
    """At 80x24: a RUNNING dev_flow execution; under the summary the green live line (0% of
    the steps, no completed run to learn from; "refreshed 12:02:05Z, every 5 s"), then a
    yellow-edged line "… waiting for a worker on `dev_step` since 2m (step first)"; the Steps tab lists the
    step first as SCHEDULED; the footer offers Terminate (not Resume)."""
    app = make_app(executions=50)
    pid = start_waiting(app, clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=opener(app, pid=pid))
