"""Pick the definition version to resume on (resume on a new definition).

Offers "the latest version of each definition" first, then each version the selected executions'
definitions have, newest first. Returns ``VersionChoice(version)`` (None: each one's latest) or
None (cancelled: nothing is sent).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class VersionChoice:
    version: int | None


class VersionPicker(ModalScreen[VersionChoice | None]):
    """Which version of their definition the executions resume on."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without sending anything")]

    def __init__(self, definitions: list[tuple[str, str]], versions: list[int]) -> None:
        super().__init__()
        self.definitions = definitions
        self.versions = versions

    def compose(self) -> ComposeResult:
        names = ", ".join(f"{ns}/{n}" for ns, n in self.definitions[:3])
        more = f" and {len(self.definitions) - 3} more" if len(self.definitions) > 3 else ""
        with Vertical(id="dialog", classes="picker"):
            yield Label("Resume on which definition version?", id="title")
            yield Static(f"Definition: {names or 'none found'}{more}. The next step lists, per "
                         "execution, the version it ran and the one it will resume on.",
                         id="picker-help")
            options = [Option("Latest version" + (" of each definition" if len(self.definitions) > 1
                                                   else ""), id="latest")]
            options += [Option(f"Version {v}" + (" (latest)" if v == self.versions[-1] else ""),
                               id=f"v{v}") for v in reversed(self.versions)]
            yield OptionList(*options, id="versions")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        picked = event.option.id or "latest"
        self.dismiss(VersionChoice(None if picked == "latest" else int(picked[1:])))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
