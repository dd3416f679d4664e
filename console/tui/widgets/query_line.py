"""The query line (``:`` on the executions screen, like k9s): every filter as one line of text.

``status:FAILED name:create_order since:2h text:"gateway"`` sets exactly the filters the
widgets would (the line is read by ``console.services.query_line``, the same reader as
``meshdeck search --query``), and the widgets then show them. Opened, it holds the current
filters as a line. A line that cannot be read is never applied: the problem is said under it
in red, the cursor put where it is, and the line stays as typed. ``escape`` closes it unchanged;
the keys it takes are listed under it while it is open.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from console.services import query_line

KEYS_HELP = "keys: " + " ".join(f"{k.name}:" for k in query_line.KEYS) + \
    "  · comma lists · quote spaces · enter applies · esc closes"


class QueryLine(Vertical):
    """A hidden one-line filter editor; ``open(line)`` shows it. Posts ``Submitted`` with the
    values read; the owner applies them or calls ``refuse(message)``."""

    DEFAULT_CSS = """
    QueryLine { height: auto; padding: 0 1; display: none; }
    QueryLine.-open { display: block; }
    QueryLine > Input { width: 1fr; }
    QueryLine > #q-note { color: $text-muted; height: auto; }
    QueryLine.-error > #q-note { color: $error; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "close", "Close", tooltip="Close the query line unchanged")]

    class Submitted(Message):
        """The line was read: ``values`` are the filters it sets."""

        def __init__(self, line: QueryLine, text: str, values: query_line.Values) -> None:
            super().__init__()
            self.line, self.text, self.values = line, text, values

    class Closed(Message):
        """The query line was closed."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder='status:FAILED name:create_order since:2h text:"gateway"',
                    compact=True, id="q-input", select_on_focus=False)
        yield Static(KEYS_HELP, id="q-note", markup=False)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, text: str) -> None:
        """Show the line holding ``text`` (the current filters), all of it selected: what is
        typed replaces it (a new query, as the README shows one), → or end keeps it to add to."""
        self.add_class("-open")
        self._note(KEYS_HELP, error=False)
        field = self.query_one(Input)
        field.value = text + (" " if text else "")
        field.select_all()
        field.focus()

    def close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed())

    def refuse(self, message: str, position: int | None = None) -> None:
        """Say why the line is not applied; the cursor goes to ``position`` (0-based)."""
        self._note(f"✗ {message}", error=True)
        field = self.query_one(Input)
        if position is not None:
            field.cursor_position = max(0, min(position, len(field.value)))
        field.focus()

    def _note(self, text: str, *, error: bool) -> None:
        self.set_class(error, "-error")
        self.query_one("#q-note", Static).update(Text(text))

    @on(Input.Submitted, "#q-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            values = query_line.parse(event.value)
        except query_line.QueryError as exc:
            self.refuse(str(exc), exc.position)
            return
        self.post_message(self.Submitted(self, event.value, values))

    @on(Input.Changed, "#q-input")
    def _typing(self, _event: Input.Changed) -> None:
        if self.has_class("-error"):  # the person is fixing it: the help comes back
            self._note(KEYS_HELP, error=False)

    def action_close(self) -> None:
        self.close()
