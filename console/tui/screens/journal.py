"""The action journal (``J`` on the executions screen, or the palette): what meshdeck sent from
this machine, newest first: when, the action, what happened to the ids, the reason, who, and
where (``console.services.journal``; the same file as ``meshdeck journal``).

``enter`` opens the execution an entry touched, or lists them (each with what happened to it)
to pick one: "what did I do at 3 a.m." answered the next morning, and an unknown outcome
checked by opening the execution.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from console import format as fmt
from console.services.journal import Entry
from console.tui.screens.base import MeshdeckScreen
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.vtable import Column, VirtualTable

RESULT_STYLE = {"done": "green", "failed": "bold red", "unknown": "bold yellow",
                "not sent": "dim", "partial": "yellow"}


def journal_columns(now) -> list[Column]:
    """When, action, result, ids, reason, user and server; the reason and the ids share the
    room left, who and where go first on a narrow terminal."""
    return [
        Column("when", "when", 8, lambda e: fmt.relative(e.at_ms, now()),
               sort_key=lambda e: e.at_ms, align_right=True, whole=True),
        Column("action", "action", 14, lambda e: e.action.replace("_", " ")),
        Column("result", "result", 18, lambda e: e.summary(),
               style=lambda e: RESULT_STYLE.get(e.result, "")),
        Column("ids", "ids", 16, _ids, flex=True),
        Column("reason", "reason", 16, lambda e: e.reason or "", flex=True, priority=2),
        Column("user", "user", 10, lambda e: e.user, priority=3),
        Column("server", "server", 16, lambda e: e.server
               + (f" ({e.profile})" if e.profile else ""), priority=4),
    ]


def _ids(entry: Entry) -> str:
    ids = entry.all_ids
    if entry.target:
        return f"{entry.target} → {', '.join(ids) or '?'}"
    return ", ".join(ids[:3]) + (f" +{len(ids) - 3:,} more" if len(ids) > 3 else "")


def entry_key(entry: Entry) -> str:
    return f"{entry.time}\x00{entry.action}\x00{','.join(entry.ids[:3])}"


class JournalScreen(MeshdeckScreen):
    """Every journaled action, newest first."""

    TITLE = "Journal"
    CSS_PATH = "journal.tcss"
    AUTO_FOCUS = "#journal"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
        Binding("enter", "open", "Open",
                tooltip="Open the execution this entry touched (a list when it touched many)"),
        Binding("r", "refresh", "Reload", tooltip="Read the journal again"),
    ]

    @property
    def HELP_NOTES(self) -> str:  # type: ignore[override]  # says where this journal is
        return (f"The journal is {self.app.journal.path}: every action, run and call meshdeck "
                "sent from this machine (the CLI's too: meshdeck journal), one JSON line each. "
                "It never holds a token, a body or an input.\n")

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield Static(id="journal-head", markup=False)
        yield VirtualTable(journal_columns(self.app.now), entry_key, markable=False,
                           empty_text="nothing journaled yet: actions, runs and calls sent "
                                      "from meshdeck appear here", id="journal")
        yield Static(id="journal-entry")
        yield MeshdeckFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#journal", VirtualTable)

    def load(self) -> None:
        """Read the file (local and small enough to read at once)."""
        journal = self.app.journal
        try:
            entries = journal.entries()
        except OSError as exc:
            self.notify(f"cannot read {journal.path}: {exc}", severity="error", markup=False)
            entries = []
        entries.sort(key=lambda e: e.at_ms, reverse=True)
        self.table.set_rows(entries, keep_cursor=True)
        damaged = journal.damaged
        self.query_one("#journal-head", Static).update(
            f"{len(entries):,} entr{'y' if len(entries) == 1 else 'ies'}, newest first · "
            f"{journal.path.name} in the data folder (? shows where)"
            + (f" · {damaged:,} damaged line(s) skipped" if damaged else ""))
        self._show_entry()

    def on_virtual_table_cursor_moved(self, _event: VirtualTable.CursorMoved) -> None:
        self._show_entry()

    def _show_entry(self) -> None:
        entry: Entry | None = self.table.current
        box = self.query_one("#journal-entry", Static)
        box.display = entry is not None
        if entry is None:
            return
        text = Text.assemble((f"{entry.action.replace('_', ' ')}", "bold"), f"  {entry.time}  ",
                             (f"by {entry.user} on {entry.server}", "dim"))
        if entry.reason:
            text.append(f"\nreason: {entry.reason}")
        if entry.message:
            text.append(f"\n{entry.message}", style="yellow")
        shown = entry.all_ids[:6]
        if shown:
            text.append("\n" + "  ".join(f"{pid} {entry.result_of(pid) or ''}".strip()
                                         for pid in shown))
            if len(entry.all_ids) > len(shown):
                text.append(f"  … {len(entry.all_ids) - len(shown):,} more (enter lists them)",
                            style="dim")
        box.update(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.refresh_data()

    def action_open(self) -> None:
        from console.tui.dialogs.process_list import ProcessListScreen, ProcessRow

        entry: Entry | None = self.table.current
        if entry is None:
            return
        ids = entry.all_ids
        if not ids:
            self.notify("this entry touched no execution (nothing was started)",
                        severity="warning")
            return
        if len(ids) == 1:
            self.app.open_process(ids[0])
            return

        def opened(pid: str | None) -> None:
            if pid:
                self.app.open_process(pid)

        rows = [ProcessRow(pid, entry.result_of(pid)) for pid in ids]
        self.app.push_screen(ProcessListScreen(
            f"{entry.action.replace('_', ' ')} at {entry.time}", f"{len(ids):,} executions, "
            "each with what happened to it", rows, self.app.now_ms()), opened)
