"""Pilot tests of the execution detail screen on the seeded mock (frozen clock)."""

from __future__ import annotations

import json
import time

from console.errors import Unreachable
from console.models import ProcessData, StepData
from console.tui.screens.detail import ExecutionDetailScreen
from console.tui.screens.step import StepScreen
from console.tui.widgets.json_view import JsonTree, JsonView
from console.tui.widgets.step_tree import StepTree

from .conftest import SIZE


def failed_with_nested_step(app) -> tuple[str, dict]:
    """The first FAILED process whose failed step sits inside a container step."""
    store = app.mock_app.state.store
    for pid in sorted(store.processes):
        if store.processes[pid]["status"] != "FAILED":
            continue
        process = store.get_process(pid, include_steps=True)
        failed = [s for s in process["stepRecords"] if s["status"] == "FAILED"]
        if failed and failed[-1]["parentId"] and len(process["stepRecords"]) >= 5:
            return str(pid), process
    raise AssertionError("the seeded mock has no FAILED process with a nested failed step")


def first_with_status(app, status: str) -> str:
    store = app.mock_app.state.store
    return str(next(pid for pid in sorted(store.processes)
                    if store.processes[pid]["status"] == status))


async def open_detail(pilot, wait_idle, pid: str) -> ExecutionDetailScreen:
    await wait_idle(pilot)
    pilot.app.open_process(pid)
    await wait_idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExecutionDetailScreen)
    return screen


def text_of(widget) -> str:
    """What a Static shows, as plain text."""
    from rich.console import Console

    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(widget.content)
    return console.export_text()


def notifications(app) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


async def test_failed_process_opens_on_the_failed_step_with_its_error_on_top(make_app, wait_idle):
    app = make_app()
    pid, wire = failed_with_nested_step(app)
    failed = [s for s in wire["stepRecords"] if s["status"] == "FAILED"][-1]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        tree = screen.query_one(StepTree)
        assert app.focused is tree
        assert tree.cursor_node.data.id == failed["id"]
        node = tree.cursor_node.parent
        while node is not None and node is not tree.root:
            assert node.is_expanded
            node = node.parent
        failure = text_of(screen.query_one("#failure"))
        assert screen.query_one("#failure").display
        assert failed["ref"] in failure and failed["output"]["error"] in failure
        summary = text_of(screen.query_one("#summary"))
        for part in ("FAILED", wire["name"], pid, wire["correlationId"], wire["triggerType"]):
            assert part in summary
        # every step is in the tree, nested ones under their parent
        steps = {n.data.id: n for n in tree._by_step.values()}
        assert len(steps) == len(wire["stepRecords"])
        for record in wire["stepRecords"]:
            parent = steps[record["id"]].parent
            assert (parent.data.id if parent.data else None) == record["parentId"]


async def test_enter_opens_the_step_with_every_attempt_and_escape_goes_back(make_app, wait_idle):
    app = make_app()
    pid, wire = failed_with_nested_step(app)
    failed = [s for s in wire["stepRecords"] if s["status"] == "FAILED"][-1]
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, wait_idle, pid)
        await pilot.press("enter")
        await wait_idle(pilot)
        step = app.screen
        assert isinstance(step, StepScreen) and step.step_id == str(failed["id"])
        table = step.query_one("#attempt-table")
        assert table.row_count == len(failed["executionList"]) > 1
        assert table.cursor_row == table.row_count - 1  # opens on the deciding attempt
        view = step.query_one("#attempt-json", JsonView)
        assert view.value == failed["executionList"][-1]["output"]
        await pilot.press(*["up"] * (table.row_count - 1))
        await wait_idle(pilot)
        assert view.value == failed["executionList"][0]["output"]
        assert view.title == "attempt 1 output"
        assert step.query_one("#step-error").display
        assert failed["output"]["error"] in text_of(step.query_one("#step-error"))
        await pilot.press("escape")
        await wait_idle(pilot)
        assert app.screen is detail


async def test_an_unknown_process_is_a_notification_not_a_crash(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, "424242424242")
        assert any("could not load" in n and "424242424242" in n for n in notifications(app))
        assert "Could not load process" in text_of(screen.query_one("#summary"))
        await pilot.press("r", "2", "3", "y", "escape")  # nothing to show: still no crash
        await wait_idle(pilot)
        assert app.is_running


