"""Ask for the name to save a view under (``ctrl+s`` on the executions screen).

It shows what the view will hold (the query line, window, columns, sort) and the profile's views
already saved; a name already used says it will be replaced. Enter or Save returns the name;
escape or Cancel returns None. A name the views file cannot take is said in the dialog, which
stays open.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from console.services.views import View, ViewError
from console.tui.dialogs.ask import AskDialog


class ViewNameDialog(AskDialog[str | None]):
    """Name a view before it is saved."""

    BINDINGS = [Binding("ctrl+s", "confirm", "Save", priority=True, tooltip="Save the view")]
    FOCUS_FIRST = ("#view-name",)

    def __init__(self, view: View, profile: str, existing: list[str]) -> None:
        super().__init__()
        self.view, self.profile, self.existing = view, profile, existing

    def compose(self) -> ComposeResult:
        v = self.view
        facts = Text.assemble(
            ("query   ", "dim"), (v.query or "(no filter)", "bold"), "\n",
            ("window  ", "dim"), v.window or "24h", "\n",
            ("columns ", "dim"), ", ".join(v.columns) or "(all that fit)", "\n",
            ("sort    ", "dim"), v.sort or "newest first, as the server sends")
        with Vertical(id="dialog", classes="picker view-name"):
            yield Label(f"Save this view for profile {self.profile}", id="title")
            yield Static(facts, id="view-facts")
            yield Input(placeholder="a name: failing-checkout", id="view-name")
            yield Static(self._hint(""), id="view-note")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save", id="confirm", variant="primary", compact=True)

    def _hint(self, name: str) -> Text:
        if name in self.existing:
            return Text(f"replaces the saved view {name!r}", style="bold yellow")
        saved = ", ".join(self.existing) or "none yet"
        return Text(f"saved views: {saved} · enter saves · esc cancels", style="dim")

    @on(Input.Changed, "#view-name")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#view-note", Static).update(self._hint(event.value.strip()))

    @on(Input.Submitted, "#view-name")
    def _entered(self, _event: Input.Submitted) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        name = self.query_one("#view-name", Input).value.strip()
        try:
            View(name, self.view.query, self.view.window, self.view.columns,
                 self.view.sort).check()
        except ViewError as exc:
            self.query_one("#view-note", Static).update(Text(str(exc), style="bold red"))
            return
        self.dismiss(name)
