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

from datetime import UTC, datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import ProgressBar, Static

from console import format as fmt
from console.models import SearchQuery
from console.services.failures import DEFAULT_CAP, FailureGroup, FailureReport, sparkline
from console.tui.bulk import action_bindings
from console.tui.screens.table_screen import TableScreen
from console.tui.widgets.vtable import Column

#: The actions offered on a group (those the backend lacks are hidden).
GROUP_ACTIONS = ("resume", "terminate", "review", "rerun", "restart")


def group_columns(now_ms) -> list[Column]:
    """Count, process, failed step, error, first and last seen, trend; the error takes the
    room left; on a narrow terminal first seen goes first, then the trend, then the failed
    step: the process stays (a group that does not say whose failure it is says little)."""

    def ago(ms: int) -> str:
        return fmt.relative(ms, datetime.fromtimestamp(now_ms() / 1000, tz=UTC))

    return [
        Column("count", "count", 5, lambda g: f"{g.count:,}", sort_key=lambda g: g.count,
               align_right=True, whole=True),
        Column("process", "process", 18, lambda g: g.process, fit=True, fit_max=32,
               priority=1),
        Column("step", "failed step", 14, lambda g: g.step, fit=True, fit_max=24, priority=2),
        Column("error", "error (numbers and ids folded)", 24, lambda g: g.error, flex=True,
               style=lambda g: "red"),
        Column("first", "first", 8, lambda g: ago(g.first_seen_ms),
               sort_key=lambda g: g.first_seen_ms, align_right=True, whole=True, priority=4),
        Column("last", "last", 8, lambda g: ago(g.last_seen_ms),
               sort_key=lambda g: g.last_seen_ms, align_right=True, whole=True),
        Column("trend", "trend", 24, lambda g: sparkline(g.series), priority=3,
               style=lambda g: "yellow"),
    ]


class FailureGroupsScreen(TableScreen):
    """Failure groups of a query; dismissed with a group's ids (enter) or None."""

    TITLE = "Failure groups"
    EMPTY = "no failures to group"
    BOX = "error"
    STATUS_LINE = True
    BINDINGS = [
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

    def columns(self) -> list[Column]:
        return group_columns(self.app.now_ms)

    def row_key(self, group: FailureGroup) -> str:
        return group.label

    def head_text(self) -> Text:
        return Text("Fetching the failures…", style="dim")

    def compose_above(self) -> ComposeResult:
        yield ProgressBar(show_eta=False)

    # ---- data ------------------------------------------------------------------------------

    @work(exclusive=True, group="groups", exit_on_error=False)
    async def load(self) -> None:
        from console.services.failures import failure_groups

        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)

        def fetched(done: int, total: int) -> None:
            bar.update(total=total, progress=done)
            self.set_head(Text(f"Fetching the failures with their steps: {done:,} of "
                               f"{total:,}…", style="dim"))

        try:
            report = await failure_groups(self.app.backend, self.search, cap=self.CAP,
                                          now_ms=self.app.now_ms(), on_progress=fetched)
        finally:
            bar.display = False
        self.show(report)

    def worker_failed(self, worker, error: BaseException) -> None:
        super().worker_failed(worker, error)
        if self.report is None:
            self.set_head(Text("Could not group the failures (r: try again, escape: back)",
                               style="bold red"))

    def show(self, report: FailureReport) -> None:
        self.report = report
        self.set_rows(report.groups)
        n = len(report.groups)
        self.set_head(Text.assemble((f"{n:,} group{'s' if n != 1 else ''}", "bold"),
                                    f" of the failures in {self.sub_title}"))
        status = report.summary()
        if report.capped:
            status += " (the newest are grouped; narrow the filters to see the rest)"
        self.query_one("#status", Static).update(status)
        self.refresh_bindings()

    def box(self, group: FailureGroup) -> Text:
        """The highlighted group: its newest error in its own words, statuses, last seen."""
        statuses = ", ".join(f"{n:,} {s}" for s, n in group.statuses.items())
        return Text.assemble(
            (f"{group.process} · {group.step}", "bold"), f"  ({statuses}; last seen ",
            fmt.relative(group.last_seen_ms, self.app.now()), ")\n",
            ("newest: ", "dim"), (group.sample, ""))

    # ---- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            if self.app.read_only or self.app.backend.unsupported(str(parameters[0])):
                return False
            return True if self.current is not None else None
        if action in ("open_group", "copy_ids"):
            return True if self.current is not None else None
        return True

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
        if group is not None:
            self.app.start_action(action, list(group.ids))
