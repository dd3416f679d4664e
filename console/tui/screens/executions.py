"""The home screen: find executions, mark them, act on them in bulk.

Every backend call runs in a worker; a failure shows one notification (``worker_failed``) and
the last good rows stay. Workers: ``search`` (a page, or "load all" streaming every page),
``counts`` (status facets: capped at ``FACET_CAP`` each, or exact when asked with ``#``),
``matching`` (what "all matching" selects, when an action needs it). The state and the status
line that follows it are in ``executions_state``; marks, "all matching", the targets of an
action and stale rows in ``executions_selection``.
"""

from __future__ import annotations

import asyncio

import gc
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, ProgressBar
from textual.worker import Worker

from console.errors import MeshdeckError
from console.models import ProcessData, ProcessSummary
from console.services.search import (COUNT_CAP, Count, count_by_status, count_exactly, fetch_page,
                                     iter_pages, total_count)
from console.tui.bulk import action_bindings
from console.tui.commands import PaletteCommand
from console.tui.filters import DEFAULT_WINDOW, WINDOWS, Filters
from console.tui.screens.executions_oncall import ExecutionsOnCall
from console.tui.screens.executions_state import StatusLine, TableFacts
from console.tui.widgets.facets import StatusFacets
from console.tui.widgets.filter_bar import FilterBar
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.process_table import NO_MATCH, ProcessTable
from console.tui.widgets.query_line import QueryLine
from console.tui.widgets.screen_tabs import ScreenTabs
from console.tui.widgets.vtable import VirtualTable

PAGE_SIZE = 100
LOAD_ALL_PAGE = 1000
#: Where a status facet stops counting ("1,000+"). The API has no count, so each facet pages
#: through matches: two requests per status at most, on every refresh, even on a busy server.
FACET_CAP = 1000
AUTO_REFRESH = (0, 5, 30)


