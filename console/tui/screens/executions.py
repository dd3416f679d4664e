"""The home screen: find executions, mark them, act on them in bulk.

Every backend call runs in a worker; a failure shows a notification and the last good rows stay.
Workers: ``search`` (a page, or "load all" streaming every page), ``counts`` (status facets),
``matching`` ("select all matching": every id and status of the query, capped).
"""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, ProgressBar, Static

from console.errors import MeshdeckError
from console.models import ProcessData, ProcessSummary
from console.services.search import COUNT_CAP, Count, count_matches, fetch_page, iter_pages
from console.tui.bulk import ActionsDone
from console.tui.commands import PaletteCommand
from console.tui.filters import DEFAULT_WINDOW, WINDOWS, Filters
from console.tui.widgets.facets import STATUSES, StatusFacets
from console.tui.widgets.filter_bar import FilterBar
from console.tui.widgets.process_table import NO_MATCH, ProcessTable
from console.tui.widgets.screen_tabs import ScreenTabs
from console.tui.widgets.vtable import VirtualTable

PAGE_SIZE = 100
LOAD_ALL_PAGE = 1000
#: Where a status facet stops counting ("1,000+"). The API has no count, so each facet pages
#: through matches: two requests per status at most, on every refresh, even on a busy server.
FACET_CAP = 1000
AUTO_REFRESH = (0, 5, 30)