async def test_a_server_error_on_refresh_keeps_the_last_good_data(make_app, wait_idle):
    app = make_app()
    pid, wire = failed_with_nested_step(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        before = text_of(screen.query_one("#summary"))

        async def down(*_args, **_kwargs):
            raise Unreachable("cannot reach http://mock: connection refused")

        app.backend.get_process = down
        await pilot.press("r")
        await wait_idle(pilot)
        assert any("connection refused" in n for n in notifications(app))
        assert text_of(screen.query_one("#summary")) == before
        assert screen.process is not None and str(screen.process.process_id) == pid


async def test_resume_goes_through_the_app_flow_and_the_screen_refreshes(make_app, wait_idle):
    from console.tui.dialogs.confirm import ConfirmAction

    app = make_app()
    pid, _ = failed_with_nested_step(app)
    calls = []
    original = app.start_action

    def recording(action, ids=None, statuses=None):
        if isinstance(ids, list):
            calls.append((action, ids, statuses))
        return original(action, ids, statuses)

    app.start_action = recording
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        await pilot.press("t")  # terminate does not apply to a FAILED process: greyed out
        await wait_idle(pilot)
        assert calls == [] and app.screen is screen
        await pilot.press("u")
        for _ in range(5):  # not wait_idle: the flow's worker waits for the modal's answer
            await pilot.pause()
        assert calls == [("resume", [pid], {pid: "FAILED"})]
        assert isinstance(app.screen, ConfirmAction)
        await pilot.click("#confirm")
        await wait_idle(pilot)
        await pilot.press("escape")  # close the results
        await wait_idle(pilot)
        assert app.screen is screen
        assert app.mock_app.state.store.get_process(int(pid))["status"] == "RUNNING"
        assert screen.process.status == "RUNNING"
        assert not screen.query_one("#failure").display


async def test_read_only_hides_and_blocks_every_action(make_app, wait_idle):
    app = make_app(read_only=True)
    pid, _ = failed_with_nested_step(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        shown = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert not any(action.startswith("act(") for action in shown)
        for key in ("t", "u", "v", "R"):
            await pilot.press(key)
            await wait_idle(pilot)
            assert app.screen is screen
        assert app.mock_app.state.store.get_process(int(pid))["status"] == "FAILED"


async def test_tabs_json_raw_view_and_copy(make_app, wait_idle):
    app = make_app()
    pid, wire = failed_with_nested_step(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        await pilot.press("3")
        await wait_idle(pilot)
        view = screen.query_one("#input-json", JsonView)
        assert screen.query_one("TabbedContent").active == "input"
        assert isinstance(app.focused, JsonTree) and view.value == wire["input"]
        await pilot.press("f")
        await wait_idle(pilot)
        assert view.raw
        raw = view.query_one("#raw-text").content
        assert json.loads(raw.plain) == wire["input"]
        await pilot.press("c")
        await wait_idle(pilot)
        assert json.loads(app.clipboard) == wire["input"]
        await pilot.press("f")
        assert not view.raw


async def test_copy_as_cli_command(make_app, wait_idle):
    app = make_app()
    pid, wire = failed_with_nested_step(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, wait_idle, pid)
        await pilot.press("y")
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_idle(pilot)
        assert app.clipboard == f"meshdeck get {pid} --steps"
        await pilot.press("y", "down", "enter")
        await wait_idle(pilot)
        assert app.clipboard == f"meshdeck resume {pid} --yes"
        await pilot.press("i")
        assert app.clipboard == pid


async def test_copy_as_cli_under_mock_carries_mock_on_the_detail_and_step_screens(
        make_app, wait_idle):
    """Opened with --mock, every copied line carries --mock, so it reaches the same embedded
    mock (the lines left it out while the screens read an app attribute that did not exist)."""
    app = make_app(mock=True)
    pid, _ = failed_with_nested_step(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot, wait_idle, pid)
        await pilot.press("y")
        await wait_idle(pilot)
        lines = [c.line for c in app.screen.lines]
        assert len(lines) > 2 and all(line.endswith(" --mock") for line in lines), lines
        await pilot.press("enter")
        await wait_idle(pilot)
        assert app.clipboard == f"meshdeck get {pid} --steps --mock"
        await pilot.press("enter")  # the failed step
        await wait_idle(pilot)
        step = app.screen
        assert isinstance(step, StepScreen)
        await pilot.press("y")
        assert app.clipboard == f"meshdeck step {step.step_id} --mock"


async def test_an_unexpected_error_is_one_notification_and_the_last_data_stays(
        make_app, wait_idle):
    """Not only the console's own errors: anything a worker raises is a notification, and
    the screen keeps what it showed (it used to end the app)."""
    app = make_app()
    pid = first_with_status(app, "FAILED")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        shown = text_of(screen.query_one("#summary"))

        async def broken(*_args, **_kwargs):
            raise RuntimeError("a bug")

        app.backend.get_process = broken
        await pilot.press("r")
        await wait_idle(pilot)
        assert app.screen is screen and app.is_running
        assert [n for n in notifications(app) if "RuntimeError: a bug" in n] == [
            f"could not load process {pid}: RuntimeError: a bug"]
        assert text_of(screen.query_one("#summary")) == shown


async def test_a_huge_output_opens_quickly_and_is_cut_in_the_tree(make_app, wait_idle):
    app = make_app()
    big = {"rows": [{"id": i, "payload": "x" * 40} for i in range(80_000)], "blob": "y" * 500_000}
    steps = [StepData(id=1, ref="only", status="COMPLETED", start=1, updated=2, output=big)]
    process = ProcessData(process_id=7, status="COMPLETED", output=big, step_records=steps)

    async def fake(*_args, **_kwargs):
        return process

    app.backend.get_process = fake
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        screen = await open_detail(pilot, wait_idle, "7")
        await pilot.press("4")
        await wait_idle(pilot)
        assert time.perf_counter() - started < 5
        tree = screen.query_one("#output-json").query_one(JsonTree)
        labels = [str(line.node.label) for line in tree._tree_lines]
        assert len(labels) < 400
        assert any("more chars" in label for label in labels)
        assert any("79,900 more" in label for label in labels)
        await pilot.press("f")
        await wait_idle(pilot)
        raw = screen.query_one("#output-json").query_one("#raw-text").content.plain
        assert "more characters not shown" in raw and len(raw) < 70_000


async def test_odd_step_graphs_show_every_step(make_app, wait_idle):
    app = make_app()
    steps = [StepData(id=1, ref="a", parent_id=2, status="COMPLETED", start=1, updated=2),
             StepData(id=2, ref="b", parent_id=1, status="FAILED", start=3, updated=4,
                      output={"error": "loop"}),
             StepData(id=3, ref="orphan", parent_id=99, status="UNHEARD_OF", start=5, updated=6)]
    process = ProcessData(process_id=8, status="FAILED", step_records=steps)

    async def fake(*_args, **_kwargs):
        return process

    app.backend.get_process = fake
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, "8")
        tree = screen.query_one(StepTree)
        assert sorted(tree._by_step) == [1, 2, 3]
        assert tree.cursor_node.data.id == 2
        await pilot.press("2")
        await wait_idle(pilot)
        assert app.is_running


async def test_refresh_keeps_the_cursor_and_the_folding(make_app, wait_idle):
    app = make_app()
    pid, wire = failed_with_nested_step(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        tree = screen.query_one(StepTree)
        failed_node = tree.cursor_node
        container = failed_node.parent.data.id
        await pilot.press("shift+left", "space")  # to the container, fold it
        await wait_idle(pilot)
        assert tree.cursor_node.data.id == container and not tree.cursor_node.is_expanded
        await pilot.press("r")
        await wait_idle(pilot)
        assert tree.cursor_node.data.id == container and not tree.cursor_node.is_expanded


async def test_palette_offers_each_cli_line(make_app, wait_idle):
    app = make_app()
    pid, _ = failed_with_nested_step(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        commands = screen.palette_commands()
        names = [c.name for c in commands]
        assert f"Copy CLI: meshdeck get {pid} --steps" in names
        assert f"Copy CLI: meshdeck resume {pid} --yes" in names
        commands[0].run()
        await wait_idle(pilot)
        assert app.clipboard == f"meshdeck get {pid} --steps"


async def test_a_running_process_offers_terminate_not_resume_and_help_lists_the_keys(
        make_app, wait_idle):
    from console.tui.screens.help import HelpScreen

    app = make_app()
    pid = first_with_status(app, "RUNNING")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, wait_idle, pid)
        assert screen.check_action("act", ("terminate",)) is True
        assert screen.check_action("act", ("resume",)) is None  # shown greyed out
        assert not screen.query_one("#failure").display
        await pilot.press("question_mark")
        await wait_idle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await wait_idle(pilot)
        assert app.screen is screen
