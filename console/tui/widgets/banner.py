"""The profile banner (e.g. "PRODUCTION"): one coloured line at the top of every screen."""

from __future__ import annotations

from textual.widgets import Static


class Banner(Static):
    """A profile's ``banner`` text, impossible to miss."""

    DEFAULT_CSS = """
    Banner {
        width: 100%;
        height: 1;
        background: $error;
        color: $text;
        text-style: bold;
        content-align: center middle;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(f" {text} ", markup=False, id="banner")
