"""Per-id results of an action, with "retry" (exactly the ids the button names) and "copy ids".

Retry offers failed and not-sent ids, and unknown ids of an idempotent action (their status is
checked again before anything is sent). An unknown outcome of an action that starts something
new (rerun) is never offered for a resend: "check" looks for what it may have started."""

from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from console.services.action_specs import ACTIONS, UNKNOWN, ResultRow, retryable
from console.tui.widgets.vtable import Column, VirtualTable

OUTCOME_STYLES = {"done": "green", "failed": "bold red", "skipped": "yellow",
                  "unknown": "bold magenta", "not sent": "dim"}


def result_columns() -> list[Column]:
    """Ids are never cut (a Conductor id is 36 characters); on a narrow terminal the status the
    execution had before ("was") drops out first, then the message."""
    return [
        Column("id", "process id", 10, lambda r: r.id, whole=True),
        Column("status", "was", 11, lambda r: r.status or "?", priority=2),
        Column("outcome", "result", 9, lambda r: r.result,
               style=lambda r: OUTCOME_STYLES.get(r.result, "")),
        Column("message", "message", 16, lambda r: r.message, flex=True, priority=1),
    ]


class ResultsScreen(ModalScreen[None]):
    """What happened to each id."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("r", "retry", "Retry", tooltip="Send again to the ids the Retry button names "
                "(asks first)"),
        Binding("c", "copy_failed", "Copy ids", tooltip="Copy the ids that did not work"),
        Binding("k", "check", "Check unknown", tooltip="Look up what an unanswered rerun started"),
    ]

    def __init__(self, action: str, rows: list[ResultRow], sent_at: int | None = None) -> None:
        super().__init__()
        self.action_name, self.rows, self.sent_at = action, rows, sent_at
        self.retry = [r.id for r in rows if retryable(r, action)]
        self.unknown = [r.id for r in rows if r.result == UNKNOWN]
        #: Unknown ids that are never resent (an action that starts something new).
        self.to_check = [] if ACTIONS[action].idempotent else list(self.unknown)
        self.failed = [r.id for r in rows if r.result not in ("done", "skipped")]

    def compose(self) -> ComposeResult:
        counts = Counter(r.result for r in self.rows)
        summary = ", ".join(f"{n:,} {outcome}" for outcome, n in counts.items())
        with Vertical(id="dialog", classes="results"):
            yield Label(f"{ACTIONS[self.action_name].verb.capitalize()}: "
                        f"{len(self.rows):,} asked — {summary}", id="title")
            table = VirtualTable(result_columns(), lambda r: r.id, markable=False, id="rows")
            table.rows = list(self.rows)
            yield table
            if not self.failed:
                yield Static("Nothing failed.", id="none-failed")
            elif self.to_check:
                yield Static(f"{len(self.to_check):,} sent without an answer: they may have "
                             "started new executions, so they are not offered for a resend. "
                             "Check first.", id="unknown-note")
            with Horizontal(id="buttons"):
                yield Button(self._retry_label(), id="retry", disabled=not self.retry)
                if self.to_check:
                    yield Button(f"Check the {len(self.to_check):,} unknown", id="check")
                yield Button("Copy ids", id="copy", disabled=not self.failed)
                yield Button("Close", id="close", variant="primary")

    def _retry_label(self) -> str:
        """Says exactly which ids the button sends."""
        if not self.retry:
            return "Nothing to retry"
        kinds = Counter(r.result for r in self.rows if r.id in set(self.retry))
        return "Retry " + " + ".join(f"{n:,} {kind}" for kind, n in kinds.items())

    def on_mount(self) -> None:
        self.query_one("#rows", VirtualTable).set_rows(self.rows)
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"retry": self.action_retry, "copy": self.action_copy_failed, "check": self.action_check,
         "close": self.action_close}[event.button.id or "close"]()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_retry(self) -> None:
        """Start the flow again for exactly the retry ids; their status is fetched anew first."""
        if not self.retry:
            self.notify("nothing to retry")
            return
        self.dismiss(None)
        self.app.start_action(self.action_name, list(self.retry))

    def action_check(self) -> None:
        """Unknown reruns: look for executions they may have started."""
        if not self.to_check:
            self.notify("no unknown outcome to check")
            return
        from console.tui.bulk import check_unknown

        self.dismiss(None)
        since = (self.sent_at or 0) - 60_000  # a minute of clock skew between us and the server
        self.app.run_worker(check_unknown(self.app, list(self.to_check), since), group="bulk",
                            exit_on_error=False)

    def action_copy_failed(self) -> None:
        if not self.failed:
            self.notify("nothing failed")
            return
        self.app.copy("\n".join(self.failed), f"{len(self.failed):,} ids that did not work")
