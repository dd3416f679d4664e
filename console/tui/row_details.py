"""What the executions table shows beyond a search answer: why a failed row failed (its failed
step and the first line of its error) and how far a running row is (``services.progress``).

A search row has no steps. Its own output often carries the error (``ProcessSummary.error``),
and that is shown at once, for free; the failed step's name, and a running row's progress, need
the execution with its steps. So only the rows on screen that need it are fetched (FAILED and
TIMED_OUT ones while the error column is shown, RUNNING and PAUSED ones while the progress
column is), a few at a time (``Backend.get_many``), and kept per id until the row's ``updated``
changes. Scrolling fetches the rows that come into view; 100,000 loaded rows cost nothing until
they are looked at. A definition's history (for progress) is learnt once per definition and
kept for a few minutes (``services.progress.ProfileCache``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from console.models import UNDER_WAY, ProcessSummary
from console.services.failures import FAILURE_STATUSES, failure_of
from console.services.progress import Progress, ProfileCache, progress_of_many

if TYPE_CHECKING:
    from console.backends.base import Backend


class RowDetails:
    """Fetched facts about rows, by process id (see the module docstring)."""

    def __init__(self, profiles: ProfileCache | None = None) -> None:
        #: id -> (the row's ``updated`` when fetched, "step: first line of the error").
        self.failures: dict[str, tuple[int | None, str]] = {}
        #: id -> (the row's ``updated`` when fetched, its progress; None: none could be said).
        self.progress: dict[str, tuple[int | None, Progress | None]] = {}
        #: Definitions' histories (the app's, shared with the detail screen).
        self.profiles = profiles or ProfileCache()

    # ---- what the cells show ---------------------------------------------------------------

    def error_text(self, row: ProcessSummary) -> str:
        """A failed row's "step: error", else the error its search answer carried."""
        if row.status not in FAILURE_STATUSES:
            return ""
        found = self.failures.get(str(row.process_id))
        return found[1] if found is not None else (row.error or "")

    def progress_of(self, row: ProcessSummary) -> Progress | None:
        found = self.progress.get(str(row.process_id))
        return found[1] if found is not None and row.status in UNDER_WAY else None

    # ---- fetching --------------------------------------------------------------------------

    def missing(self, rows: Iterable[ProcessSummary], *, errors: bool, progress: bool
                ) -> list[ProcessSummary]:
        """The rows among ``rows`` whose details are wanted and not known for their
        ``updated``."""
        wanted = []
        for row in rows:
            key = str(row.process_id)
            if errors and row.status in FAILURE_STATUSES:
                known = self.failures.get(key)
            elif progress and row.status in UNDER_WAY:
                known = self.progress.get(key)
            else:
                continue
            if known is None or known[0] != row.updated:
                wanted.append(row)
        return wanted

    async def fetch(self, backend: Backend, rows: list[ProcessSummary], now_ms: int) -> int:
        """Fetch ``rows`` with their steps and keep what the cells need; returns how many
        rows were filled in (one that cannot be fetched keeps its search answer's words)."""
        updated = {str(r.process_id): r.updated for r in rows}
        fetched = [f.process for f in await backend.get_many(list(updated), include_steps=True)
                   if f.process is not None]
        for process in fetched:
            key = str(process.process_id)
            if process.status in FAILURE_STATUSES:
                self.failures[key] = (updated[key], failure_of(process).line())
        running = [p for p in fetched if p.status in UNDER_WAY]
        found = await progress_of_many(backend, running, now_ms, self.profiles)
        for process in running:
            key = str(process.process_id)
            self.progress[key] = (updated[key], found.get(key))
        return len(fetched)
