"""The executions screen's on-call keys: failure groups (``g``), compare two marked executions
(``d``), the query line (``:``), saved views (``ctrl+s``, and the palette), the window both ways
(``w``/``W``), the journal (``J``), which columns are shown (palette), and what the table
fetches for the rows on screen (the error and progress cells, ``console.tui.row_details``) and
for the filter bar (the server's namespaces and process names, for completion).

``set_filters(filters)`` is the one way the query line and a saved view change the filters: it
refuses (returns why) what this server cannot search, puts the filters into the widgets, and
searches.
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.worker import Worker

from console.format import DroppedFields
from console.models import ProcessSummary
from console.services import query_line
from console.tui.commands import PaletteCommand
from console.tui.filters import WINDOWS, Filters
from console.tui.screens.executions_selection import ExecutionsSelection
from console.tui.widgets.filter_bar import FilterBar
from console.tui.widgets.query_line import QueryLine
from console.tui.widgets.vtable import VirtualTable

#: Columns the palette can hide or show (the others are always there when they fit).
OPTIONAL_COLUMNS = ("namespace", "correlation_id", "trigger", "duration", "progress", "steps",
                    "error")
#: At most this many ids of a failure group go into the executions screen's id filter.
GROUP_IDS_SHOWN = 100


class ExecutionsOnCall(ExecutionsSelection):
    """On-call keys of the executions screen (see the module docstring)."""

    #: (key, action, label, what it does); only "g" is in the footer.
    KEYS = (
        ("g", "failure_groups", "Failures",
         "Group the FAILED and TIMED_OUT executions of these filters by step and error"),
        ("d", "compare", "Compare", "Compare the two marked executions side by side"),
        ("colon", "query_line", "Query line",
         'Every filter as one line: status:FAILED name:x since:2h text:"..."'),
        ("ctrl+s", "save_view", "Save view",
         "Save these filters, window, columns and sort under a name"),
        ("w", "window(1)", "Window", "Next time window: 15m, 1h, 24h, 7d"),
        ("W", "window(-1)", "Window back", "Previous time window: 7d, 24h, 1h, 15m"),
        ("J", "journal", "Journal", "What meshdeck sent: every action, newest first"),
    )
    BINDINGS = [Binding(key, action, label, show=key == "g", tooltip=tooltip,
                        key_display=":" if key == "colon" else None)
                for key, action, label, tooltip in KEYS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: Rows of the search under way with fields of an unexpected type (one warning).
        self.dropped = DroppedFields()
        #: Showing a failure group's executions: (the group's filters, the filters before),
        #: so that ``g`` goes back to the groups with the person's own filters.
        self.group_shown: tuple[Filters, Filters] | None = None

    # ---- the rows' details and the filter bar's completions --------------------------------

    def rows_changed(self, rows: list[ProcessSummary]) -> None:
        """Rows were shown: say once if fields were left empty; fetch the visible details once
        the rows are painted (their fetches must not hold back the first paint)."""
        self.dropped.add(rows)
        self.table.call_after_refresh(self.load_details)

    def say_dropped(self) -> None:
        """One notification for every row of the last search with a field of an unexpected type
        (the rows stay, the field shown empty)."""
        warning = self.dropped.warning()
        self.dropped = DroppedFields()
        if warning:
            self.notify(warning, title="some fields could not be shown", severity="warning",
                        timeout=10, markup=False)

    def on_virtual_table_cursor_moved(self, _event: VirtualTable.CursorMoved) -> None:
        self.load_details()

    def on_resize(self) -> None:
        self.load_details()

    @work(exclusive=True, group="details", exit_on_error=False)
    async def load_details(self) -> None:
        """Fetch the error and progress of the rows on screen that lack them (if those
        columns are shown)."""
        table = self.table
        errors, progress = table.shows("error"), table.shows("progress")
        if not (errors or progress):
            return
        wanted = table.details.missing(table.visible_rows, errors=errors, progress=progress)
        if wanted and await table.details.fetch(self.app.backend, wanted, self.app.now_ms()):
            table.refresh()

    @work(exclusive=True, group="completions", exit_on_error=False)
    async def load_completions(self) -> None:
        """The server's namespaces and process names, for the filter bar to complete from."""
        backend = self.app.backend
        names = sorted({d.name for d in await backend.list_definitions() if d.name})
        namespaces = [] if "namespace" in backend.UNSUPPORTED_FILTERS \
            else await backend.namespaces()
        self.query_one(FilterBar).set_completions(namespaces, names)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group in ("details", "completions"):
            # Conveniences: a cell keeps the search answer's words, a field just does not
            # complete; the search itself reports a server that does not answer.
            self.log.warning(f"{worker.group}: {error!r}")
            return
        super().worker_failed(worker, error)

    # ---- filters set in one go -------------------------------------------------------------

    def set_filters(self, filters: Filters) -> str | None:
        """Show ``filters`` in the widgets and search; or why not (nothing changed then)."""
        statuses = self.app.backend.STATUSES
        odd = [s for s in filters.statuses if s not in statuses]
        if odd:
            return f"status {', '.join(odd)}: this server's statuses are {', '.join(statuses)}"
        try:
            query = filters.to_query(self.app.now())
        except ValueError as exc:
            return str(exc)
        problems = self.app.backend.unsupported_filters(query)
        if problems:
            return f"this server cannot search by {'; '.join(problems)}"
        try:
            self.query_one(FilterBar).show(filters)
        except ValueError as exc:
            return str(exc)
        self.facets.selected = frozenset(filters.statuses)
        self.apply_filters()
        return None

    def apply_filters(self) -> None:
        """Read the widgets and search (the screen defines it)."""
        raise NotImplementedError

    # ---- the query line --------------------------------------------------------------------

    def action_query_line(self) -> None:
        self.query_one(QueryLine).open(query_line.format_line(self.filters.values()))

    def on_query_line_submitted(self, event: QueryLine.Submitted) -> None:
        try:
            filters = Filters.from_values(event.values)
        except ValueError as exc:
            event.line.refuse(str(exc))
            return
        why = self.set_filters(filters)
        if why is not None:
            event.line.refuse(why)
            return
        event.line.close()

    def on_query_line_closed(self, _event: QueryLine.Closed) -> None:
        self.table.focus()

    # ---- time window -----------------------------------------------------------------------

    def action_window(self, step: int = 1) -> None:
        presets = [w for w in WINDOWS if w != "custom"]
        current = self.filters.window
        following = presets[(presets.index(current) + step) % len(presets)] \
            if current in presets else presets[0 if step > 0 else -1]
        self.query_one(FilterBar).set_window(following)

    # ---- failure groups, compare, journal --------------------------------------------------

    def action_failure_groups(self) -> None:
        from console.services.failures import failures_query
        from console.tui.screens.failures import FailureGroupsScreen

        if self.group_shown is not None:
            group, before = self.group_shown
            self.group_shown = None
            if self.filters == group:  # back from a group: the person's own filters again
                self.set_filters(before)
        query = self.matching_query()
        if query is None:
            return
        try:
            failures_query(query)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.app.push_screen(FailureGroupsScreen(query, self.filters.describe()),
                             self._group_chosen)

    def _group_chosen(self, ids: list[str] | None) -> None:
        """Enter on a group: this screen, filtered to its executions (the newest
        ``GROUP_IDS_SHOWN``: an id filter longer than that makes too long a request)."""
        if not ids:
            return
        shown = ids[:GROUP_IDS_SHOWN]
        before = self.filters
        filters = Filters(window=before.window, since=before.since, until=before.until,
                          process_ids=shown)
        why = self.set_filters(filters)
        if why is not None:
            self.notify(why, severity="warning", markup=False)
            return
        self.group_shown = (self.filters, before)
        more = (f"the newest {len(shown):,} of the group's {len(ids):,} executions (act on "
                "the whole group from the groups)") if len(ids) > len(shown) \
            else f"the group's {len(ids):,} executions"
        self.notify(f"showing {more} · g: back to the groups and your filters", timeout=8,
                    markup=False)

    def action_compare(self) -> None:
        from console.tui.screens.diff import DiffScreen

        marked = [self.table.row_key(r) for r in self.table.marked_rows()]
        marked += sorted(self.table.marks - set(marked))
        if len(marked) != 2:
            self.notify(f"mark two executions (space) to compare them; {len(marked)} "
                        f"{'is' if len(marked) == 1 else 'are'} marked", severity="warning")
            return
        self.app.push_screen(DiffScreen(marked[0], marked[1]))

    def action_journal(self) -> None:
        self.app.open_journal()

    # ---- saved views -----------------------------------------------------------------------

    def action_save_view(self) -> None:
        from console.tui.views import save_view

        save_view(self)

    def apply_view(self, name: str) -> None:
        from console.tui.views import apply_view

        apply_view(self, name)

    # ---- columns ---------------------------------------------------------------------------

    def toggle_column(self, key: str) -> None:
        table = self.table
        table.set_hidden(table.hidden ^ {key})
        self.load_details()

    def palette_commands(self) -> list[PaletteCommand]:
        """Saved views, then each optional column to show or hide."""
        from console.tui.views import view_commands

        commands = view_commands(self)
        labels = {c.key: c.label for c in self.table.columns}
        commands += [PaletteCommand(
            f"Column: {'show' if key in self.table.hidden else 'hide'} {labels[key]}",
            "choose the table's columns (saved with a view)",
            lambda key=key: self.toggle_column(key)) for key in OPTIONAL_COLUMNS]
        return commands
