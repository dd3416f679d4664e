"""The execution detail screen: what happened in one process, and the actions on it.

A summary (status, ids, times, tags, and the failing step's error on top), then tabs: the steps
as a tree (the failed step focused on open; ``enter`` opens a step), a timeline of the steps,
and the input, output and state as foldable JSON. Every backend call runs in a worker; an error
is a notification (``worker_failed``) and the screen keeps what it last showed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static, TabbedContent, TabPane, Tree
from textual.worker import Worker

from console.models import ProcessData
from console.tui.app import error_text
from console.tui.commands import PaletteCommand
from console.tui.screens.base import MeshdeckScreen, loading, tab_keys
from console.tui.screens.detail_parts import (CliLine, CopyCommandScreen, cli_lines, failure_line,
                                              summary)
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.json_view import JsonView
from console.tui.widgets.step_tree import StepTree
from console.tui.widgets.timeline import Timeline

TABS = ("steps", "timeline", "input", "output", "state")
ACTIONS = ("terminate", "resume", "review", "rerun")


class ExecutionDetailScreen(MeshdeckScreen):
    """One execution: summary, steps, timeline, input/output/state, and actions."""

    TITLE = "Execution"
    CSS_PATH = "detail.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("r", "refresh", "Refresh", tooltip="Fetch this execution again"),
        Binding("y", "copy_cli", "Copy CLI", tooltip="Copy the equivalent meshdeck command"),
        Binding("i", "copy_id", "Copy id", show=False, tooltip="Copy the process id"),
        # the same keys as on the executions screen
        Binding("t", "act('terminate')", "Terminate",
                tooltip="Terminate this execution (asks first)"),
        Binding("u", "act('resume')", "Resume", tooltip="Resume this execution (asks first)"),
        Binding("v", "act('review')", "Reviewed",
                tooltip="Mark this execution reviewed (asks first)"),
        Binding("R", "act('rerun')", "Rerun",
                tooltip="Start it again with the same input (asks first)"),
        *tab_keys("steps", "timeline", "input", "output", "state"),
    ]

    def __init__(self, process_id: str) -> None:
        super().__init__()
        self.process_id = str(process_id).strip()
        self.process: ProcessData | None = None
        self.sub_title = f"process {self.process_id}"

    # ---- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield loading(f"process {self.process_id}", "summary")
        yield Static(id="failure")
        with TabbedContent(id="tabs"):
            with TabPane("Steps", id="steps"):
                yield StepTree(id="step-tree")
            with TabPane("Timeline", id="timeline"):
                with VerticalScroll():
                    yield Timeline(id="step-timeline")
            with TabPane("Input", id="input"):
                yield JsonView("input", id="input-json")
            with TabPane("Output", id="output"):
                yield JsonView("output", id="output-json")
            with TabPane("State", id="state"):
                yield JsonView("state", id="state-json")
        yield MeshdeckFooter()

    def on_mount(self) -> None:
        self.query_one("#failure").display = False
        self.query_one(StepTree).focus()
        self.refresh_data()

    # ---- data ------------------------------------------------------------------------------

    @work(exclusive=True, group="detail-load", exit_on_error=False)
    async def load(self) -> None:
        self.show(await self.app.backend.get_process(self.process_id, include_steps=True))

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        self.notify(f"process {self.process_id}: {error_text(error)}", title="could not load",
                    severity="error", timeout=8, markup=False)
        if self.process is None:
            self.query_one("#summary", Static).update(Text.assemble(
                (f"Could not load process {self.process_id}: ", "bold red"), error_text(error),
                ("\nPress r to try again, escape to go back.", "dim")))

    def show(self, process: ProcessData) -> None:
        """Put ``process`` on screen (a refresh keeps the tree's folding and cursor)."""
        first = self.process is None
        self.process = process
        now = self.app.now()
        self.query_one("#summary", Static).update(summary(process, now))
        failure = failure_line(process)
        failure_box = self.query_one("#failure", Static)
        failure_box.display = failure is not None
        if failure is not None:
            failure_box.update(failure)
        steps = process.step_records or []
        failed = process.failed_step()
        tree = self.query_one(StepTree)
        tree.show_steps(steps, focus_step_id=failed.id if failed else None)
        if first and not steps:
            tree.root.add_leaf(Text("This execution has no step records.", style="dim"))
        self.query_one(Timeline).show_steps(
            steps, now_ms=int(now.timestamp() * 1000), origin_ms=process.created)
        self.query_one("#input-json", JsonView).show(process.input)
        self.query_one("#output-json", JsonView).show(process.output)
        self.query_one("#state-json", JsonView).show(process.state)
        self.refresh_bindings()

    # ---- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            if self.app.read_only:
                return False  # hidden and blocked
            if self.app.backend.unsupported(str(parameters[0])):
                return False  # this backend lacks it (e.g. review on Conductor): hidden
            status = self.process.status if self.process else None
            return True if self.app.backend.applies(str(parameters[0]), status) else None
        return True

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one(TabbedContent)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_tab(self, tab: str) -> None:
        self.tabs.active = tab
        pane = self.tabs.active_pane
        target = pane.query("StepTree, JsonTree, Timeline").first() if pane else None
        if target is not None and target.focusable:
            target.focus()

    def action_act(self, action: str) -> None:
        if self.app.read_only or self.process is None or action not in ACTIONS:
            return
        self.app.start_action(action, [self.process_id], {self.process_id: self.process.status})

    def action_open_step(self) -> None:
        step = self.query_one(StepTree).current_step
        if step is not None:
            self._open_step(step)

    @on(Tree.NodeSelected, "StepTree")
    def _step_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data is not None:
            self._open_step(event.node.data)

    def _open_step(self, step: Any) -> None:
        from console.tui.screens.step import StepScreen

        if step.id is None:
            self.notify("This step has no id, so it cannot be fetched.", severity="warning")
            return
        self.app.push_screen(StepScreen(str(step.id), step))

    def _cli_lines(self) -> list[CliLine]:
        step = self.query_one(StepTree).current_step
        return cli_lines(self.process_id, self.process.status if self.process else None,
                         step_id=step.id if step else None, flags=self.cli_flags(),
                         backend=self.app.backend)

    def action_copy_cli(self) -> None:
        def copy(line: str | None) -> None:
            if line:
                self.app.copy(line, "CLI command")

        self.app.push_screen(CopyCommandScreen(self._cli_lines()), copy)

    def action_copy_id(self) -> None:
        self.app.copy(self.process_id, "process id")

    def palette_commands(self) -> list[PaletteCommand]:
        """Extra command-palette entries: each CLI line, copied in one go."""
        from functools import partial

        return [PaletteCommand(f"Copy CLI: {c.line}", c.help, partial(self.app.copy, c.line,
                                                                       "CLI command"))
                for c in self._cli_lines()]
