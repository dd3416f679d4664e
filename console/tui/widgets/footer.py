"""The footer every screen uses: Textual's, with ``? Help`` kept at the right edge beside
``^p Commands``, so on an 80-column terminal the way to every other key is always visible
(the keys in between are cut first)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class MeshdeckFooter(Footer):
    """Keys of the screen; Help and the command palette together at the right."""

    DEFAULT_CSS = """
    MeshdeckFooter #always {
        dock: right;
        width: auto;
        height: 1;
        FooterKey { border-left: vkey $foreground 20%; padding-right: 1; }
        FooterKey.-command-palette { dock: none; }
    }
    """

    def compose(self) -> ComposeResult:
        always = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and (widget.action.endswith("help")
                                                  or widget.has_class("-command-palette")):
                always.append(widget)
            else:
                yield widget
        if always:
            yield HorizontalGroup(*always, id="always")
