"""The execution detail screen: what happened in one process, and the actions on it.

A summary (status, ids, times, tags, and the failing step's error on top), then tabs: the steps
as a tree (the failed step focused on open; ``enter`` opens a step), a timeline of the steps,
and the input, output and state as foldable JSON. Every backend call runs in a worker; an error
is a notification (``worker_failed``) and the screen keeps what it last showed. An execution
under way refreshes itself and shows how far it is (``detail_live``); ``o`` / ``p`` open its
sub-process or parent and ``e`` runs it again with an edited input (``console.tui.detail_flows``).
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
from console.services.action_specs import ACTIONS
from console.tui.bulk import action_bindings
from console.tui.commands import PaletteCommand
from console.tui.screens.base import loading, tab_keys
from console.tui.screens.detail_live import LiveDetail
from console.tui.screens.detail_parts import (CliLine, CopyCommandScreen, cli_lines, failure_line,
                                              summary, waiting_line)
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.json_view import JsonView
from console.tui.widgets.step_tree import StepTree
from console.tui.widgets.timeline import Timeline

TABS = ("steps", "timeline", "input", "output", "state")


class ExecutionDetailScreen(LiveDetail):
    """One execution: summary, steps, timeline, input/output/state, and actions."""

    TITLE = "Execution"
    CSS_PATH = "detail.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("r", "refresh", "Refresh", tooltip="Fetch this execution again"),
        Binding("f", "rerun_from_step", "Rerun from step",
                tooltip="Run it again from the focused step, its input editable (asks first)"),
        Binding("s", "skip_step", "Skip step",
                tooltip="Skip a step that has not started in this running workflow (asks first)"),
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
        Binding("U", "act('resume_version')", "Resume on version", show=False,
                tooltip="Resume this execution on another version of its definition (asks which)"),
        *action_bindings("pause", "restart", "restart_latest", "remove",
                         shown=("pause", "restart")),
        Binding("c", "correlated", "Correlated", show=False,
                tooltip="The executions of this definition with the same correlation id"),
        *[Binding(key, action, label, show=False, tooltip=tip) for key, action, label, tip in (
            ("o", "open_child", "Open sub-process",
             "Open the process the focused SUB_PROCESS step started"),
            ("p", "open_parent", "Open parent",
             "Open the process that started this one as a sub-process"),
            ("e", "rerun_with_input", "Run with new input",
             "Edit the input and start a new execution of it (asks first)"))],
        *tab_keys("steps", "timeline", "input", "output", "state"),
    ]

    def __init__(self, process_id: str) -> None:
        super().__init__()
        self.process_id = str(process_id).strip()
        self.process: ProcessData | None = None
        #: Removed by an action from this screen: it closes when it is shown again.
        self.removed = False
        self.sub_title = f"process {self.process_id}"

    # ---- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield loading(f"process {self.process_id}", "summary")
        yield Static(id="live")
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
        self.query_one("#live").display = False
        self.query_one(StepTree).focus()
        self.refresh_data()
        self.start_live()

    # ---- data ------------------------------------------------------------------------------

    def on_actions_done(self, message: Any) -> None:
        if message.action == "remove" and self.process_id in message.ids:
            self.removed = True  # nothing left to show: leave when the results close
            return
        self.refresh_data()

    def on_screen_resume(self) -> None:
        if self.removed:
            self.notify(f"process {self.process_id} was removed", markup=False)
            self.action_back()

    @work(exclusive=True, group="detail-load", exit_on_error=False)
    async def load(self) -> None:
        self.show(await self.app.backend.get_process(self.process_id, include_steps=True))

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        self.load_failed(f"process {self.process_id}", error,
                         "summary" if self.process is None else None)

    def show(self, process: ProcessData) -> None:
        """Put ``process`` on screen (a refresh keeps the tree's folding and cursor)."""
        first = self.process is None
        self.process = process
        now = self.app.now()
        self.query_one("#summary", Static).update(
            summary(process, now, self.app.backend.NAMESPACE_LABEL))
        failure = failure_line(process)
        waiting = waiting_line(process, now) if failure is None else None
        failure = failure or waiting
        failure_box = self.query_one("#failure", Static)
        failure_box.display = failure is not None
        failure_box.set_class(waiting is not None, "waiting")
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
        self.refreshed(process)
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
        if action == "correlated":
            if not self.app.backend.IMPLEMENTS_CORRELATED:
                return False  # hidden: this backend has no such call (Unmeshed: search instead)
            return True if self.process is not None and self.process.correlation_id else None
        if action == "rerun_with_input" and self.app.read_only:
            return False  # hidden and blocked: it starts a process
        if action in ("open_child", "open_parent", "rerun_with_input"):
            return True if self.process is not None else None
        if action in ("skip_step", "rerun_from_step"):
            backend = self.app.backend
            has = backend.IMPLEMENTS_SKIP_STEP if action == "skip_step" \
                else backend.IMPLEMENTS_RERUN_FROM_STEP
            if self.app.read_only or not has:
                return False  # hidden: read-only, or this backend lacks it (Unmeshed)
            # Offered whenever the process is loaded: pressed where it does not apply, the flow
            # says why (``step_flows``); a dimmed key that did nothing left people guessing.
            return True if self.process is not None else None
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

    def action_skip_step(self) -> None:
        from console.tui import step_flows

        if self.process is not None:
            step_flows.start_skip(self.app, self.process)

    def action_rerun_from_step(self) -> None:
        from console.tui import step_flows

        if self.process is not None:
            step_flows.start_rerun_from(self.app, self.process,
                                        self.query_one(StepTree).current_step)

    def action_correlated(self) -> None:
        from console.tui.dialogs.process_list import ProcessRow, show_processes

        p = self.process
        if p is None or not p.correlation_id or not self.app.backend.IMPLEMENTS_CORRELATED:
            return

        async def load() -> list[ProcessRow]:
            found = await self.app.backend.correlated(p.name or "", p.correlation_id or "",
                                                      include_finished=True)
            return [ProcessRow(str(x.process_id), x.status, x.created) for x in found]

        show_processes(self.app, f"{p.name} with correlation id {p.correlation_id}",
                       "running and finished, newest first", load,
                       f"no execution of {p.name} has correlation id {p.correlation_id}")

    def action_open_child(self) -> None:
        from console.tui import detail_flows

        if self.process is not None:
            detail_flows.open_child(self.app, self.process, self.query_one(StepTree).current_step)

    def action_open_parent(self) -> None:
        from console.tui import detail_flows

        if self.process is not None:
            detail_flows.open_parent(self.app, self.process)

    def action_rerun_with_input(self) -> None:
        from console.tui import detail_flows

        if self.process is not None:
            detail_flows.start_rerun_with_input(self.app, self.process)

    def action_open_step(self) -> None:
        step = self.query_one(StepTree).current_step
        if step is not None:
            self._open_step(step)

    @on(Tree.NodeHighlighted, "StepTree")
    def _step_highlighted(self, _event: Tree.NodeHighlighted) -> None:
        self.refresh_bindings()  # "rerun from step" follows the step under the cursor

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
