"""Per-id results of a destructive action, with "retry the failed ones" and "copy failed ids"."""

from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from console.services.actions import ACTION_VERBS
from console.tui.bulk import ResultRow
from console.tui.widgets.vtable import Column, VirtualTable

OUTCOME_STYLES = {"done": "green", "failed": "bold red", "skipped": "yellow",
                  "unknown": "bold magenta", "not sent": "dim"}


def result_columns() -> list[Column]:
    return [
        Column("id", "process id", 12, lambda r: r.id),
        Column("status", "was", 11, lambda r: r.status or "?"),
        Column("outcome", "result", 9, lambda r: r.outcome,
               style=lambda r: OUTCOME_STYLES.get(r.outcome, "")),
        Column("message", "message", 30, lambda r: r.message, flex=True),
    ]


class ResultsScreen(ModalScreen[None]):
    """What happened to each id."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("r", "retry", "Retry failed", tooltip="Try the failed ones again (asks first)"),
        Binding("c", "copy_failed", "Copy failed ids"),
    ]

    def __init__(self, action: str, rows: list[ResultRow]) -> None:
        super().__init__()
        self.action_name, self.rows = action, rows
        self.failed = [r.id for r in rows if r.retryable]

    def compose(self) -> ComposeResult:
        counts = Counter(r.outcome for r in self.rows)
        summary = ", ".join(f"{n:,} {outcome}" for outcome, n in counts.items())
        with Vertical(id="dialog", classes="results"):
            yield Label(f"{ACTION_VERBS[self.action_name].capitalize()}: "
                        f"{len(self.rows):,} asked — {summary}", id="title")
            table = VirtualTable(result_columns(), lambda r: r.id, markable=False, id="rows")
            table.rows = list(self.rows)
            yield table
            if not self.failed:
                yield Static("Nothing failed.", id="none-failed")
            with Horizontal(id="buttons"):
                yield Button(f"Retry the {len(self.failed):,} failed", id="retry",
                             disabled=not self.failed)
                yield Button("Copy failed ids", id="copy", disabled=not self.failed)
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#rows", VirtualTable).set_rows(self.rows)
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"retry": self.action_retry, "copy": self.action_copy_failed,
         "close": self.action_close}[event.button.id or "close"]()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_retry(self) -> None:
        if not self.failed:
            self.notify("nothing failed")
            return
        self.dismiss(None)
        self.app.start_action(self.action_name, list(self.failed))

    def action_copy_failed(self) -> None:
        if not self.failed:
            self.notify("nothing failed")
            return
        self.app.copy("\n".join(self.failed), f"{len(self.failed):,} failed ids")
