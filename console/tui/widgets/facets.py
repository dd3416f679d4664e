"""Status facets: one chip per status with its count in the window; click or key to toggle.

After an action whose follow-up search failed the counts are from before it: ``stale`` says so
at the start of the line until counting starts again.

Keys while focused: left/right choose a chip, space/enter toggle it. The executions screen also
binds 1..7 to toggle the n-th status from anywhere.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from console import format as fmt
from console.models import ProcessStatus

STATUSES: list[str] = [s.value for s in ProcessStatus]


class StatusFacets(Widget, can_focus=True):
    """Counts per status; the chosen ones filter the table (none chosen: all statuses)."""

    DEFAULT_CSS = """
    StatusFacets { height: 1; width: 100%; padding: 0 1; }
    StatusFacets:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "Previous status", show=False),
        Binding("right", "move(1)", "Next status", show=False),
        Binding("space,enter", "toggle", "Toggle status", show=False,
                tooltip="Filter by this status (again: stop filtering by it)"),
    ]

    selected: reactive[frozenset[str]] = reactive(frozenset(), always_update=True)
    highlight: reactive[int] = reactive(0)
    #: The counts are from before the last action (the search after it failed): say so.
    stale: reactive[bool] = reactive(False)

    class Toggled(Message):
        def __init__(self, facets: StatusFacets, statuses: list[str]) -> None:
            super().__init__()
            self.facets, self.statuses = facets, statuses

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: dict[str, str] = {}
        self._spans: list[tuple[int, int, str]] = []

    def set_count(self, status: str, text: str) -> None:
        self.counts[status] = text
        self.refresh()

    def reset_counts(self, text: str = "…") -> None:
        """Counting starts again (the counts are no longer stale)."""
        self.counts = {s: text for s in STATUSES}
        self.stale = False
        self.refresh()

    def toggle(self, status: str) -> None:
        chosen = set(self.selected)
        chosen ^= {status}
        self.selected = frozenset(chosen)
        self.post_message(self.Toggled(self, [s for s in STATUSES if s in chosen]))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.stale:
            warning = self.app.theme_variables.get("warning", "yellow")
            text.append("stale counts (r: refresh) ", style=f"bold {warning}")
        else:
            text.append("statuses ", style="dim")
        self._spans = []
        for index, status in enumerate(STATUSES):
            on = status in self.selected
            chip = f" {index + 1} {status} {self.counts.get(status, '')} ".replace("  ", " ")
            style = fmt.status_style(status) or ""
            if on:
                style = f"{style} reverse"
            if self.has_focus and index == self.highlight:
                style = f"{style} underline"
            start = len(text) + 1  # + padding-left
            text.append(chip, style=style.strip())
            self._spans.append((start, start + len(chip), status))
            text.append(" ")
        if not self.selected:
            text.append(" (all)", style="dim")
        return text

    def action_move(self, delta: int) -> None:
        self.highlight = (self.highlight + delta) % len(STATUSES)
        self.refresh()

    def action_toggle(self) -> None:
        self.toggle(STATUSES[self.highlight])

    def on_click(self, event: events.Click) -> None:
        for start, end, status in self._spans:
            if start <= event.x < end:
                self.highlight = STATUSES.index(status)
                self.toggle(status)
                return
