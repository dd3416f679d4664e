"""Two views of one definition, opened from its screen: its versions with the difference between
two of them, and the definition itself as YAML or JSON (read-only, copyable).

Both show the definition as ``meshdeck definitions export`` writes it (normalised: server-managed
fields left out, keys in a stable order), so what is read here is what a file would hold.
"""

from __future__ import annotations

import json

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Static, TextArea

from console.definition_files import dump, normalise
from console.format import absolute
from console.models import ProcessDefinition
from console.services.definitions import diff_versions
from console.tui.screens.base import MeshdeckScreen


def diff_text(lines: list[str]) -> Text:
    """A unified diff, coloured: additions green, removals red, hunks cyan."""
    text = Text()
    for line in lines:
        style = ("bold" if line.startswith(("---", "+++")) else "green" if line.startswith("+")
                 else "red" if line.startswith("-") else "cyan" if line.startswith("@@") else "")
        text.append(line + "\n", style=style)
    text.rstrip()
    return text


class DefinitionView(MeshdeckScreen):
    """What both views share: their CSS, a header, the definition's name, escape goes back."""

    CSS_PATH = "definitions.tcss"
    #: Each view's main widget has the class ``main`` and takes the focus.
    AUTO_FOCUS = ".main"
    BINDINGS = [Binding("escape", "back", "Back", tooltip="Back to the definition")]

    def head(self, title: str) -> ComposeResult:
        yield Header(icon="◆")
        yield Label(Text(title, style="bold"), id="def-title")

    def action_back(self) -> None:
        self.app.pop_screen()


class DefinitionVersionsScreen(DefinitionView):
    """A definition's versions; the diff between the pinned "from" version and the highlighted one."""

    TITLE = "Definition versions"
    BINDINGS = [
        Binding("space", "pin", "Compare from", tooltip="Compare the other versions with the "
                "highlighted one (default: each with the version before it)"),
        Binding("r", "refresh", "Refresh", tooltip="List the versions again"),
    ]

    def __init__(self, namespace: str, name: str) -> None:
        super().__init__()
        self.namespace, self.name_ = namespace, name
        self.versions: list[ProcessDefinition] = []
        self.pinned: int | None = None

    def compose(self) -> ComposeResult:
        yield from self.head(f"{self.namespace}/{self.name_}")
        with Horizontal(id="def-body"):
            table: DataTable = DataTable(id="versions", classes="main", cursor_type="row",
                                         zebra_stripes=True)
            table.add_columns("version", "updated", "steps")
            yield table
            with VerticalScroll(id="diff-box"):
                yield Static("loading versions…", id="diff", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.namespace}/{self.name_}"
        self.load()

    @work(exclusive=True, group="versions", exit_on_error=False)
    async def load(self) -> None:
        backend = self.app.backend
        numbers = await backend.definition_versions(self.namespace, self.name_)
        self.versions = [await backend.get_definition(self.namespace, self.name_, v)
                         for v in sorted(numbers)]
        table = self.query_one("#versions", DataTable)
        table.clear()
        for d in self.versions:
            table.add_row(f"v{d.version}", (absolute(d.updated) or "")[:10], str(d.step_count),
                          key=str(d.version))
        table.move_cursor(row=len(self.versions) - 1)
        self.show_diff()

    def worker_failed(self, worker, error: BaseException) -> None:
        super().worker_failed(worker, error)
        self.query_one("#diff", Static).update("could not load the versions (r: retry)")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_diff()

    def _pair(self) -> tuple[int, int] | None:
        row = self.query_one("#versions", DataTable).cursor_row
        if not self.versions or not 0 <= row < len(self.versions):
            return None
        to = self.versions[row].version
        if self.pinned is not None and self.pinned != to:
            return self.pinned, to  # type: ignore[return-value]
        if row == 0:
            return None
        return self.versions[row - 1].version, to  # type: ignore[return-value]

    def show_diff(self) -> None:
        pair = self._pair()
        box = self.query_one("#diff", Static)
        if pair is None:
            box.update("the first version: nothing before it to compare with "
                       "(space pins a version to compare others with)")
            return
        self.compare(*pair)

    @work(exclusive=True, group="diff", exit_on_error=False)
    async def compare(self, old: int, new: int) -> None:
        lines = await diff_versions(self.app.backend, self.namespace, self.name_, old, new)
        head = Text(f"v{old} → v{new}: ", style="bold")
        changed = sum(1 for line in lines if line[:1] in ("+", "-")
                      and not line.startswith(("+++", "---")))
        head.append(f"{changed} line(s) differ\n" if lines else "they say the same "
                    "(server-managed fields aside)\n")
        self.query_one("#diff", Static).update(head + diff_text(lines))

    def action_pin(self) -> None:
        row = self.query_one("#versions", DataTable).cursor_row
        if self.versions and 0 <= row < len(self.versions):
            self.pinned = self.versions[row].version
            self.notify(f"comparing with v{self.pinned}: move to another version", timeout=3)
            self.show_diff()

    def action_refresh(self) -> None:
        self.load()


class DefinitionSourceScreen(DefinitionView):
    """The definition as a file would hold it, in YAML or JSON; read-only, copyable."""

    TITLE = "Definition source"
    BINDINGS = [
        Binding("f", "toggle_format", "YAML/JSON", tooltip="Show it as JSON, or as YAML"),
        Binding("c", "copy", "Copy", tooltip="Copy the whole definition to the clipboard"),
    ]

    def __init__(self, definition: ProcessDefinition) -> None:
        super().__init__()
        self.definition = definition
        self.format = "yaml"

    def compose(self) -> ComposeResult:
        d = self.definition
        yield from self.head(f"{d.namespace}/{d.name} v{d.version}")
        yield TextArea(self.text(), read_only=True, show_line_numbers=True, id="source",
                       classes="main", soft_wrap=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.definition.namespace}/{self.definition.name} as {self.format}"

    def text(self) -> str:
        wire = self.definition.to_wire()
        if self.format == "json":
            return json.dumps(normalise(wire), indent=2, ensure_ascii=False) + "\n"
        return dump(wire)

    def action_toggle_format(self) -> None:
        self.format = "json" if self.format == "yaml" else "yaml"
        self.query_one("#source", TextArea).load_text(self.text())
        self.sub_title = f"{self.definition.namespace}/{self.definition.name} as {self.format}"

    def action_copy(self) -> None:
        d = self.definition
        self.app.copy(self.text(), f"{d.namespace}/{d.name} v{d.version} as {self.format.upper()}")
