"""A full screen built around one table of rows (failure groups, a comparison, the journal):
a head line, the table, a box saying more about the highlighted row, an optional status line,
and the footer. ``escape`` goes back (``dismiss(None)``: a screen pushed with a callback hears
None). Subclasses give the columns, the row key and the box; they fill the table in ``load``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from console.tui.screens.base import MeshdeckScreen
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.vtable import Column, VirtualTable


class TableScreen(MeshdeckScreen):
    """One table with a head line, a box for the highlighted row, and the footer."""

    CSS_PATH = "table_screen.tcss"
    AUTO_FOCUS = "#rows"
    BINDINGS = [Binding("escape", "back", "Back", tooltip="Back to the previous screen")]
    #: What the table says while it has no rows.
    EMPTY: ClassVar[str] = "nothing to show"
    #: The box's colour: "error", "warning" or "primary".
    BOX: ClassVar[str] = "primary"
    #: Whether a status line sits under the box.
    STATUS_LINE: ClassVar[bool] = False

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def row_key(self, row: Any) -> str:
        raise NotImplementedError

    def box(self, row: Any) -> RenderableType | None:
        """What the box says about ``row`` (None: no box)."""
        return None

    def head_text(self) -> RenderableType:
        """The head line until ``load`` says more."""
        return Text("Loading…", style="dim")

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static(self.head_text(), id="head")
        yield from self.compose_above()
        yield VirtualTable(self.columns(), self.row_key, markable=False, empty_text=self.EMPTY,
                           id="rows")
        yield Static(id="box", classes=self.BOX)
        if self.STATUS_LINE:
            yield Static(id="status", markup=False)
        yield MeshdeckFooter()

    def compose_above(self) -> ComposeResult:
        """Widgets between the head line and the table (none by default)."""
        yield from ()

    def on_mount(self) -> None:
        self.refresh_data()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#rows", VirtualTable)

    @property
    def current(self) -> Any | None:
        return self.table.current

    def set_head(self, text: RenderableType) -> None:
        self.query_one("#head", Static).update(text)

    def set_rows(self, rows: list[Any]) -> None:
        """Show ``rows`` (the cursor stays on the same row where it can) and the box."""
        self.table.set_rows(rows, keep_cursor=True)
        self.show_box()

    def on_virtual_table_cursor_moved(self, _event: VirtualTable.CursorMoved) -> None:
        self.show_box()

    def show_box(self) -> None:
        row = self.current
        said = self.box(row) if row is not None else None
        box = self.query_one("#box", Static)
        box.display = said is not None
        if said is not None:
            box.update(said)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self.refresh_data()
