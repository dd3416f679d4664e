"""A JSON body editor: a TextArea that checks its text and points at the first mistake.

JSON highlighting needs Textual's tree-sitter extra (``pip install "textual[syntax]"``); without
it the editor is a plain TextArea with line numbers, and everything else works the same.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from console.services.api_calls import BodyError, parse_body


class JsonEditor(TextArea):
    """Edit a JSON object; ``check()`` returns it or points the cursor at the error."""

    DEFAULT_CSS = """
    JsonEditor { height: 1fr; }
    JsonEditor.-invalid { border: tall $error; }
    """

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, soft_wrap=False, show_line_numbers=True, tab_behavior="indent",
                         **kwargs)
        self.error: BodyError | None = None

    def on_mount(self) -> None:
        if "json" in self.available_languages:  # tree-sitter is installed
            self.language = "json"
            self.theme = "css" if "css" in self.available_themes else self.theme

    def check(self) -> Any | None:
        """The body as a JSON object, or None after moving the cursor to the mistake."""
        value = parse_body(self.text)
        if isinstance(value, BodyError):
            self.error = value
            self.add_class("-invalid")
            row = max(0, min(value.line - 1, self.document.line_count - 1))
            width = len(self.document.get_line(row))
            col = max(0, min(value.column - 1, width))
            self.selection = Selection((row, col), (row, min(col + 1, width)))
            self.scroll_cursor_visible()
            self.focus()
            return None
        self.error = None
        self.remove_class("-invalid")
        return value

    def format(self, what: str = "the body") -> None:
        """Pretty-print the text (2-space indent) when it is valid JSON; else point at the
        mistake and say so (``what``: how the screen names this text)."""
        import json

        value = self.check()
        if value is not None:
            self.load_text(json.dumps(value, indent=2, ensure_ascii=False) if value else "{}")
        elif self.error is not None:
            self.notify(f"{what} is not valid JSON: {self.error}", severity="error", markup=False)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.error is not None:  # the user is fixing it: stop shouting
            self.error = None
            self.remove_class("-invalid")