class ExecutionsScreen(ExecutionsOnCall):
    """Executions in a time window, filtered, paged, marked, acted upon."""

    TITLE = "Executions"
    CSS_PATH = "executions.tcss"
    AUTO_FOCUS = "ProcessTable"
    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Open the execution's detail"),
        Binding("slash", "focus_search", "Search", key_display="/",
                tooltip="Type a full text search (enter applies)"),
        Binding("r", "refresh", "Refresh", tooltip="Search again now"),
        Binding("t", "act('terminate')", "Terminate", tooltip="Terminate the marked executions"),
        Binding("u", "act('resume')", "Resume", tooltip="Resume the marked executions"),
        Binding("v", "act('review')", "Reviewed", tooltip="Mark the marked executions reviewed"),
        Binding("R", "act('rerun')", "Rerun", tooltip="Start the marked executions again"),
        Binding("U", "act('resume_version')", "Resume on version", show=False,
                tooltip="Resume the marked executions on another version of their definition "
                        "(e.g. the latest, after a fix)"),
        *action_bindings("pause", "restart", "restart_latest", "remove",
                         shown=("pause", "restart")),
        Binding("n", "page(1)", "Next page", show=False, tooltip="Next page of results"),
        Binding("p", "page(-1)", "Prev page", show=False, tooltip="Previous page of results"),
        Binding("L", "load_all", "Load all", show=False,
                tooltip="Stream every match into the table (again: stop)"),
        Binding("A", "all_matching", "All matching", show=False,
                tooltip="Select every execution matching the filters on the server (the next "
                f"action asks about the newest {COUNT_CAP:,} at most)"),
        Binding("number_sign", "count_exactly", "Count exactly", show=False, key_display="#",
                tooltip="Count every match and each status exactly (the counts stop at "
                f"{FACET_CAP:,})"),
        Binding("escape", "clear_marks", "Clear marks", show=False,
                tooltip="Unmark everything (and drop 'all matching'); new filters clear the "
                "marks too"),
        Binding("c", "copy_ids", "Copy ids", show=False,
                tooltip="Copy the marked (or current) process ids"),
        Binding("a", "auto_refresh", "Auto-refresh", show=False,
                tooltip="Cycle auto-refresh: off, 5 s, 30 s"),
        Binding("f", "more_filters", "More filters", show=False,
                tooltip="Show or hide triggers, types, ids and tags"),
        Binding("s", "sort", "Sort", show=False, tooltip="Sort by the next column"),
        Binding("S", "sort_reverse", "Reverse sort", show=False,
                tooltip="Flip the sort direction"),
        *[Binding(str(i + 1), f"facet_at({i})", f"Toggle status {i + 1}", show=False,
                  tooltip=f"Show the executions of the status on chip {i + 1} (with the other "
                          "chosen statuses)")
          for i in range(9)],
    ]

    HELP_NOTES = (
        "What an action goes to: the marked executions, else the highlighted row. Changing the "
        "filters (window, statuses, names, search) clears the marks and says so, so an action "
        "never goes to rows you cannot see; marks on other pages of the same filters stay, and "
        "the confirmation lists them apart. A selects every match of the filters: the action "
        f"then asks about the newest {COUNT_CAP:,} at most and says when more match.\n"
        f"Each status count stops at {FACET_CAP:,} (\"{FACET_CAP:,}+\"), so the total reads \"at "
        "least N\"; # counts every match exactly. "
        "After an action, rows that could not be read again are dim with a \"?\" until a refresh (r) "
        "succeeds.\n")
    FAILURE_WORDS = {"search": "search failed", "matching": "search failed",
                     "exact": "exact count failed"}

    def __init__(self, window: str = DEFAULT_WINDOW) -> None:
        super().__init__()
        self.start_window = window
        self.set_reactive(ExecutionsScreen.filters, Filters(window=window))
        #: Matches per status, as the facets show them (filled in one status at a time).
        self.counts: dict[str, Count] = {}
        self._counts_due = False
        #: The filter bar's completions are fetched once, after the first page is painted.
        self._completions_due = True

    # ---- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield ScreenTabs("executions", self.app.SECTIONS)
        yield FilterBar(self.start_window, self.app.settings.namespace or "",
                        self.app.backend.UNSUPPORTED_FILTERS, id="filters")
        yield QueryLine(id="query-line")
        yield StatusFacets(self.app.backend.STATUSES, id="facets")
        yield ProcessTable(self.app.now, namespace_label=self.app.backend.NAMESPACE_LABEL,
                           profiles=self.app.profiles, id="table")
        yield ProgressBar(id="progress", show_eta=False)
        yield StatusLine(id="status", markup=False).data_bind(line=ExecutionsScreen.status_line)
        yield MeshdeckFooter()

    def on_mount(self) -> None:
        self.filters = self.query_one(FilterBar).read([])
        self.refresh_data()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "facet_at":
            return int(str(parameters[0])) < len(self.app.backend.STATUSES)
        if action == "act" and self.app.read_only:
            return False
        if action == "act" and parameters:
            if self.app.backend.unsupported(str(parameters[0])):
                return False  # this backend lacks it (e.g. review on Conductor): hidden
        return True

    # ---- loading ---------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Search again with the current filters, in the current mode (page or all). The status
        counts follow the first page, so they never delay it."""
        if self.loaded_all:
            self.load_all()
            self.load_counts()
        else:
            self._counts_due = True
            self.load_page()

    def _query(self, **kwargs):
        try:
            return self.filters.to_query(self.app.now(), **kwargs)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return None

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "counts":
            # No second notification (the search reports errors): the facet being counted
            # shows "?", those not reached yet stay "…".
            status = next((s for s in self.app.backend.STATUSES if s not in self.counts), None)
            if status is not None:
                self.facets.set_count(status, "?")
            return
        super().worker_failed(worker, error)
        self.last_error = str(error) if isinstance(error, MeshdeckError) else type(error).__name__
        # An empty table must not read as "nothing failed" when the search itself failed.
        self.table.empty_text = f"the search failed: {self.last_error} (r: retry)"
        self.table.refresh()

    def _show_rows(self, rows: list[ProcessSummary], *, append: bool = False) -> None:
        """Rows a search read into the table (replacing the rows shown, or after them)."""
        table = self.table  # a query: once, not once per row
        self.rows_read({table.row_key(r) for r in rows}, replaced=not append)
        if append:
            table.append_rows(rows)
        else:
            table.set_rows(rows)
        self.marks_follow_rows()
        self.table_facts = TableFacts.of(self.table)
        self.rows_changed(rows)

    def _slim(self, rows: list[ProcessData]) -> list[ProcessSummary]:
        """The rows' summaries (not their payloads: 100,000 of those need gigabytes)."""
        return [ProcessSummary.of(p) for p in rows]

    @work(exclusive=True, group="search", exit_on_error=False)
    async def load_page(self) -> None:
        query = self._query(offset=self.page_offset, limit=PAGE_SIZE)
        if query is None:
            return
        page = await fetch_page(self.app.backend, query)
        self.last_error = None
        self.has_more = page.has_more
        self.table.empty_text = NO_MATCH
        self._show_rows(self._slim(page.rows))
        self.say_dropped()
        if self._counts_due:
            self._counts_due = False
            self.table.call_after_refresh(self.load_counts)  # once the rows are on the screen
        if self._completions_due:
            self._completions_due = False
            self.table.call_after_refresh(self.load_completions)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def load_all(self) -> None:
        query = self._query(offset=0, limit=LOAD_ALL_PAGE)
        if query is None:
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=self.total.value if self.total and not self.total.capped else None,
                   progress=0)
        self.loaded_all, self.page_offset = True, 0
        first = True
        async for rows in iter_pages(self.app.backend, query, page_size=LOAD_ALL_PAGE,
                                     summaries=True, ahead=True):
            # Keys pressed while the page was read are handled before the table takes it:
            # reading and showing a page of 1,000 rows in one go kept them waiting ~50 ms.
            await asyncio.sleep(0)
            self._show_rows(rows, append=not first)  # type: ignore[arg-type]
            # The rows live as long as the table: out of the cyclic collector's full passes,
            # which otherwise stop the app for ~150 ms each once 100,000 rows are loaded
            # (the rows are freed as usual when replaced: they hold no cycles).
            gc.freeze()
            first = False
            bar.advance(len(rows))
        self.table.empty_text = NO_MATCH
        if first:
            self._show_rows([])
        self.table.resort()
        self.last_error = None
        self.say_dropped()

    @work(exclusive=True, group="counts", exit_on_error=False)
    async def load_counts(self) -> None:
        query = self._query(offset=0, limit=PAGE_SIZE, statuses=[])
        if query is None:
            return
        self.facets.reset_counts()
        self.counts, self.total = {}, None
        await count_by_status(self.app.backend, query, self.app.backend.STATUSES, cap=FACET_CAP,
                              on_count=self._counted)
        # Without a status filter, statuses outside the known seven are not in this total.
        self.total = total_count(self.counts, self.filters.statuses or self.app.backend.STATUSES)

    @work(exclusive=True, group="exact", exit_on_error=False)
    async def load_exact_counts(self) -> None:
        """Every status counted to the end (one walk through every match, or the backend's
        count): the person asked and waits; the facets and the total become exact."""
        query = self._query(offset=0, limit=LOAD_ALL_PAGE, statuses=[])
        if query is None:
            return
        self.notify("counting every match exactly…", timeout=3)
        counts = await count_exactly(self.app.backend, query, self.app.backend.STATUSES)
        self.workers.cancel_group(self, "counts")  # a capped count must not overwrite these
        self.counts = counts
        for status in self.app.backend.STATUSES:
            self.facets.set_count(status, str(counts[status]))
        self.total = total = total_count(counts, self.filters.statuses or list(counts))
        self.notify(f"{total.value:,} execution{'s' if total.value != 1 else ''} match "
                    "(counted exactly)", timeout=5)

    def _counted(self, status: str, count: Count) -> None:
        self.counts[status] = count
        self.facets.set_count(status, str(count))

    # ---- events ----------------------------------------------------------------------------

    def on_filter_bar_applied(self, event: FilterBar.Applied) -> None:
        self.apply_filters()
        self.table.focus()

    def on_status_facets_toggled(self, event: StatusFacets.Toggled) -> None:
        self.apply_filters()

    def filter_to(self, namespace: str | None, name: str | None) -> None:
        """Show one definition's executions (``namespace``/``name``; the other filters stay)."""
        self.query_one(FilterBar).set_definition(namespace or "", name or "")
        self.apply_filters()
        self.table.focus()

    def apply_filters(self) -> None:
        """New filters: back to the first page; marks are cleared if the filters changed."""
        old = self.filters
        self.filters = self.query_one(FilterBar).read(sorted(self.facets.selected,
                                                             key=self.app.backend.STATUSES.index))
        self.filters_changed(old, self.filters)
        self.page_offset, self.loaded_all = 0, False
        self.refresh_data()

    def matching_query(self):
        return self._query(offset=0, limit=LOAD_ALL_PAGE)

    def on_virtual_table_sort_changed(self, event: VirtualTable.SortChanged) -> None:
        self.table_facts = TableFacts.of(event.table)

    def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        self.app.open_process(str(event.row.process_id))

    # ---- actions ---------------------------------------------------------------------------

    def action_open(self) -> None:
        row = self.table.current
        if row is None:
            self.notify("no execution here to open", severity="warning")
            return
        self.app.open_process(str(row.process_id))

    def action_focus_search(self) -> None:
        self.query_one(FilterBar).focus_text()

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_page(self, direction: int) -> None:
        if self.loaded_all:
            self.notify("every match is loaded: scroll instead, or press r to go back to pages")
            self.loaded_all = False
            return
        if direction > 0 and not self.has_more:
            self.notify("this is the last page")
            return
        if direction < 0 and self.page_offset == 0:
            self.notify("this is the first page")
            return
        self.page_offset = max(0, self.page_offset + direction * PAGE_SIZE)
        self.load_page()

    def action_load_all(self) -> None:
        if self.loaded_all and self.busy:
            self.workers.cancel_group(self, "search")  # busy and the progress bar follow
            self.notify(f"stopped loading at {len(self.table.rows):,} rows")
            return
        self.load_all()

    def action_count_exactly(self) -> None:
        self.load_exact_counts()

    def action_auto_refresh(self) -> None:
        self.set_auto_refresh(AUTO_REFRESH[(AUTO_REFRESH.index(self.refresh_every) + 1)
                                           % len(AUTO_REFRESH)])

    def set_auto_refresh(self, seconds: int) -> None:
        self.refresh_every = seconds  # the timer follows (ExecutionsState.watch_refresh_every)

    def action_more_filters(self) -> None:
        self.query_one(FilterBar).toggle_more()

    def action_sort(self) -> None:
        keys = [key for key, _ in self.table.sortable]
        current = self.table.sort_column
        following = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.table.sort_by(following, reverse=False)

    def action_sort_reverse(self) -> None:
        self.table.sort_by(self.table.sort_column or "started", reverse=not self.table.sort_reverse)

    def action_facet_at(self, index: int) -> None:
        """Toggle the status on chip ``index`` (0-based) of the backend's statuses."""
        if 0 <= index < len(self.app.backend.STATUSES):
            self.facets.toggle(self.app.backend.STATUSES[index])

    def palette_commands(self) -> list[PaletteCommand]:
        """Extra palette entries: saved views and columns, sort by each column, each time
        window, auto-refresh."""
        commands = super().palette_commands()
        commands += [PaletteCommand(f"Sort by {label}", "sort the table by this column",
                                   lambda key=key: self.table.sort_by(key, reverse=False))
                    for key, label in self.table.sortable]
        commands += [PaletteCommand(f"Time window: {w}", "search this time window",
                                    lambda w=w: self.query_one(FilterBar).set_window(w))
                     for w in WINDOWS]
        commands += [PaletteCommand(f"Toggle {status}", f"show {status} executions (key {n})",
                                    lambda i=n - 1: self.action_facet_at(i))
                     for n, status in enumerate(self.app.backend.STATUSES, start=1)]
        commands += [PaletteCommand(f"Auto-refresh: {f'every {s}s' if s else 'off'}",
                                    "refresh the results on a timer",
                                    lambda s=s: self.set_auto_refresh(s)) for s in AUTO_REFRESH]
        return commands
