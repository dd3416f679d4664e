"""Child process of item 2: ``meshdeck --mock`` through the real CLI entry point, headless.

``run_tui`` is swapped for a headless run (140x40) and the table's ``set_rows`` is wrapped so
that once the first non-empty page is set, the process exits right after the next screen
refresh (``call_after_refresh``): spawn-to-exit is then start-to-first-page-painted.

``python -m benchmarks.tui_start_child meshdeck`` | ``stock`` (a stock Textual DataTable app
with 100 rows, the reference).
"""

from __future__ import annotations

import os
import sys


def _done() -> None:
    sys.stdout.flush()
    os._exit(0)


def meshdeck() -> None:
    import console.tui.app as tui_app
    from console.tui.widgets.vtable import VirtualTable

    original = VirtualTable.set_rows

    def set_rows(self, rows, **kwargs):
        original(self, rows, **kwargs)
        if self.rows:
            self.call_after_refresh(_done)

    VirtualTable.set_rows = set_rows  # type: ignore[method-assign]

    def run_tui(backend, settings, theme=None, **kwargs):  # mock, connect: as the CLI gives
        tui_app.MeshdeckApp(backend, settings, theme=theme, **kwargs).run(headless=True,
                                                                          size=(140, 40))

    tui_app.run_tui = run_tui
    import console.cli.common as common

    common.has_terminal = lambda: True  # headless: no terminal is needed (the benchmark has none)
    sys.argv = ["meshdeck", "--mock"]
    from console.cli.main import run

    run()


def stock() -> None:
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Stock(App):
        def compose(self):
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("status", "name", "namespace", "process id", "started")
            table.add_rows([("FAILED", f"name {i}", "default", str(1000000 + i), "5m ago")
                            for i in range(100)])
            self.call_after_refresh(_done)

    Stock().run(headless=True, size=(140, 40))


if __name__ == "__main__":
    {"meshdeck": meshdeck, "stock": stock}[sys.argv[1]]()
