"""Failure groups: "40 failures: are they all the same thing?" (``g`` on the executions screen).

The FAILED and TIMED_OUT executions of the executions screen's filters, grouped by process,
failed step and error message with numbers, ids and times folded
(``console.services.failures``): a count, first and last seen and a trend over the window per
group, biggest first. Each failure is fetched with its steps, so the newest 1,000 at most are
grouped and the line under the table says so ("grouped the newest 1,000 of 4,312 failures").

On a group: ``enter`` shows its executions on the executions screen, ``u`` / ``t`` / ``v`` /
``R`` act on every execution of the group through the usual confirmation, ``c`` copies its ids.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, ProgressBar, Static

from console import format as fmt
from console.models import SearchQuery
from console.services.failures import DEFAULT_CAP, FailureGroup, FailureReport, sparkline
from console.tui.bulk import action_bindings
from console.tui.screens.base import MeshdeckScreen
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.vtable import Column, VirtualTable

#: The actions offered on a group (those the backend lacks are hidden).
GROUP_ACTIONS = ("resume", "terminate", "review", "rerun", "restart")


def group_columns(now_ms) -> list[Column]:
    """Count, process, failed step, error, first and last seen, trend; the error takes the
    room left, the process and the trend go first on a narrow terminal."""

    def ago(ms: int) -> str:
        return fmt.relative(ms, _at(now_ms()))

    return [
        Column("count", "count", 5, lambda g: f"{g.count:,}", sort_key=lambda g: g.count,
               align_right=True, whole=True),
        Column("process", "process", 18, lambda g: g.process, fit=True, fit_max=32,
               priority=3),
        Column("step", "failed step", 14, lambda g: g.step, fit=True, fit_max=24, priority=1),
        Column("error", "error (numbers and ids folded)", 24, lambda g: g.error, flex=True,
               style=lambda g: "red"),
        Column("first", "first", 8, lambda g: ago(g.first_seen_ms),
               sort_key=lambda g: g.first_seen_ms, align_right=True, whole=True, priority=4),
        Column("last", "last", 8, lambda g: ago(g.last_seen_ms),
               sort_key=lambda g: g.last_seen_ms, align_right=True, whole=True),
        Column("trend", "trend", 24, lambda g: sparkline(g.series), priority=2,
               style=lambda g: "yellow"),
    ]


def _at(ms: int):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def group_key(group: FailureGroup) -> str:
    return group.label


class FailureGroupsScreen(MeshdeckScreen):
    """Failure groups of a query; dismissed with a group's ids (enter) or None."""

    TITLE = "Failure groups"
    CSS_PATH = "failures.tcss"
    AUTO_FOCUS = "#groups"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the executions"),
        Binding("enter", "open_group", "Its executions",
                tooltip="Show this group's executions on the executions screen"),
        Binding("r", "refresh", "Regroup", tooltip="Fetch and group the failures again"),
        Binding("c", "copy_ids", "Copy ids", show=False, tooltip="Copy this group's ids"),
        *action_bindings(*GROUP_ACTIONS, shown=("resume", "terminate", "review", "rerun")),
    ]
    HELP_NOTES = (
        "Failures are grouped by process, failed step and error message, with numbers, ids, "
        "UUIDs, times and quoted values folded: \"order 123 timed out\" and \"order 456 timed "
        "out\" are one group (\"order # timed out\"). Each failure is fetched with its steps "
        f"(one request each), so the newest {DEFAULT_CAP:,} at most are grouped: the line under "
        "the table always says how many of how many. An action key acts on every execution of "
        "the highlighted group, after the usual confirmation.\n")
    FAILURE_WORDS = {"groups": "grouping failed"}
    #: How many failures are fetched and grouped (the newest).
    CAP = DEFAULT_CAP

    def __init__(self, query: SearchQuery, described: str) -> None:
        super().__init__()
        self.search = query
        self.sub_title = described
        self.report: FailureReport | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static(Text("Fetching the failures…", style="dim"), id="groups-head")
        yield ProgressBar(id="groups-progress", show_eta=False)
        yield VirtualTable(group_columns(self.app.now_ms), group_key, markable=False,
                           empty_text="no failures to group", id="groups")
        yield Static(id="group-sample")
        yield Static(id="groups-status", markup=False)
        yield MeshdeckFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#groups", VirtualTable)

    @property
    def current(self) -> FailureGroup | None:
        return self.table.current

    # ---- data ------------------------------------------------------------------------------

    @work(exclusive=True, group="groups", exit_on_error=False)
    async def load(self) -> None:
        from console.services.failures import failure_groups

        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)

        def fetched(done: int, total: int) -> None:
            bar.update(total=total, progress=done)
            self.query_one("#groups-head", Static).update(Text(
                f"Fetching the failures with their steps: {done:,} of {total:,}…", style="dim"))

        try:
            report = await failure_groups(self.app.backend, self.search, cap=self.CAP,
                                          now_ms=self.app.now_ms(), on_progress=fetched)
        finally:
            bar.display = False
        self.show(report)

    def worker_failed(self, worker, error: BaseException) -> None:
        super().worker_failed(worker, error)
        if self.report is None:
            self.query_one("#groups-head", Static).update(Text(
                "Could not group the failures (r: try again, escape: back)", style="bold red"))

    def show(self, report: FailureReport) -> None:
        self.report = report
        self.table.set_rows(report.groups, keep_cursor=True)
        head = Text.assemble((f"{len(report.groups):,} group"
                              f"{'s' if len(report.groups) != 1 else ''}", "bold"),
                             f" of the failures in {self.sub_title}")
        self.query_one("#groups-head", Static).update(head)
        status = report.summary()
        if report.capped:
            status += " (the newest are grouped; narrow the filters to see the rest)"
        self.query_one("#groups-status", Static).update(status)
        self._show_sample()
        self.refresh_bindings()

    def on_virtual_table_cursor_moved(self, _event: VirtualTable.CursorMoved) -> None:
        self._show_sample()

    def _show_sample(self) -> None:
        """The highlighted group: its newest error in its own words, statuses, how many."""
        group = self.current
        box = self.query_one("#group-sample", Static)
        box.display = group is not None
        if group is None:
            return
        statuses = ", ".join(f"{n:,} {s}" for s, n in group.statuses.items())
        box.update(Text.assemble(
            (f"{group.process} · {group.step}", "bold"), f"  ({statuses}; last seen ",
            fmt.relative(group.last_seen_ms, self.app.now()), ")\n",
            ("newest: ", "dim"), (group.sample, "")))

    # ---- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            if self.app.read_only or self.app.backend.unsupported(str(parameters[0])):
                return False
            return True if self.current is not None else None
        if action in ("open_group", "copy_ids"):
            return True if self.current is not None else None
        return True

    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_open_group(self) -> None:
        if self.current is not None:
            self.dismiss(list(self.current.ids))

    def action_copy_ids(self) -> None:
        group = self.current
        if group is not None:
            self.app.copy("\n".join(group.ids), f"the {group.count:,} ids of this group")

    def action_act(self, action: str) -> None:
        """Act on every execution of the highlighted group (the confirmation says how many and
        which of them the action applies to now)."""
        group = self.current
        if group is None:
            return
        self.app.start_action(action, list(group.ids))
