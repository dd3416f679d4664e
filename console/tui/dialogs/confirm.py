"""The confirmation every destructive action goes through.

Shows the action, how many executions, first those not on the screen (marked on another page,
listed apart), which of them it cannot apply to (by current status),
which ids will be sent, and a reason field where the API takes one. Above 1,000 executions it
shows the breakdown by process and status and the count must be typed. A confirmation that would
change nothing says so and has no confirm button. The reason, the typed count and the buttons stay
visible at 80x24: the lists above them get the height left over and scroll inside it.

Focus starts on the reason (or the count, or Cancel), and enter in an empty field stays there, so
stray enters never send anything. Returns ``Confirmed(reason)`` or None (cancel).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from console.services.action_specs import ACTIONS
from console.services.actions import PlanItem
from console.services.selection import Selection
from console.tui.dialogs.ask import AskDialog

#: How many ids the modal lists by name, of those sent and of those skipped.
SHOW_IDS = 8


@dataclass
class Confirmed:
    reason: str | None


def plural(count: int, word: str = "execution") -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class ConfirmAction(AskDialog[Confirmed | None]):
    """Ask before any action that changes executions."""

    FOCUS_FIRST = ("#reason", "#count", "#cancel")

    def __init__(self, selection: Selection, not_shown: Collection[str] = ()) -> None:
        super().__init__()
        self.selection = selection
        #: Ids asked about that are not on the screen (marked on another page).
        self.not_shown = [item for item in selection.items if item.id in set(not_shown)]
        self.action_name = selection.action
        self.words = ACTIONS[selection.action]
        self.apply = [i for i in selection.items if i.applies]
        self.skip = selection.skipped

    def compose(self) -> ComposeResult:
        words = self.words
        with Vertical(id="dialog", classes=f"confirm -{self.action_name}"):
            yield Label(f"{words.verb.capitalize()} {plural(len(self.selection.items))}?",
                        id="title")
            with VerticalScroll(id="body"):
                if self.not_shown:
                    yield Static(self._not_shown(), id="not-shown")
                yield Static(self._summary(), id="summary")
                if self.selection.huge:
                    yield Static(self._breakdown(), id="breakdown")
                elif self.apply:
                    yield Static(self._listing(self.apply), id="sent")
                if self.skip:
                    yield Static(Text(f"{plural(len(self.skip))} cannot be {words.past} by their "
                                      "current status and will be skipped:"), id="skip-title")
                    yield Static(self._listing(self.skip), id="skipped")
            with Vertical(id="answer"):
                if words.takes_reason and self.apply:
                    yield Input(placeholder="reason (optional; sent with the request)", id="reason")
                if self.selection.huge:
                    yield Input(placeholder=f"type {len(self.apply)} to confirm", id="count")
                with Horizontal(id="buttons"):
                    yield Button("Cancel" if self.apply else "Close", id="cancel",
                                 variant="default")
                    if self.apply:
                        yield Button(f"{words.verb.capitalize()} {plural(len(self.apply))}",
                                     id="confirm", variant="error",
                                     disabled=self.selection.huge)

    def _summary(self) -> Text:
        text = Text()
        if not self.apply:
            text.append(f"None of them can be {self.words.past} by their current status: "
                        "nothing will be sent.", style="bold")
            return text
        if self.selection.capped:
            text.append(f"More than {len(self.selection.items):,} executions match; only the "
                        f"newest {len(self.selection.items):,} are selected. The rest will be "
                        "left untouched.\n", style=self._warning)
        if self.words.warning:
            text.append(self.words.warning + "\n", style=self._warning)
        text.append(f"{plural(len(self.apply))} will be sent:", style="bold")
        if not self.words.idempotent:
            text.append("\nEach one starts a new execution with the same input.", style="dim")
        if self.action_name == "resume_version":
            text.append("\nEach resumes on the definition version shown: the version it ran → "
                        "the one it resumes on.", style="dim")
        return text

    @property
    def _warning(self) -> str:
        """Bold in the theme's warning colour (a rich style cannot name a theme variable)."""
        return f"bold {self.app.theme_variables.get('warning', 'yellow')}"

    def _not_shown(self) -> Text:
        count = len(self.not_shown)
        text = Text(f"{plural(count)} of these {'is' if count == 1 else 'are'} not on the screen "
                    "(marked on another page):\n", style=self._warning)
        text.append_text(self._listing(self.not_shown))
        return text

    def _breakdown(self) -> Text:
        text = Text("By process and status:\n", style="bold")
        rows = self.selection.breakdown()
        for name, status, n in rows[:12]:
            text.append(f"  {n:>7,}  {status:<11} {name}\n")
        if len(rows) > 12:
            text.append(f"  … and {len(rows) - 12:,} more groups\n", style="dim")
        text.rstrip()
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

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_body)

    def _fit_body(self) -> None:
        """The lists get what the dialog's height (90% of the screen) leaves after the title
        and the answer, so the answer is never pushed off the screen or drawn over them."""
        dialog = self.query_one("#dialog")
        used = dialog.styles.gutter.height + sum(
            part.outer_size.height + part.styles.margin.height
            for part in (self.query_one("#title"), self.query_one("#answer")))
        self.query_one("#body").styles.max_height = max(3, int(self.size.height * 0.9) - used)

    def on_mount(self) -> None:
        self.call_after_refresh(self._fit_body)
        super().on_mount()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "count":
            self.query_one("#confirm", Button).disabled = not self._count_ok()

    def _count_ok(self) -> bool:
        if not self.selection.huge:
            return True
        typed = self.query_one("#count", Input).value.replace(",", "").strip()
        return typed == str(len(self.apply))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter after typing goes to the next field or the button; enter in an empty field
        stays, so two stray enters do not send."""
        event.stop()
        if event.input.id == "count" and not self._count_ok():
            self.notify(f"type {len(self.apply)} to confirm", severity="warning", timeout=3)
        elif event.value.strip():
            counts = self.query("#count")
            if event.input.id == "reason" and counts:
                counts.first().focus()
            else:
                self.query_one("#confirm", Button).focus()
        else:
            self.notify("type a reason, or tab to the button to send without one",
                        severity="information", timeout=3)

    def action_confirm(self) -> None:
        if not self.apply or not self._count_ok():
            return
        reasons = self.query("#reason")
        reason = reasons.first(Input).value.strip() if reasons else ""
        self.dismiss(Confirmed(reason or None))