class ExecutionsScreen(Screen):
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
        Binding("n", "page(1)", "Next page", show=False, tooltip="Next page of results"),
        Binding("p", "page(-1)", "Prev page", show=False, tooltip="Previous page of results"),
        Binding("L", "load_all", "Load all", show=False,
                tooltip="Stream every match into the table (again: stop)"),
        Binding("A", "all_matching", "All matching", show=False,
                tooltip="Select every execution matching the query on the server"),
        Binding("escape", "clear_marks", "Clear marks", show=False,
                tooltip="Unmark everything (and drop 'all matching')"),
        Binding("c", "copy_ids", "Copy ids", show=False,
                tooltip="Copy the marked (or current) process ids"),
        Binding("a", "auto_refresh", "Auto-refresh", show=False,
                tooltip="Cycle auto-refresh: off, 5 s, 30 s"),
        Binding("w", "window", "Window", show=False,
                tooltip="Cycle the time window: 15m, 1h, 24h, 7d"),
        Binding("f", "more_filters", "More filters", show=False,
                tooltip="Show or hide triggers, types, ids and tags"),
        Binding("s", "sort", "Sort", show=False, tooltip="Sort by the next column"),
        Binding("S", "sort_reverse", "Reverse sort", show=False,
                tooltip="Flip the sort direction"),
        *[Binding(str(i + 1), f"facet('{s}')", f"Toggle {s}", show=False,
                  tooltip=f"Show {s} executions (with the other chosen statuses)")
          for i, s in enumerate(STATUSES)],
    ]

    def __init__(self, window: str = DEFAULT_WINDOW) -> None:
        super().__init__()
        self.start_window = window
        self.filters = Filters(window=window)
        self.page_offset = 0
        self.has_more = False
        self.loaded_all = False
        self.busy = False
        self.total: Count | None = None
        self.counts: dict[str, Count] = {}
        self._counts_due = False
        self.all_matching: dict[str, str | None] | None = None
        self.all_matching_capped = False
        self.refresh_every = 0
        self._timer: Timer | None = None
        self.last_error: str | None = None

    # ---- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield ScreenTabs("executions", self.app.SECTIONS)
        yield FilterBar(self.start_window, self.app.settings.namespace or "", id="filters")
        yield StatusFacets(id="facets")
        yield ProcessTable(self.app.now, id="table")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static(id="status", markup=False)
        yield Footer()

    @property
    def table(self) -> ProcessTable:
        return self.query_one(ProcessTable)

    @property
    def facets(self) -> StatusFacets:
        return self.query_one(StatusFacets)

    def on_mount(self) -> None:
        self.filters = self.query_one(FilterBar).read([])
        self.refresh_data()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act" and self.app.read_only:
            return False
        if action == "act" and parameters:
            if self.app.backend.unsupported(str(parameters[0])):
                return False  # this backend lacks it (e.g. review on Conductor): hidden
        return True

    # ---- status line -----------------------------------------------------------------------

    def update_status(self) -> None:
        table = self.table
        rows = len(table.rows)
        if self.loaded_all:
            span = f"all {rows:,} loaded" + (" (loading…)" if self.busy else "")
        elif rows:
            end = self.page_offset + rows
            if not self.has_more:
                of = f"{end:,}"
            elif self.total is not None and self.total.value >= end:
                of = str(self.total)
            else:
                of = "many"
            span = f"{self.page_offset + 1:,}–{end:,} of {of}"
        else:
            span = "loading…" if self.busy else "no rows"
        parts = [span]
        if self.all_matching is not None:
            cap = "+" if self.all_matching_capped else ""
            parts.append(f"all {len(self.all_matching):,}{cap} matching selected")
        elif table.marks:
            hidden = len(table.marks - {table.row_key(r) for r in table.rows})
            parts.append(f"{len(table.marks):,} marked" + (f" ({hidden} not shown)"
                                                           if hidden else ""))
        if table.sort_column:
            parts.append(f"sorted by {table.sort_column} {'▼' if table.sort_reverse else '▲'}")
        parts.append(f"auto-refresh {self.refresh_every}s" if self.refresh_every
                     else "auto-refresh off")
        if self.app.read_only:
            parts.append("READ-ONLY")
        if self.last_error:
            parts.append(f"last error: {self.last_error}")
        parts.append(self.filters.describe())
        self.query_one("#status", Static).update("  ·  ".join(parts))

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

    def _failed(self, exc: BaseException) -> None:
        self.last_error = str(exc) if isinstance(exc, MeshdeckError) else type(exc).__name__
        self.app.notify_error(exc, "search failed")
        # An empty table must not read as "nothing failed" when the search itself failed.
        self.table.empty_text = f"the search failed: {self.last_error} (r: retry)"
        self.table.refresh()

    def _slim(self, rows: list[ProcessData]) -> list[ProcessSummary]:
        """The rows' summaries (not their payloads: 100,000 of those need gigabytes)."""
        return [ProcessSummary.of(p) for p in rows]

    @work(exclusive=True, group="search")
    async def load_page(self) -> None:
        query = self._query(offset=self.page_offset, limit=PAGE_SIZE)
        if query is None:
            return
        self.busy = True
        self.update_status()
        try:
            page = await fetch_page(self.app.backend, query)
        except Exception as exc:  # MeshdeckError and anything unexpected: never crash
            self._failed(exc)
        else:
            self.last_error = None
            self.has_more = page.has_more
            self.table.empty_text = NO_MATCH
            self.table.set_rows(self._slim(page.rows))
            if self._counts_due:
                self._counts_due = False
                self.load_counts()
        finally:
            self.busy = False
            self.update_status()

    @work(exclusive=True, group="search")
    async def load_all(self) -> None:
        query = self._query(offset=0, limit=LOAD_ALL_PAGE)
        if query is None:
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=self.total.value if self.total and not self.total.capped else None,
                   progress=0)
        bar.display = True
        self.busy, self.loaded_all, self.page_offset = True, True, 0
        first = True
        try:
            async for page_rows in iter_pages(self.app.backend, query, page_size=LOAD_ALL_PAGE):
                rows = self._slim(page_rows)
                if first:
                    self.table.set_rows(rows)
                    first = False
                else:
                    self.table.append_rows(rows)
                bar.advance(len(rows))
                self.update_status()
            self.table.empty_text = NO_MATCH
            if first:
                self.table.set_rows([])
            self.table.resort()
            self.last_error = None
        except Exception as exc:
            self._failed(exc)
        finally:
            self.busy = False
            bar.display = False
            self.update_status()

    @work(exclusive=True, group="counts")
    async def load_counts(self) -> None:
        query = self._query(offset=0, limit=PAGE_SIZE, statuses=[])
        if query is None:
            return
        self.facets.reset_counts()
        self.counts, self.total = {}, None
        for status in STATUSES:
            try:
                count = await count_matches(self.app.backend, replace(query, statuses=[status]),
                                            cap=FACET_CAP)
            except Exception:  # the search worker reports errors; a facet just shows "?"
                self.facets.set_count(status, "?")
                return
            self.counts[status] = count
            self.facets.set_count(status, str(count))
        chosen = self.filters.statuses or STATUSES
        total = sum(self.counts[s].value for s in chosen if s in self.counts)
        capped = any(self.counts[s].capped for s in chosen if s in self.counts)
        # Without a status filter, statuses outside the known seven are not in this total.
        self.total = Count(total, capped)
        self.update_status()

    @work(exclusive=True, group="matching")
    async def collect_matching(self) -> None:
        query = self._query(offset=0, limit=LOAD_ALL_PAGE)
        if query is None:
            return
        self.notify("collecting every matching execution…", timeout=3)
        found: dict[str, str | None] = {}
        try:
            async for rows in iter_pages(self.app.backend, query, page_size=LOAD_ALL_PAGE,
                                         max_rows=COUNT_CAP + 1):
                found.update((str(p.process_id), p.status) for p in rows)
        except Exception as exc:
            self._failed(exc)
            return
        self.all_matching_capped = len(found) > COUNT_CAP
        self.all_matching = dict(list(found.items())[:COUNT_CAP])
        self.table.set_marks(self.all_matching)
        self.update_status()

    # ---- events ----------------------------------------------------------------------------

    def on_filter_bar_applied(self, event: FilterBar.Applied) -> None:
        self._apply_filters()
        self.table.focus()

    def on_status_facets_toggled(self, event: StatusFacets.Toggled) -> None:
        self._apply_filters()

    def _apply_filters(self) -> None:
        """New filters: back to the first page; marks stay (they are ids)."""
        self.filters = self.query_one(FilterBar).read(sorted(self.facets.selected,
                                                             key=STATUSES.index))
        self.page_offset, self.loaded_all, self.all_matching = 0, False, None
        self.refresh_data()

    def on_virtual_table_marks_changed(self, event: VirtualTable.MarksChanged) -> None:
        if self.all_matching is not None and event.table.marks != set(self.all_matching):
            self.all_matching = None  # the user changed the selection by hand
        self.update_status()

    def on_virtual_table_sort_changed(self, event: VirtualTable.SortChanged) -> None:
        self.update_status()

    def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        self.app.open_process(str(event.row.process_id))

    def on_actions_done(self, _event: ActionsDone) -> None:
        """After an action the marked executions have moved on: drop the marks, so the next
        action cannot go to them by accident or on stale statuses."""
        self.all_matching = None
        self.table.clear_marks()
        self.refresh_data()

    # ---- actions ---------------------------------------------------------------------------

    def action_open(self) -> None:
        row = self.table.current
        if row is None:
            self.notify("no execution here to open", severity="warning")
            return
        self.app.open_process(str(row.process_id))

    def action_focus_search(self) -> None:
        self.query_one("#f-text").focus()

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
            self.workers.cancel_group(self, "search")
            self.busy = False
            self.query_one(ProgressBar).display = False
            self.notify(f"stopped loading at {len(self.table.rows):,} rows")
            self.update_status()
            return
        self.load_all()

    def action_all_matching(self) -> None:
        self.collect_matching()

    def action_clear_marks(self) -> None:
        if self.focused is not None and self.focused.id and self.focused.id.startswith("f-"):
            self.table.focus()
            return
        self.all_matching = None
        self.table.clear_marks()

    def action_auto_refresh(self) -> None:
        self.set_auto_refresh(AUTO_REFRESH[(AUTO_REFRESH.index(self.refresh_every) + 1)
                                           % len(AUTO_REFRESH)])

    def set_auto_refresh(self, seconds: int) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.refresh_every = seconds
        if seconds:
            self._timer = self.set_interval(seconds, self._auto_tick)
        self.update_status()

    def _auto_tick(self) -> None:
        if not self.busy and self.app.screen is self:
            self.refresh_data()

    def action_window(self) -> None:
        presets = [w for w in WINDOWS if w != "custom"]
        current = self.filters.window
        following = presets[(presets.index(current) + 1) % len(presets)] \
            if current in presets else presets[0]
        self.query_one(FilterBar).set_window(following)

    def action_more_filters(self) -> None:
        if self.query_one(FilterBar).toggle_more():
            self.query_one("#f-triggers").focus()

    def action_sort(self) -> None:
        keys = [key for key, _ in self.table.sortable]
        current = self.table.sort_column
        following = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.table.sort_by(following, reverse=False)

    def action_sort_reverse(self) -> None:
        self.table.sort_by(self.table.sort_column or "started", reverse=not self.table.sort_reverse)

    def action_facet(self, status: str) -> None:
        self.facets.toggle(status)

    def targets(self) -> tuple[list[str], dict[str, str | None]]:
        """The ids an action applies to: all matching, else the marks, else the current row."""
        if self.all_matching is not None:
            return list(self.all_matching), dict(self.all_matching)
        table = self.table
        if table.marks:
            shown = [table.row_key(r) for r in table.marked_rows()]
            ids = shown + sorted(table.marks - set(shown))
        elif table.current is not None:
            ids = [table.row_key(table.current)]
        else:
            return [], {}
        # Statuses of the rows on screen only (fresh as of the last search); marks on other
        # pages are looked up again by the confirmation.
        shown_status = {table.row_key(r): r.status for r in table.rows}
        return ids, {i: shown_status.get(i) for i in ids}

    def action_act(self, action: str) -> None:
        ids, statuses = self.targets()
        if not ids:
            self.notify("nothing to act on: no executions are shown", severity="warning")
            return
        self.app.start_action(action, ids, {k: v for k, v in statuses.items() if v is not None})

    def action_copy_ids(self) -> None:
        ids, _ = self.targets()
        if ids:
            self.app.copy("\n".join(ids), f"{len(ids):,} process id{'s' if len(ids) > 1 else ''}")

    def palette_commands(self) -> list[PaletteCommand]:
        """Extra palette entries: sort by each column, each time window, auto-refresh."""
        commands = [PaletteCommand(f"Sort by {label}", "sort the table by this column",
                                   lambda key=key: self.table.sort_by(key, reverse=False))
                    for key, label in self.table.sortable]
        commands += [PaletteCommand(f"Time window: {w}", "search this time window",
                                    lambda w=w: self.query_one(FilterBar).set_window(w))
                     for w in WINDOWS]
        commands += [PaletteCommand(f"Auto-refresh: {f'every {s}s' if s else 'off'}",
                                    "refresh the results on a timer",
                                    lambda s=s: self.set_auto_refresh(s)) for s in AUTO_REFRESH]
        return commands
