"""A short list of executions to pick one from (the executions of a correlation id, the running
ids of a definition): ``enter`` opens the one under the cursor, ``escape`` closes. Returns the
chosen process id, or None.

``show_processes(app, title, note, load)`` runs ``load`` (a coroutine giving ``ProcessRow``s) in
a worker and shows the list; an error is a notification, an empty list says so.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from console import format as fmt

if TYPE_CHECKING:
    from console.tui.app import MeshdeckApp


@dataclass(frozen=True)
class ProcessRow:
    id: str
    status: str | None = None
    created: int | None = None


class ProcessListScreen(ModalScreen[str | None]):
    """Pick one execution of a short list."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", tooltip="Close without opening one")]

    def __init__(self, title: str, note: str, rows: list[ProcessRow], now_ms: int) -> None:
        super().__init__()
        self.title_text, self.note, self.rows, self.now_ms = title, note, rows, now_ms

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="process-list"):
            yield Label(self.title_text, id="title")
            yield Label(self.note, id="note")
            yield OptionList(*[Option(self._line(r), id=r.id) for r in self.rows], id="rows")
            yield Label("enter opens · esc closes", id="keys")

    def _line(self, row: ProcessRow) -> Text:
        text = Text(f"{row.id}  ", style="bold")
        if row.status:
            text.append(f"{row.status:<11}", style=fmt.status_style(row.status) or "")
        if row.created:
            from datetime import UTC, datetime

            text.append(f" started {fmt.relative(row.created, datetime.fromtimestamp(self.now_ms / 1000, tz=UTC))}",
                        style="dim")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def show_processes(app: MeshdeckApp, title: str, note: str,
                   load: Callable[[], Awaitable[list[ProcessRow]]], empty: str) -> None:
    """Fetch the rows in a worker, then show them (enter opens one)."""

    async def run() -> None:
        try:
            rows = await load()
        except Exception as exc:  # noqa: BLE001 - a notification, never a traceback
            app.notify_error(exc, title)
            return
        if not rows:
            app.notify(empty, title=title, markup=False)
            return

        def opened(pid: str | None) -> None:
            if pid:
                app.open_process(pid)

        app.push_screen(ProcessListScreen(title, note, rows, app.now_ms()), opened)

    app.run_worker(run(), group="process-list", exit_on_error=False)
