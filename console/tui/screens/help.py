"""``?``: every key of the screen underneath, generated from its bindings (never hand-written).

Keys come from the screen's active bindings: the focused widget, the screen and the app, the
same source the footer and the command palette use, so help cannot drift from the code. Only
meshdeck's own keys are listed: the arrows, page keys and focus cycling every Textual widget
binds are left out. A
screen's ``HELP_NOTES`` (how its selection works, say) are shown above its keys.
"""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from console.tui.commands import meshdeck_bindings


def key_rows(screen: Screen) -> list[tuple[str, str, str, str]]:
    """(where, key, what, more) for every enabled binding of meshdeck's active on ``screen``
    (``commands.meshdeck_bindings``: not the cursor and scrolling keys Textual's widgets
    bind)."""
    rows: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    app = screen.app
    for key, active in meshdeck_bindings(screen):
        binding = active.binding
        node = active.node
        where = "everywhere" if node is app else ("this screen" if node is screen
                                                  else type(node).__name__)
        shown = binding.key_display or app.get_key_display(binding)
        rows.setdefault((where, binding.action),
                        (where, shown, binding.description, binding.tooltip or ""))
    order = {"this screen": 1, "everywhere": 2}
    return sorted(rows.values(), key=lambda r: order.get(r[0], 0))


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened from."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close help")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under
        self.rows = key_rows(under)

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("key", style="bold", no_wrap=True, width=12)
        table.add_column("does", no_wrap=True, width=18)
        table.add_column("", style="dim", ratio=1)
        table.add_column("on", style="dim", no_wrap=True, width=14)
        for where, key, what, more in self.rows:
            table.add_row(key, what, more, where)
        title = getattr(self.under, "TITLE", None) or type(self.under).__name__
        with Vertical(id="help"):
            yield Label(f"Keys: {title}", id="help-title")
            with VerticalScroll():
                notes = getattr(self.under, "HELP_NOTES", "")
                if notes:
                    yield Static(notes, id="help-notes", markup=False)
                yield Static(table)
            yield Label("ctrl+p finds any action by name · escape closes", id="help-foot")

    def action_close(self) -> None:
        self.dismiss(None)
