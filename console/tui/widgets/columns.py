"""Columns of a ``VirtualTable``: what each shows, and which of them fit the width there is.

A column has a ``priority`` (0: always shown; higher: dropped sooner when the table is too
narrow), so at 80 columns the executions table keeps status, name, id and started and lets the
less important ones go, rightmost first among equals. A ``whole`` column (numbers, ids, times)
is never cut: it widens to its longest value, and when that no longer fits it drops out, so
"10" never reads as "1" and an id is never shortened into another id. Widths are learnt from a
sample of the rows (100,000 rows load in milliseconds); a longer ``whole`` value met while
painting widens its column at once (``Widths.widen``), and until that repaint it shows as
``###``, never as a shorter number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

#: Blank cells between two columns.
GAP = 1
#: What a ``whole`` cell shows when its value does not fit (never a shortened number).
NO_ROOM = "#"


@dataclass
class Column:
    """One column: how to show a row's cell, how to colour it, how to sort by it."""

    key: str
    label: str
    width: int
    text: Callable[[Any], str]
    style: Callable[[Any], str] | None = None
    sort_key: Callable[[Any], Any] | None = None
    #: Takes the width left over (``width`` is then its least).
    flex: bool = False
    #: A flexible column's share of the width left over, against the other flexible ones'.
    grow: int = 1
    align_right: bool = False
    #: Grow ``width`` to fit the longest text among the first rows loaded (ids of other backends).
    fit: bool = False
    #: 0: always shown; higher numbers drop out first when the table is too narrow.
    priority: int = 0
    #: Never cut (numbers, ids, times): widen to every value, or drop the column.
    whole: bool = False
    #: A ``fit`` column grows to at most this many cells (0: as wide as its longest value).
    fit_max: int = 0


def none_last(getter: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A sort key that puts rows without a value after the others."""
    def key(row: Any) -> Any:
        value = getter(row)
        return (value is None, value if value is not None else 0)
    return key


class Widths:
    """Each column's natural width (its own, or wider to fit the values seen so far)."""

    #: ``fit`` and ``whole`` columns look at this many rows of each batch (first and last).
    SAMPLE = 1000

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self._fitted: dict[str, int] = {}

    def see(self, rows: Sequence[Any]) -> None:
        """Widen to the values of ``rows``; never shrink."""
        if not rows:
            return
        sample = rows if len(rows) <= 2 * self.SAMPLE \
            else [*rows[:self.SAMPLE], *rows[-self.SAMPLE:]]
        for column in self.columns:
            if column.whole or column.fit:
                longest = max(len(column.text(r)) for r in sample)
                if column.fit_max and not column.whole:
                    longest = min(longest, column.fit_max)
                self.widen(column, longest)

    def widen(self, column: Column, width: int) -> bool:
        """Make room for a value ``width`` wide; True if the column grew."""
        if width <= self.natural(column):
            return False
        self._fitted[column.key] = width
        return True

    def natural(self, column: Column) -> int:
        return max(column.width, self._fitted.get(column.key, 0))

    def layout(self, available: int, hidden: Iterable[str] = ()) -> list[tuple[Column, int]]:
        """The columns shown in ``available`` cells, each with its width: the least important
        drop out until the rest fit; flexible ones share what is left. Columns whose key is in
        ``hidden`` (the person hid them) are never shown."""
        left_out = set(hidden)
        shown = [c for c in self.columns if c.key not in left_out]

        def needed(columns: Iterable[Column]) -> int:
            return sum((c.width if c.flex else self.natural(c)) + GAP for c in columns)

        while needed(shown) > available:
            droppable = [c for c in shown if c.priority > 0]
            if not droppable:
                break  # the essential ones scroll sideways on a very narrow terminal
            least = max(droppable, key=lambda c: (c.priority, shown.index(c)))
            shown.remove(least)
        flex = [c for c in shown if c.flex]
        spare = max(0, available - needed(shown))
        weights = sum(c.grow for c in flex) or 1
        shares = {c.key: spare * c.grow // weights for c in flex}
        if flex:  # what the division leaves goes to the first
            shares[flex[0].key] += spare - sum(shares.values())
        return [(column, column.width + shares[column.key] if column.flex
                 else self.natural(column)) for column in shown]


def cell(column: Column, text: str, width: int) -> str:
    """``text`` in ``width`` cells: cut with "…" if it must, but a ``whole`` value never."""
    if len(text) > width:
        text = NO_ROOM * width if column.whole else text[: max(0, width - 1)] + "…"
    return text.rjust(width) if column.align_right else text
