"""A progress bar while a bulk action is being sent (it cannot be cancelled half-way: a chunk
already sent has happened, so the modal only waits)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar

from console.services.action_specs import ACTIONS
from console.tui.dialogs.confirm import plural


class ProgressScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"

    def __init__(self, action: str, total: int) -> None:
        super().__init__()
        self.action_name, self.total = action, total

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="progress"):
            yield Label(f"Sending: {ACTIONS[self.action_name].verb} "
                        f"{plural(self.total)}…", id="title")
            yield ProgressBar(total=max(1, self.total), show_eta=False, id="bar")

    def advance_to(self, done: int, total: int) -> None:
        """A ``ProgressHook``: ``done`` of ``total`` ids answered."""
        if self.is_mounted:
            self.query_one(ProgressBar).update(total=max(1, total), progress=done)
