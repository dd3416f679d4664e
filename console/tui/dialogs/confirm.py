"""The confirmation every destructive action goes through.

Shows the action, how many executions, which of them it cannot apply to (by current status)
which ids will be sent, and a reason field where the API takes one. Focus starts on the reason
or on Cancel, and enter in an empty reason stays there, so stray enters never send anything.
Returns ``Confirmed(reason)`` or None (cancel).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from console.services.actions import ACTION_VERBS, TAKES_REASON, PlanItem

#: How many ids the modal lists by name, of those sent and of those skipped.
SHOW_IDS = 8
DONE = {"terminate": "terminated", "resume": "resumed", "review": "marked reviewed",
        "rerun": "rerun"}


@dataclass
class Confirmed:
    reason: str | None


def plural(count: int, word: str = "execution") -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class ConfirmAction(ModalScreen[Confirmed | None]):
    """Ask before terminate / resume / review / rerun."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without sending anything")]

    def __init__(self, action: str, items: list[PlanItem]) -> None:
        super().__init__()
        self.action_name = action
        self.items = items
        self.apply = [i for i in items if i.applies]
        self.skip = [i for i in items if not i.applies]

    def compose(self) -> ComposeResult:
        verb = ACTION_VERBS[self.action_name]
        with Vertical(id="dialog", classes=f"confirm -{self.action_name}"):
            yield Label(f"{verb.capitalize()} {plural(len(self.items))}?", id="title")
            yield Static(self._summary(), id="summary")
            if self.apply:
                yield Static(self._listing(self.apply), id="sent")
            if self.skip:
                yield Static(Text(f"{plural(len(self.skip))} cannot be "
                                  f"{DONE[self.action_name]} by their current status and will be "
                                  "skipped:"), id="skip-title")
                with VerticalScroll(id="skipped"):
                    yield Static(self._listing(self.skip))
            if self.action_name in TAKES_REASON and self.apply:
                yield Input(placeholder="reason (optional; sent with the request)", id="reason")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="default")
                yield Button(f"{verb.capitalize()} {plural(len(self.apply))}", id="confirm",
                             variant="error", disabled=not self.apply)

    def _summary(self) -> Text:
        text = Text()
        if not self.apply:
            text.append(f"None of them can be {DONE[self.action_name]} by their current status: "
                        "nothing to send.", style="bold")
            return text
        text.append(f"{plural(len(self.apply))} will be sent:", style="bold")
        if self.action_name == "rerun":
            text.append("\nEach rerun starts a new execution with the same input.", style="dim")
        return text

    @staticmethod
    def _listing(items: list[PlanItem]) -> Text:
        text = Text()
        for item in items[:SHOW_IDS]:
            text.append(f"  {item.id:<12} ", style="bold")
            text.append(f"{item.status or '?':<11} ")
            text.append(f"{item.note}\n", style="dim")
        if len(items) > SHOW_IDS:
            text.append(f"  … and {len(items) - SHOW_IDS:,} more\n", style="dim")
        text.rstrip()
        return text

    def on_mount(self) -> None:
        reasons = self.query("#reason")
        (reasons.first() if reasons else self.query_one("#cancel")).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self._confirm()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter after typing a reason goes to the button; enter in an empty field stays, so
        two stray enters do not send."""
        event.stop()
        if event.value.strip():
            self.query_one("#confirm", Button).focus()
        else:
            self.notify("type a reason, or tab to the button to send without one",
                        severity="information", timeout=3)

    def _confirm(self) -> None:
        reasons = self.query("#reason")
        reason = reasons.first(Input).value.strip() if reasons else ""
        self.dismiss(Confirmed(reason or None))

    def action_cancel(self) -> None:
        self.dismiss(None)
