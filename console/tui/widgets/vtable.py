"""A virtual table: fluid with 100,000 rows, with a cursor, marks and sort built in.

Why not Textual's ``DataTable``: it builds and measures a renderable per cell as rows are
added, so 100,000 rows take tens of seconds to add and its memory grows with every cell. This
widget is a ``ScrollView`` on the Line API: it keeps the caller's plain row objects in a list and
formats only the rows on screen in ``render_line(y)``, so loading is O(1) per row, sorting is one
``list.sort`` with a key, and a key press repaints one screenful. Marks are a set of row keys
(process ids), so they survive refreshes, re-sorts and paging. ``textual-fastdatatable`` was the
alternative (Arrow-backed); it would need converting rows to Arrow and has no marks, so it lost.

Keys: arrows/page/home/end move, ``space`` marks, ``shift+up/down`` marks a range, ``ctrl+a``
marks every row (again: unmarks). Click a header to sort by it; click a row to move there;
double-click (or ``enter``, bound by the screen) opens it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from console.tui.widgets.columns import GAP, Column, Widths, cell, none_last

__all__ = ["Column", "VirtualTable"]

class VirtualTable(ScrollView, can_focus=True):
    """Rows are any objects; ``columns`` say how to show them and ``row_key`` names them."""

    COMPONENT_CLASSES = {"vtable--header", "vtable--cursor", "vtable--marked",
                         "vtable--mark-sign", "vtable--stale"}
    DEFAULT_CSS = """
    VirtualTable { background: $surface; }
    VirtualTable > .vtable--header { background: $panel; color: $text; text-style: bold; }
    VirtualTable > .vtable--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .vtable--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; }
    VirtualTable > .vtable--marked { background: $secondary 30%; }
    VirtualTable > .vtable--mark-sign { color: $warning; text-style: bold; }
    VirtualTable > .vtable--stale { color: $text-disabled; text-style: italic; }
    """
    BINDINGS = [  # moving keys go undescribed: the footer, ? and the palette leave them out
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(1)", show=False),
        Binding("space", "toggle_mark", "Mark",
                tooltip="Mark or unmark the row, then move to the next"),
        Binding("shift+down", "mark_range(1)", "Mark down", show=False,
                tooltip="Mark this row and the next (a range)"),
        Binding("shift+up", "mark_range(-1)", "Mark up", show=False,
                tooltip="Mark this row and the previous (a range)"),
        Binding("ctrl+a", "mark_all", "Mark all", show=False,
                tooltip="Mark every row shown (again: unmark all)"),
    ]

    class CursorMoved(Message):
        def __init__(self, table: VirtualTable, index: int) -> None:
            super().__init__()
            self.table, self.index = table, index

    class MarksChanged(Message):
        def __init__(self, table: VirtualTable, count: int) -> None:
            super().__init__()
            self.table, self.count = table, count

    class Activated(Message):
        """The user opened a row (double-click)."""

        def __init__(self, table: VirtualTable, row: Any) -> None:
            super().__init__()
            self.table, self.row = table, row

    class SortChanged(Message):
        def __init__(self, table: VirtualTable, key: str | None, reverse: bool) -> None:
            super().__init__()
            self.table, self.key, self.reverse = table, key, reverse

    def __init__(self, columns: Sequence[Column], row_key: Callable[[Any], str], *,
                 markable: bool = True, empty_text: str = "nothing to show",
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.row_key = row_key
        self.markable = markable
        self.empty_text = empty_text
        self.rows: list[Any] = []
        self.cursor = 0
        self.marks: set[str] = set()
        self.sort_column: str | None = None
        self.sort_reverse = False
        #: Keys of rows whose values may be out of date (drawn dim, with "?").
        self.stale: set[str] = set()
        #: Keys of columns the person hid (``set_hidden``): never shown, whatever the width.
        self.hidden: set[str] = set()
        self._natural = Widths(self.columns)
        #: The columns that fit the width, and their widths (see ``columns.Widths.layout``).
        self._shown: list[Column] = list(self.columns)
        self._widths: list[int] = [c.width for c in self.columns]
        self._styles: dict[str, Style] = {}

    # ---- data ------------------------------------------------------------------------------

    @property
    def current(self) -> Any | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def set_rows(self, rows: Iterable[Any], *, keep_cursor: bool = True) -> None:
        """Replace the rows; the cursor stays on the same key if it is still there. Marks are
        kept even for keys no longer shown (another page, a refresh): the owner decides."""
        old = self.row_key(self.current) if keep_cursor and self.current is not None else None
        self.rows = list(rows)
        self._natural.see(self.rows)
        self._sort()
        index = 0
        if old is not None:
            index = next((i for i, r in enumerate(self.rows) if self.row_key(r) == old),
                         min(self.cursor, max(0, len(self.rows) - 1)))
        self._resized()
        self.move_to(index, scroll=True)
        self.refresh()

    def append_rows(self, rows: Iterable[Any]) -> None:
        """Add rows at the end (streaming); a sort is applied by ``resort()`` afterwards."""
        added = list(rows)
        self.rows.extend(added)
        self._natural.see(added)
        self._resized()
        self.refresh()

    def resort(self) -> None:
        key = self.row_key(self.current) if self.current is not None else None
        self._sort()
        if key is not None:
            self.move_to(next((i for i, r in enumerate(self.rows) if self.row_key(r) == key), 0))
        self.refresh()

    def sort_by(self, key: str | None, reverse: bool | None = None) -> None:
        """Sort by column ``key`` (again on the same column: flip the direction)."""
        if reverse is None:
            reverse = (not self.sort_reverse) if key == self.sort_column else False
        self.sort_column, self.sort_reverse = key, reverse
        self.resort()
        self.post_message(self.SortChanged(self, key, reverse))

    def _sort(self) -> None:
        column = self._column(self.sort_column)
        if column is None:
            return
        getter = column.sort_key or column.text
        self.rows.sort(key=none_last(getter), reverse=self.sort_reverse)

    def _column(self, key: str | None) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def set_hidden(self, keys: Iterable[str]) -> None:
        """Hide these columns (the others are shown as the width allows)."""
        self.hidden = {k for k in keys if self._column(k) is not None}
        self._resized()

    def shows(self, key: str) -> bool:
        """Whether column ``key`` is on screen now (not hidden, and it fits)."""
        return any(c.key == key for c in self._shown)

    @property
    def visible_rows(self) -> list[Any]:
        """The rows on screen now."""
        top = int(self.scroll_y)
        return self.rows[top:top + self.page_height]

    def marked_rows(self) -> list[Any]:
        """Marked rows in display order."""
        if not self.marks:
            return []
        return [r for r in self.rows if self.row_key(r) in self.marks]

    def set_marks(self, keys: Iterable[str]) -> None:
        self.marks = set(keys)
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marks)))

    def clear_marks(self) -> None:
        self.set_marks(())

    # ---- cursor ----------------------------------------------------------------------------

    @property
    def page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_to(self, index: int, *, scroll: bool = True, top: int | None = None) -> None:
        """Put the cursor on row ``index`` (clamped) and, with ``scroll``, bring it into view;
        ``top`` asks for that first row on screen (a page key keeps the cursor's place)."""
        index = max(0, min(index, len(self.rows) - 1)) if self.rows else 0
        old, self.cursor = self.cursor, index  # before scrolling: the view follows the cursor
        if scroll:
            if top is None:
                top = int(self.scroll_y)
                if index < top:
                    top = index
                elif index >= top + self.page_height:
                    top = index - self.page_height + 1
            self.scroll_to(y=top, animate=False, immediate=True)
        self._refresh_row(old)
        self._refresh_row(index)
        if index != old:
            self.post_message(self.CursorMoved(self, index))

    def _refresh_row(self, index: int) -> None:
        """Repaint row ``index`` (its line is ``index + 1`` of the content: the header is 0)."""
        self.refresh_line(index + 1)  # in content lines: Textual subtracts the scroll itself

    def watch_scroll_y(self, old: float, new: float) -> None:
        """The cursor never leaves the screen (a mouse wheel or the scrollbar moved the view):
        the highlighted row is always the row the keys act on."""
        super().watch_scroll_y(old, new)
        if not self.rows or self.scrollable_content_region.height < 2:
            return  # not laid out yet
        top = int(new)
        bottom = min(len(self.rows), top + self.page_height) - 1
        if not top <= self.cursor <= bottom:
            self.move_to(max(top, min(self.cursor, bottom)), scroll=False)

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        """A page up or down; the cursor keeps its place on the screen where it can."""
        step = self.page_height * direction
        top = max(0, min(int(self.scroll_y) + step, int(self.max_scroll_y)))
        index = max(0, min(self.cursor + step, len(self.rows) - 1))
        self.move_to(index, top=top if top <= index < top + self.page_height else None)

    def action_edge(self, end: int) -> None:
        self.move_to(len(self.rows) - 1 if end else 0)

    # ---- marks -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A table whose rows cannot be marked offers no mark keys."""
        if action in ("toggle_mark", "mark_range", "mark_all"):
            return self.markable
        return True

    def _toggle(self, row: Any, on: bool | None = None) -> None:
        key = self.row_key(row)
        if on is None:
            on = key not in self.marks
        if on:
            self.marks.add(key)
        else:
            self.marks.discard(key)

    def action_toggle_mark(self) -> None:
        if not self.markable or self.current is None:
            return
        self._toggle(self.current)
        self._refresh_row(self.cursor)
        self.post_message(self.MarksChanged(self, len(self.marks)))
        self.move_to(self.cursor + 1)

    def action_mark_range(self, delta: int) -> None:
        if not self.markable or self.current is None:
            return
        self._toggle(self.current, True)
        self.move_to(self.cursor + delta)
        self._toggle(self.current, True)
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.marks)))

    def action_mark_all(self) -> None:
        if not self.markable:
            return
        keys = {self.row_key(r) for r in self.rows}
        self.set_marks(set() if keys and keys <= self.marks else keys)

    # ---- layout and painting ---------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._resized()

    def notify_style_update(self) -> None:
        self._styles.clear()
        super().notify_style_update()

    def _resized(self) -> None:
        """Lay the columns out in the width there is, always leaving room for the vertical
        scrollbar (so it never covers the last column's values)."""
        available = self.size.width - self.styles.scrollbar_size_vertical
        layout = self._natural.layout(available, self.hidden)
        self._shown = [column for column, _ in layout]
        self._widths = [width for _, width in layout]
        total = sum(w + GAP for w in self._widths)
        self.virtual_size = Size(total, len(self.rows) + 1)
        self.refresh()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name.startswith("vtable--"):
                style = self.get_component_rich_style(name, partial=True)
            else:
                style = Style.parse(name) if name else Style()
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            strip = self._header()
        else:
            index = scroll_y + y - 1
            if index < len(self.rows):
                strip = self._row(index)
            elif index == 0 and not self.rows:
                strip = Strip([Segment(f" {self.empty_text}", base + Style(dim=True))])
            else:
                return Strip.blank(width, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _header(self) -> Strip:
        style = self.rich_style + self._style("vtable--header")
        segments = []
        for column, width in zip(self._shown, self._widths, strict=True):
            label = column.label
            if column.key == self.sort_column:
                label = f"{label} {'▼' if self.sort_reverse else '▲'}"
            text = label.rjust(width) if column.align_right else label
            segments.append(Segment(set_cell_size(text, width) + " " * GAP, style))
        return Strip(segments)

    def _row(self, index: int) -> Strip:
        row = self.rows[index]
        base = self.rich_style
        key = self.row_key(row)
        marked = self.markable and key in self.marks
        stale = key in self.stale
        if marked:
            base = base + self._style("vtable--marked")
        if index == self.cursor:
            base = base + self._style("vtable--cursor")
        segments = []
        for column, width in zip(self._shown, self._widths, strict=True):
            if column.key == "mark":
                text = "●" if marked else "?" if stale else " "
                style = base + self._style("vtable--mark-sign")
            else:
                raw = column.text(row)
                if column.whole and len(raw) > width and self._natural.widen(column, len(raw)):
                    self.call_after_refresh(self._resized)  # never a cut number: make room
                text = cell(column, raw, width)
                style = base + self._style(column.style(row)) if column.style else base
                if stale:
                    style = style + self._style("vtable--stale")
            segments.append(Segment(set_cell_size(text, width), style))
            segments.append(Segment(" " * GAP, base))
        return Strip(segments)

    # ---- mouse -----------------------------------------------------------------------------

    def _column_at(self, x: int) -> Column | None:
        edge = 0
        for column, width in zip(self._shown, self._widths, strict=True):
            edge += width + GAP
            if x < edge:
                return column
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x + int(self.scroll_x))
            if column is not None and column.key != "mark":
                self.sort_by(column.key)
            return
        index = int(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self.rows):
            self.move_to(index, scroll=False)
            if event.chain >= 2:
                self.post_message(self.Activated(self, self.rows[index]))
