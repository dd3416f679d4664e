"""The detail screen of an execution under way keeps itself up to date, and says how far it is.

- **Live**: while the execution is RUNNING (or PAUSED) it is fetched again every
  ``LIVE_SECONDS``; a line under the summary says when it last was (the app's clock). The
  refresh pauses while a JSON tab (input, output, state) is shown, and for ``QUIET_SECONDS``
  after a key or a scroll, so what a person is reading never moves under them; the line says
  why it is paused. It stops when the execution has finished (one last refresh shows that).
- **Progress** (``console.services.progress``, the same numbers as ``meshdeck get``): how far
  it is, weighted by its definition's usual step durations, when it usually ends (p50) and at
  the latest (p95), and "slow" past the p95. The definition's history is learnt once and kept
  for a few minutes (``app.profiles``, shared with the executions table).
"""

from __future__ import annotations

from time import monotonic

from rich.text import Text
from textual import events, work
from textual.widgets import Static

from console import format as fmt
from console.models import UNDER_WAY, ProcessData
from console.services.progress import Progress, progress
from console.tui.screens.base import MeshdeckScreen

LIVE_SECONDS = 5
QUIET_SECONDS = 10
#: Tabs whose content a refresh could move under the reader.
READING_TABS = ("input", "output", "state")


class LiveDetail(MeshdeckScreen):
    """Live refresh and progress for a detail screen with ``process`` and a ``#live`` line."""

    process: ProcessData | None = None
    #: The progress shown (None: not under way, or not learnt yet).
    progress: Progress | None = None
    _refreshed_ms: int | None = None
    _refreshed_at: float = 0.0
    _touched_at: float = 0.0

    def start_live(self) -> None:
        """Call on mount: a tick each second decides whether a refresh is due."""
        self.set_interval(1, self.live_tick)

    @property
    def under_way(self) -> bool:
        return self.process is not None and self.process.status in UNDER_WAY

    def paused_because(self) -> str | None:
        """Why the live refresh waits now (None: it does not)."""
        active = self.query_one("#tabs").active  # type: ignore[attr-defined]
        if active in READING_TABS:
            return f"while you read the {active}"
        if monotonic() - self._touched_at < QUIET_SECONDS:
            return "while you move around"
        return None

    def live_tick(self) -> None:
        if not self.under_way:
            return
        busy = any(w.group == "detail-load" and not w.is_finished for w in self.workers)
        due = monotonic() - self._refreshed_at >= LIVE_SECONDS
        if due and not busy and self.paused_because() is None and self.app.screen is self:
            self.refresh_data()
        self.show_live()

    def refreshed(self, process: ProcessData) -> None:
        """Call when ``process`` was fetched: the time is noted, progress follows."""
        self._refreshed_ms, self._refreshed_at = self.app.now_ms(), monotonic()
        if process.status in UNDER_WAY:
            self.load_progress(process)
        else:
            self.progress = None
        self.show_live()

    def on_key(self, _event: events.Key) -> None:
        self._touched_at = monotonic()

    def on_mouse_scroll_down(self, _event: events.MouseScrollDown) -> None:
        self._touched_at = monotonic()

    def on_mouse_scroll_up(self, _event: events.MouseScrollUp) -> None:
        self._touched_at = monotonic()

    @work(exclusive=True, group="progress", exit_on_error=False)
    async def load_progress(self, process: ProcessData) -> None:
        now = self.app.now_ms()
        profile = await self.app.profiles.get(self.app.backend, process.namespace,
                                              process.name or "", now)
        self.progress = progress(process, profile, now)
        self.show_live()

    def show_live(self) -> None:
        """The live line: progress, expected end, when it was last refreshed, and why the
        refresh waits (hidden once the execution has finished)."""
        line = self.query_one("#live", Static)
        line.display = self.under_way
        if not self.under_way:
            return
        text = Text()
        found = self.progress
        if found is not None:
            text.append(found.bar(10) + "  ", style="bold red" if found.slow else "bold")
            text.append(found.words())
            ends = [(label, found.finish_ms(which)) for label, which in
                    (("usually ends", "p50"), ("at the latest", "p95"))]
            now = self.app.now()
            when = ", ".join(f"{label} {fmt.relative(ms, now)}" for label, ms in ends if ms)
            if when and not found.slow:
                text.append(f"; {when}")
            text.append("\n")
        when = fmt.absolute(self._refreshed_ms)[11:] if self._refreshed_ms else "not yet"
        paused = self.paused_because()
        text.append(f"● live: refreshed {when}, every {LIVE_SECONDS} s", style="green")
        if paused:
            text.append(f" (paused {paused}; r refreshes now)", style="yellow")
        line.update(text)
