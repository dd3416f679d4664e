"""What an action on the executions screen goes to, and what the screen shows after it.

- **Targets**: "all matching" (``A``), else the marks, else the row under the cursor: the row
  drawn highlighted.
- **Marks and filters**: new filters clear the marks, with a notification saying how many. An
  action goes to executions the person can see; a mark made under other filters may no longer
  match them. Marks on other pages of the same filters stay; the confirmation says how many of
  the executions it asks about are not on the screen.
- **All matching**: ``A`` selects the query, not a list of ids. When an action key is pressed,
  ``services.selection.by_query`` walks the matches (newest first, up to the count cap; the
  statuses the action applies to when no status is chosen) and the confirmation says whether
  more match than were selected ("only the newest N are selected, the rest will be left
  untouched").
- **Stale rows**: after an action, the rows it went to show their old status until a search
  reads them again; if that search fails they stay drawn dim with a "?" (and the status
  counts say they are from before the action) until a search succeeds.
"""

from __future__ import annotations

from textual import work

from console.services.action_specs import ACTIONS
from console.services.search import COUNT_CAP, collect_ids
from console.services.selection import by_query
from console.tui import bulk
from console.tui.bulk import ActionsDone
from console.tui.filters import Filters
from console.tui.screens.executions_state import ExecutionsState, TableFacts
from console.tui.widgets.facets import StatusFacets
from console.tui.widgets.process_table import ProcessTable
from console.tui.widgets.vtable import VirtualTable

MATCHING_PAGE = 1000


class ExecutionsSelection(ExecutionsState):
    """Marks, "all matching", the targets of an action, stale rows (see the module docstring)."""

    @property
    def table(self) -> ProcessTable:
        return self.query_one(ProcessTable)

    @property
    def facets(self) -> StatusFacets:
        return self.query_one(StatusFacets)

    # ---- marks -----------------------------------------------------------------------------

    def _shown_keys(self) -> set[str]:
        return {self.table.row_key(r) for r in self.table.rows}

    def marks_follow_rows(self) -> None:
        """Rows were shown: with "all matching" selected every one of them is marked too."""
        if self.all_matching is not None:
            self.table.set_marks(self._shown_keys())

    def filters_changed(self, old: Filters, new: Filters) -> None:
        """New filters: "all matching" ends and the marks are cleared (they were made under the
        old filters, which the screen no longer shows), with a notification saying so."""
        if old == new:
            return
        self.all_matching = None
        count = len(self.table.marks)
        if count:
            self.table.set_marks(())
            self.notify(f"the filters changed, so the {count:,} marked execution"
                        f"{'s were' if count > 1 else ' was'} unmarked: an action goes only to "
                        "executions you can see", title="marks cleared", timeout=6)

    def on_virtual_table_marks_changed(self, event: VirtualTable.MarksChanged) -> None:
        if self.all_matching is not None and event.table.marks != self._shown_keys():
            self.all_matching = None  # the person changed the selection by hand
            self.notify("'all matching' ended: the marked rows are the selection now",
                        timeout=4)
        self.table_facts = TableFacts.of(event.table)

    def action_clear_marks(self) -> None:
        from console.tui.widgets.filter_bar import FilterBar

        if self.query_one(FilterBar).has_focus_within:  # escape leaves a filter field first
            self.table.focus()
            return
        self.all_matching = None
        self.table.set_marks(())

    def action_all_matching(self) -> None:
        query = self.matching_query()
        if query is None:
            return
        self.all_matching = query
        self.marks_follow_rows()
        self.notify("an action now asks about every execution matching these filters "
                    f"(newest first, up to {COUNT_CAP:,}); escape: stop", timeout=5)

    def matching_query(self):
        """The query of the current filters, every page of it (None: a bad filter, said)."""
        raise NotImplementedError

    # ---- targets and actions ---------------------------------------------------------------

    def targets(self) -> tuple[list[str], dict[str, str | None]]:
        """The ids an action applies to: the marks, else the current row (the highlighted one),
        with the status each shows on screen (None for a mark on another page)."""
        table = self.table
        if table.marks:
            shown = [table.row_key(r) for r in table.marked_rows()]
            ids = shown + sorted(table.marks - set(shown))
        elif table.current is not None:
            ids = [table.row_key(table.current)]
        else:
            return [], {}
        # Statuses of the rows on screen only (fresh as of the last search; a stale row's is
        # looked up again), marks on other pages are looked up by the confirmation.
        shown_status = {table.row_key(r): r.status for r in table.rows
                        if table.row_key(r) not in table.stale}
        return ids, {i: shown_status.get(i) for i in ids}

    def action_act(self, action: str) -> None:
        if self.all_matching is not None:
            if not bulk.refused(self.app, action):
                self.act_on_matching(action)
            return
        ids, statuses = self.targets()
        if not ids:
            self.notify("nothing to act on: no executions are shown", severity="warning")
            return
        shown = {self.table.row_key(r) for r in self.table.rows}
        self.app.start_action(action, ids, {k: v for k, v in statuses.items() if v is not None},
                              not_shown=[i for i in ids if i not in shown])

    @work(exclusive=True, group="matching", exit_on_error=False)
    async def act_on_matching(self, action: str) -> None:
        """Every match the action applies to (by_query), confirmed through the shared flow."""
        query = self.all_matching
        if query is None:
            return
        self.notify("collecting every matching execution…", timeout=3)
        selection = await by_query(self.app.backend, action, query)
        bulk.start_selection(self.app, selection, empty="no execution matching these filters "
                             f"can be {ACTIONS[action].past}")

    def action_copy_ids(self) -> None:
        if self.all_matching is not None:
            self.copy_matching()
            return
        ids, _ = self.targets()
        if ids:
            self.app.copy("\n".join(ids), f"{len(ids):,} process id{'s' if len(ids) > 1 else ''}")

    @work(exclusive=True, group="matching", exit_on_error=False)
    async def copy_matching(self) -> None:
        query = self.all_matching
        if query is None:
            return
        ids, capped = await collect_ids(self.app.backend, query)
        what = f"the newest {len(ids):,} of more matching ids" if capped \
            else f"{len(ids):,} matching ids"
        self.app.copy("\n".join(ids), what)

    # ---- after an action -------------------------------------------------------------------

    def on_actions_done(self, event: ActionsDone) -> None:
        """The executions acted on show their old status until a search reads them again:
        they are stale (dim, "?"), and so are the status counts; marks and "all matching" are
        dropped, so the next action cannot go to them by accident."""
        self.all_matching = None
        self.table.set_marks(())
        self.table.stale |= set(event.ids) | set(event.unknown)
        self.table.refresh()
        self.facets.stale = True
        self.table_facts = TableFacts.of(self.table)
        self.refresh_data()

    def rows_read(self, keys: set[str], *, replaced: bool) -> None:
        """A search read these rows: they are current again (all of them if it replaced the
        rows shown)."""
        if replaced:
            self.table.stale.clear()
        else:
            self.table.stale -= keys
