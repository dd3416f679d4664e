"""Pieces of the execution detail screen that are not the screen itself: the summary block,
the "copy as CLI command" lines and their picker. Plain functions where possible, so they are
tested without running an app.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from console import format as fmt
from console.models import ProcessData, extract_error


@dataclass(frozen=True)
class CliLine:
    """One ``meshdeck ...`` line and what it does, for the copy picker and the palette."""

    line: str
    help: str


def global_flags(profile: str | None = None, mock: bool = False,
                 backend_kind: str | None = None) -> str:
    """The global options a copied line needs to reach what this console reaches: ``--profile``,
    ``--mock`` (the embedded mock) and ``--backend`` (None: leave it to the default)."""
    flags = ""
    if profile:
        flags += f" --profile {shlex.quote(profile)}"
    if mock:
        flags += " --mock"
    if backend_kind:
        flags += f" --backend {shlex.quote(backend_kind)}"
    return flags


def cli_lines(process_id: str, status: str | None, *, step_id: int | str | None = None,
              flags: str = "", backend: object | None = None) -> list[CliLine]:
    """The CLI lines equivalent to what this screen shows and can do, most useful first.

    Showing the execution comes first, then every action that applies to ``status`` on
    ``backend`` (the destructive ones carry ``--yes``, as a script would run them), then the
    focused step. ``flags`` (``global_flags``) end every line.
    """
    if backend is None:
        from console.backends.unmeshed import UnmeshedClient as backend
    pid = shlex.quote(str(process_id))
    lines = [CliLine(f"meshdeck get {pid} --steps{flags}", "show this execution and its steps")]
    for action, extra, words in (
        ("resume", " --yes", "resume it (retries the failed steps)"),
        ("terminate", " --reason 'stopped from meshdeck' --yes", "terminate it"),
        ("review", " --reason 'reviewed' --yes", "mark it reviewed"),
    ):
        if backend.applies(action, status):
            lines.append(CliLine(f"meshdeck {action} {pid}{extra}{flags}", words))
    lines.append(CliLine(f"meshdeck rerun {pid}{flags}", "run it again with the same input"))
    if step_id is not None:
        lines.append(CliLine(step_line(step_id, flags), "show the focused step"))
    return lines


def step_line(step_id: int | str, flags: str = "") -> str:
    """``meshdeck step ID`` with ``flags``."""
    return f"meshdeck step {shlex.quote(str(step_id))}{flags}"


def failure_line(process: ProcessData) -> Text | None:
    """``✗ charge_card (HTTP) failed after 3 attempts: card declined`` for a broken process."""
    if process.status not in ("FAILED", "TIMED_OUT"):
        return None
    step = process.failed_step()
    message = (step.error if step else None) or extract_error(process.output)
    verb = "timed out" if process.status == "TIMED_OUT" else "failed"
    text = Text("✗ ", style="bold red")
    if step is not None:
        text.append(step.ref or step.name or f"step {step.id}", style="bold")
        if step.type:
            text.append(f" ({step.type})")
        text.append(f" {'timed out' if step.status == 'TIMED_OUT' else 'failed'}")
        if step.attempts > 1:
            text.append(f" after {step.attempts} attempts")
    else:
        text.append(f"the process {verb}")
    text.append(": " if message else "", style="bold red")
    text.append(message or " (no error message in the output)", style="bold")
    return text


def waiting_line(process: ProcessData, now: datetime) -> Text | None:
    """``… waiting for a worker on `dev_step` since 2m`` for each step no worker has taken."""
    from console.services.waiting import waiting_messages

    lines = waiting_messages(process, now)
    if not lines:
        return None
    return Text("\n").join(Text.assemble(("… ", "bold yellow"), (line, "yellow")) for line in lines)


def _when(ms: int | None, now: datetime, exact: bool = True) -> Text:
    if not ms:
        return Text("–", style="dim")
    if not exact:
        return Text(fmt.relative(ms, now), style="bold")
    return Text.assemble((fmt.relative(ms, now), "bold"), "  ", (fmt.absolute(ms), "dim"))


#: Below this many cells the summary puts each id on a line of its own and times relative only.
WIDE_SUMMARY = 110


class Summary:
    """The execution's facts as label/value pairs, status first, laid out for the width it is
    drawn in: two pairs a line when wide; when narrow (80 columns) the ids each get a whole
    line, so an id is never cut, and times are relative only."""

    def __init__(self, process: ProcessData, now: datetime,
                 namespace_label: str = "namespace") -> None:
        self.process, self.now = process, now
        #: A backend whose namespace is something else (Conductor's owner app) shows it as a
        #: pair under its own name instead of before the process name.
        self.namespace_label = namespace_label

    def _head(self) -> Text:
        process = self.process
        status = process.status or "UNKNOWN"
        head = Text()
        head.append(f" {status} ", style=f"reverse {fmt.status_style(process.status) or 'bold'}")
        head.append("  ")
        if self.namespace_label == "namespace":
            head.append(f"{process.namespace or '?'}/", style="dim")
        head.append(f"{process.name or '?'}", style="bold")
        head.append(f"@{process.version}" if process.version is not None else "", style="dim")
        head.append(f"   process {process.process_id}")
        return head

    def __rich_console__(self, console, options):
        yield self._head()
        wide = options.max_width >= WIDE_SUMMARY
        p = self.process
        ids = [("correlation", p.correlation_id or "–"), ("request", p.request_id or "–")]
        tags = " ".join(f"{t.name}={t.value}" for t in p.tags or []) or "–"
        duration = fmt.run_duration(p, int(self.now.timestamp() * 1000)) or "–"
        rest = [
            ("trigger", p.trigger_type or "–"), ("type", p.process_type or "–"),
            ("created", _when(p.created, self.now, wide)),
            ("updated", _when(p.updated, self.now, wide)),
            ("duration", duration), ("created by", p.created_by or "–"),
            ("steps", str(p.step_count)), ("tags", tags),
        ]
        if self.namespace_label != "namespace":
            rest += [(self.namespace_label, p.namespace or "–"), ("", "")]
        if wide:
            yield _pairs(ids + rest, per_line=2)
        else:
            yield _pairs(ids, per_line=1)
            yield _pairs(rest, per_line=2)


def _pairs(pairs: list[tuple[str, RenderableType]], per_line: int) -> Table:
    grid = Table.grid(padding=(0, 2), expand=False)
    for _ in range(per_line):
        grid.add_column(style="dim", no_wrap=True, min_width=len("correlation"))
        grid.add_column(no_wrap=True, overflow="ellipsis", max_width=48)
    for i in range(0, len(pairs), per_line):
        grid.add_row(*[part for pair in pairs[i:i + per_line] for part in pair])
    return grid


def summary(process: ProcessData, now: datetime, namespace_label: str = "namespace"
            ) -> RenderableType:
    """The execution's facts (see ``Summary``)."""
    return Summary(process, now, namespace_label)


class CopyCommandScreen(ModalScreen[str | None]):
    """Pick one ``meshdeck ...`` line to copy; returns the line, or None when dismissed."""

    DEFAULT_CSS = """
    CopyCommandScreen { align: center middle; }
    CopyCommandScreen > OptionList { width: 90; max-height: 12; border: round $accent;
                                     padding: 0 1; }
    CopyCommandScreen > Label { width: 90; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, lines: list[CliLine]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        yield Label("Copy as CLI command: enter copies, escape closes")
        yield OptionList(*[Option(Text.assemble((c.line, "bold"), "\n  ", (c.help, "dim")))
                           for c in self.lines])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.lines[event.option_index].line)
