"""Process definitions: a list by namespace, and one definition's steps, configuration and stats.

``DefinitionsScreen`` (the "definitions" section) lists every definition; enter opens
``DefinitionScreen``: the step tree, the configuration and default input, and duration
statistics of its executions in the last 24 h (or 7 d, ``w``), computed by
``console.services.stats``. From either, ``e`` shows the definition's executions and ``x`` runs it.
On ``DefinitionScreen``, ``V`` lists its versions with a diff between two, ``y`` shows it as
YAML/JSON (``definition_views``), and ``F`` resumes its FAILED executions on its latest version.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Label, Sparkline, Static, Tree
from textual.worker import Worker

from console.format import duration
from console.models import ProcessDefinition, StepDefinition
from console.services.stats import HOUR_MS, DurationStats, duration_stats, recent_executions
from console.tui.app import MeshdeckApp
from console.tui.screens.base import MeshdeckScreen
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.json_view import JsonView
from console.tui.widgets.screen_tabs import ScreenTabs

STATS_WINDOWS = {"24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS}


def full_name(d: ProcessDefinition) -> str:
    return f"{d.namespace or '?'}/{d.name or '?'}"


class DefinitionsScreen(MeshdeckScreen):
    """Every process definition, grouped by namespace."""

    TITLE = "Definitions"
    CSS_PATH = "definitions.tcss"
    AUTO_FOCUS = "DataTable"
    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Show the definition's steps, configuration "
                "and statistics"),
        Binding("e", "executions", "Executions",
                tooltip="The executions screen, filtered to this definition"),
        Binding("x", "run", "Run", tooltip="Start this definition (the Run screen, prefilled)"),
        Binding("slash", "filter", "Filter", key_display="/",
                tooltip="Show only definitions whose namespace, name or description match"),
        Binding("r", "refresh", "Refresh", tooltip="List the definitions again"),
        Binding("escape", "clear_filter", "Clear filter", show=False,
                tooltip="Show every definition again"),
    ]

    FAILURE_WORDS = {"definitions": "cannot list definitions"}

    def __init__(self) -> None:
        super().__init__()
        self.definitions: list[ProcessDefinition] = []
        self.shown: list[ProcessDefinition] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield ScreenTabs("definitions", self.app.SECTIONS)
        yield Input(placeholder="/ filter: namespace, name or description", compact=True,
                    id="def-filter")
        table: DataTable = DataTable(id="defs", cursor_type="row", zebra_stripes=True)
        table.add_columns("namespace", "name", "version", "type", "steps", "description")
        yield table
        yield Static(id="def-status", markup=False)
        yield MeshdeckFooter()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.query_one(ScreenTabs).show_current()

    @property
    def table(self) -> DataTable:
        return self.query_one("#defs", DataTable)

    @work(exclusive=True, group="definitions", exit_on_error=False)
    async def load(self) -> None:
        self.query_one("#def-status", Static).update("loading definitions…")
        found = await self.app.backend.list_definitions()
        self.definitions = sorted(found, key=lambda d: (d.namespace or "", d.name or ""))
        self.show()

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        super().worker_failed(worker, error)  # the list shown stays
        self.query_one("#def-status", Static).update("could not list definitions (r: retry)")

    def show(self) -> None:
        text = self.query_one("#def-filter", Input).value.strip().lower()
        self.shown = [d for d in self.definitions if not text or text in " ".join(
            (d.namespace or "", d.name or "", d.description or "")).lower()]
        table = self.table
        table.clear()
        previous = None
        for d in self.shown:
            namespace = d.namespace or ""
            table.add_row(Text(namespace, style="bold") if namespace != previous else "",
                          d.name or "", str(d.version or ""), str(d.type or ""),
                          str(d.step_count), d.description or "", key=full_name(d))
            previous = namespace
        namespaces = len({d.namespace for d in self.shown})
        self.query_one("#def-status", Static).update(
            f"{len(self.shown)} of {len(self.definitions)} definitions in {namespaces} "
            f"namespace{'s' if namespaces != 1 else ''}" + (f" · filter {text!r}" if text else ""))

    @property
    def current(self) -> ProcessDefinition | None:
        row = self.table.cursor_row
        return self.shown[row] if self.shown and 0 <= row < len(self.shown) else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.show()
        self.table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        if self.current is None:
            self.notify("no definition here to open", severity="warning")
            return
        self.app.push_screen(DefinitionScreen(self.current))

    def action_executions(self) -> None:
        if self.current is not None:
            self.app.run_worker(self.app.show_executions(self.current.namespace,
                                                         self.current.name),
                                exit_on_error=False)

    def action_run(self) -> None:
        if self.current is not None:
            open_run(self.app, self.current)

    def action_filter(self) -> None:
        self.query_one("#def-filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#def-filter", Input).value = ""
        self.show()
        self.table.focus()

    def action_refresh(self) -> None:
        self.load()


def open_run(app: MeshdeckApp, definition: ProcessDefinition) -> None:
    """The Run screen with ``definition`` chosen."""
    from console.tui.screens.run import RunScreen

    async def go() -> None:
        await app.switch_mode("run")
        screen = app.screen_stack[0]  # the section's own screen
        assert isinstance(screen, RunScreen)
        screen.choose(definition.namespace, definition.name)

    app.run_worker(go(), exit_on_error=False)


def step_label(step: StepDefinition) -> Text:
    label = Text(step.ref or step.name or "?", style="bold")
    label.append(f"  {step.type or '?'}", style="cyan")
    if step.name and step.name != step.ref:
        label.append(f"  {step.name}", style="dim")
    if step.optional:
        label.append("  optional", style="italic dim")
    return label


def stats_lines(stats: DurationStats, window: str) -> Text:
    text = Text()
    cap = "+" if stats.capped else ""
    text.append(f"Last {window}: ", style="bold")
    text.append(f"{stats.count:,}{cap} executions, {stats.finished:,} finished\n")
    rate = stats.success_rate
    text.append("success ")
    text.append("–" if rate is None else f"{rate:.0%}", style="bold green" if rate and rate >= 0.9
                else "bold red" if rate is not None else "dim")
    text.append(f" ({stats.succeeded:,}/{stats.finished:,})\n")
    if stats.mean_ms is None:
        text.append("no finished executions: no durations yet", style="dim")
    else:
        text.append(f"duration avg {duration(stats.mean_ms)} ± {duration(stats.stdev_ms)}"
                    f" · p95 {duration(stats.p95_ms)}")
    return text


class DefinitionScreen(MeshdeckScreen):
    """One definition: steps as a tree, configuration, and how its recent executions went."""

    TITLE = "Definition"
    CSS_PATH = "definitions.tcss"
    AUTO_FOCUS = "#steps"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the list of definitions"),
        Binding("e", "executions", "Executions",
                tooltip="The executions screen, filtered to this definition"),
        Binding("x", "run", "Run", tooltip="Start this definition (the Run screen, prefilled)"),
        Binding("w", "window", "Stats window", tooltip="Statistics over 24 h or 7 days"),
        Binding("V", "versions", "Versions",
                tooltip="Its versions, and the difference between two of them"),
        Binding("y", "source", "YAML/JSON",
                tooltip="The definition as a file would hold it (read-only, copyable)"),
        Binding("F", "resume_failed", "Resume failed on latest",
                tooltip="Resume this definition's FAILED executions of the last 7 days on its "
                        "latest version (asks first)"),
        Binding("g", "running", "Running ids", show=False,
                tooltip="The ids of this definition's unfinished executions (every version)"),
        Binding("r", "refresh", "Refresh", tooltip="Fetch the definition and statistics again"),
    ]

    def __init__(self, definition: ProcessDefinition) -> None:
        super().__init__()
        self.definition = definition
        self.window = "24h"
        self.stats: DurationStats | None = None

    def compose(self) -> ComposeResult:
        d = self.definition
        yield Header(icon="◆")
        title = Text(full_name(d), style="bold")
        title.append(f"  v{d.version or '?'}  {d.type or ''}  ", style="cyan")
        title.append(d.description or "", style="dim")
        yield Label(title, id="def-title")
        with Horizontal(id="def-body"):
            tree: Tree = Tree(f"{d.step_count} steps", id="steps")
            tree.show_root = True
            yield tree
            with Vertical(id="def-side"):
                yield Static(id="def-stats")
                yield Label("executions per hour", id="spark-label")
                yield Sparkline([], id="spark")
                yield JsonView("configuration", id="def-config")
        yield MeshdeckFooter()

    def _config_value(self) -> dict:
        d = self.definition
        return {"configuration": d.configuration or {}, "defaultInput": d.default_input or {}}

    def on_mount(self) -> None:
        self.sub_title = full_name(self.definition)
        self.fill_tree()
        # After the first refresh: the JSON tree must be mounted before it is filled.
        self.call_after_refresh(lambda: self.query_one(JsonView).show(self._config_value(),
                                                                      force=True))
        self.load()

    def fill_tree(self) -> None:
        tree = self.query_one("#steps", Tree)
        tree.clear()
        tree.root.set_label(f"{self.definition.step_count} steps")
        stack = [(tree.root, step) for step in reversed(self.definition.steps or [])]
        while stack:  # no recursion: a deep definition cannot overflow the stack
            parent, step = stack.pop()
            node = parent.add(step_label(step), data=step, expand=True,
                              allow_expand=bool(step.children))
            stack.extend((node, child) for child in reversed(step.children or []))
        tree.root.expand()

    @work(exclusive=True, group="definition", exit_on_error=False)
    async def load(self) -> None:
        d = self.definition
        stats = self.query_one("#def-stats", Static)
        stats.update("counting recent executions…")
        if d.namespace and d.name and not d.steps:
            self.definition = await self.app.backend.get_definition(d.namespace, d.name,
                                                                    d.version)
            self.fill_tree()
            self.query_one(JsonView).show(self._config_value())
        now = self.app.now_ms()
        window_ms = STATS_WINDOWS[self.window]
        rows, capped = await recent_executions(self.app.backend, d.namespace, d.name or "",
                                               now, window_ms)
        self.stats = duration_stats(rows, now, window_ms, capped=capped)
        stats.update(stats_lines(self.stats, self.window))
        self.query_one(Sparkline).data = self.stats.per_hour
        self.query_one("#spark-label", Label).update(
            f"executions per hour, last {self.window} (oldest left) · "
            f"peak {max(self.stats.per_hour, default=0)}")

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        self.app.notify_error(error, f"cannot load {full_name(self.definition)}")
        self.query_one("#def-stats", Static).update("statistics unavailable (r: retry)")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_executions(self) -> None:
        self.app.run_worker(self.app.show_executions(self.definition.namespace,
                                                     self.definition.name), exit_on_error=False)

    def action_run(self) -> None:
        open_run(self.app, self.definition)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "running":
            return self.app.backend.IMPLEMENTS_RUNNING_IDS  # hidden where there is no such call
        if action == "resume_failed":
            return not self.app.read_only and not self.app.backend.unsupported("resume_version")
        return True

    def action_versions(self) -> None:
        from console.tui.screens.definition_views import DefinitionVersionsScreen

        d = self.definition
        if d.namespace and d.name:
            self.app.push_screen(DefinitionVersionsScreen(d.namespace, d.name))

    def action_source(self) -> None:
        from console.tui.screens.definition_views import DefinitionSourceScreen

        self.app.push_screen(DefinitionSourceScreen(self.definition))

    @work(exclusive=True, group="resume-failed", exit_on_error=False)
    async def action_resume_failed(self) -> None:
        """Select this definition's FAILED executions of the last 7 days, each pinned to the
        latest version, and hand them to the usual confirm / progress / results flow."""
        from console.services.resume_version import failed_on_latest
        from console.tui import bulk

        d = self.definition
        if bulk.refused(self.app, "resume_version") or not (d.namespace and d.name):
            return
        self.notify(f"looking for FAILED executions of {full_name(d)}…", timeout=3)
        selection = await failed_on_latest(self.app.backend, d.namespace, d.name,
                                           self.app.now_ms() - 7 * 24 * HOUR_MS)
        bulk.start_selection(self.app, selection,
                             empty=f"no FAILED executions of {full_name(d)} in the last 7 days")

    def action_running(self) -> None:
        from console.tui.dialogs.process_list import ProcessRow, show_processes

        name = self.definition.name or ""

        async def load() -> list[ProcessRow]:
            return [ProcessRow(pid) for pid in await self.app.backend.running_ids(name)]

        show_processes(self.app, f"unfinished executions of {name}", "RUNNING or PAUSED, every "
                       "version", load, f"no execution of {name} is running")

    def action_window(self) -> None:
        names = list(STATS_WINDOWS)
        self.window = names[(names.index(self.window) + 1) % len(names)]
        self.load()

    def action_refresh(self) -> None:
        self.load()
