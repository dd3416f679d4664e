"""The action journal (``J`` on the executions screen, or the palette): what meshdeck sent from
this machine, newest first: when, the action, what happened to the ids, the reason, who, and
where (``console.services.journal``; the same file as ``meshdeck journal``).

``enter`` opens the execution an entry touched, or lists them (each with what happened to it)
to pick one: "what did I do at 3 a.m." answered the next morning, and an unknown outcome
checked by opening the execution.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from console import format as fmt
from console.services.journal import Entry
from console.tui.screens.table_screen import TableScreen
from console.tui.widgets.vtable import Column

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


OPEN_TIP = "Open the execution this entry touched (a list when it touched many)"


class JournalScreen(TableScreen):
    """Every journaled action, newest first."""

    BINDINGS = [Binding("enter", "open", "Open", tooltip=OPEN_TIP),
                Binding("r", "refresh", "Reload", tooltip="Read the journal again")]
    TITLE = "Journal"
    EMPTY = "nothing journaled yet: actions, runs and calls sent from meshdeck appear here"

    @property
    def HELP_NOTES(self) -> str:  # type: ignore[override]  # says where this journal is
        return (f"The journal is {self.app.journal.path}: every action, run and call meshdeck "
                "sent from this machine (the CLI's too: meshdeck journal), one JSON line each. "
                "It never holds a token, a body or an input.\n")

    def columns(self) -> list[Column]:
        return journal_columns(self.app.now)

    def row_key(self, entry: Entry) -> str:
        return entry_key(entry)

    def load(self) -> None:
        """Read the file (local and small enough to read at once)."""
        journal = self.app.journal
        try:
            entries = journal.entries()
        except OSError as exc:
            self.notify(f"cannot read {journal.path}: {exc}", severity="error", markup=False)
            entries = []
        # Newest first; entries sent in the same millisecond: the one written last first.
        entries = sorted(reversed(entries), key=lambda e: e.at_ms, reverse=True)
        self.set_rows(entries)
        n, damaged = len(entries), journal.damaged
        self.set_head(Text(f"{n:,} entr{'y' if n == 1 else 'ies'}, newest first · "
                           f"{journal.path.name} in the data folder (? shows where)"
                           + (f" · {damaged:,} damaged line(s) skipped" if damaged else ""),
                           style="dim"))

    def box(self, entry: Entry) -> Text:
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
        return text

    def action_open(self) -> None:
        from console.tui.dialogs.process_list import ProcessListScreen, ProcessRow

        entry: Entry | None = self.current
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
