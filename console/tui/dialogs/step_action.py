"""The confirmation of an action on one step (skip a step, rerun from a step).

It says what will happen, lets the person pick the step where there is a choice (the steps that
have not started, for a skip) and edit a JSON object where the action sends one (the step's
input for a rerun from it, the skipped step's output for a skip). ``ctrl+s`` or the button
confirms, ``escape`` or Cancel sends nothing; invalid JSON is pointed at, never sent. Returns
``StepChoice(ref, value)`` or None.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from console.tui.dialogs.ask import AskDialog
from console.tui.widgets.json_editor import JsonEditor


@dataclass
class StepChoice:
    #: The step chosen from the list (None when the dialog offered no choice).
    ref: str | None
    #: The edited JSON object (None when the dialog had no editor).
    value: dict[str, Any] | None


class StepActionDialog(AskDialog[StepChoice | None]):
    """Ask before an action on one step; optionally pick the step and edit a JSON object."""

    BINDINGS = [Binding("ctrl+s", "confirm", "Send", priority=True, tooltip="Confirm and send"),
                # Before the JSON editor, which would only give up the focus on a first escape.
                Binding("escape", "cancel", "Cancel", priority=True,
                        tooltip="Close without sending anything")]
    FOCUS_FIRST = ("#choices", "#json", "#cancel")

    def __init__(self, title: str, explanation: Text | str, *, confirm: str,
                 choices: list[tuple[str, str]] | None = None, json_label: str | None = None,
                 json_value: Any = None) -> None:
        super().__init__()
        self.title_text, self.explanation, self.confirm_label = title, explanation, confirm
        #: (ref, how it reads in the list)
        self.choices = choices
        self.json_label, self.json_value = json_label, json_value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm step-action"):
            yield Label(self.title_text, id="title")
            with Horizontal(id="answer"):  # docked at the bottom: visible even at 80x24
                yield Label("ctrl+s sends · esc cancels", id="keys")
                yield Button("Cancel", id="cancel", variant="default", compact=True)
                yield Button(self.confirm_label, id="confirm", variant="error", compact=True)
            with VerticalScroll(id="body"):
                yield Static(self.explanation, id="explanation")
                if self.choices:
                    yield OptionList(*[Option(text, id=ref) for ref, text in self.choices],
                                     id="choices")
                if self.json_label is not None:
                    yield Label(self.json_label, id="json-label")
                    text = json.dumps(self.json_value or {}, indent=2, ensure_ascii=False)
                    yield JsonEditor(text, id="json")

    def action_confirm(self) -> None:
        ref = None
        if self.choices:
            options = self.query_one("#choices", OptionList)
            if options.highlighted is None:
                self.notify("choose a step first", severity="warning", timeout=3)
                options.focus()
                return
            ref = options.get_option_at_index(options.highlighted).id
        value = None
        if self.json_label is not None:
            value = self.query_one(JsonEditor).check()
            if value is None:
                self.notify("that is not a JSON object: fix it, or escape to cancel",
                            severity="warning", timeout=5)
                return
        self.dismiss(StepChoice(ref, value))
