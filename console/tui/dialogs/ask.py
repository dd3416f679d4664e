"""What the dialogs that ask before sending share: focus on the first field there is (so a stray
enter never sends), Confirm and Cancel buttons, escape to cancel."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button

T = TypeVar("T")


class AskDialog(ModalScreen[T]):
    """A modal with ``#confirm`` and ``#cancel`` buttons; subclasses define ``action_confirm``."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without sending anything")]
    #: Selectors tried in order on mount; the first that exists gets the focus.
    FOCUS_FIRST: ClassVar[tuple[str, ...]] = ("#cancel",)

    def on_mount(self) -> None:
        for wanted in self.FOCUS_FIRST:
            found = self.query(wanted)
            if found:
                found.first().focus()
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self.action_confirm()
        else:
            self.dismiss(None)

    def action_confirm(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)
