"""The row of tabs at the top of the definitions, API call and run screens: one per section.

Sections are the app's modes (``MeshdeckApp.SECTIONS``); picking a tab switches to that mode,
which keeps its own screen stack. The same switches are on F2..F5 and in the command palette.
"""

from __future__ import annotations

from textual.widgets import Tab, Tabs


class ScreenTabs(Tabs):
    """Tabs for the app's sections, with ``current`` active."""

    DEFAULT_CSS = """
    ScreenTabs { height: 2; }
    """

    def __init__(self, current: str, sections: list[tuple[str, str, str]]) -> None:
        super().__init__(*[Tab(f"{label} ({key.upper()})", id=f"tab-{mode}")
                           for mode, label, key in sections], active=f"tab-{current}")
        self.current = current
        self.can_focus = False

    def show_current(self) -> None:
        """Point at this screen's own tab again (after another tab was clicked)."""
        self.active = f"tab-{self.current}"

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        mode = (event.tab.id or "").removeprefix("tab-")
        if mode and mode != self.current and mode != self.app.current_mode:
            self.app.switch_mode(mode)
