"""The parts of an action command that talk to the person: the dry-run plan, the confirmation
(with the breakdown and a typed count for huge actions), sending with progress and Ctrl-C, and
the per-id results with the exit code."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from console.cli import common
from console.cli.common import CliProblem, ExitCode, err, run_with_backend
from console.outcomes import BulkOutcome
from console.services.action_specs import (
    ACTIONS,
    DONE,
    FAILED,
    NOT_SENT,
    SKIPPED,
    UNKNOWN,
    outcome_rows,
    selection_rows,
)
from console.services.selection import Selection

if TYPE_CHECKING:
    from console.services.lookup import ProgressHook


def nothing(fmt: str, message: str) -> None:
    """Nothing selected: say so on stderr; ``-o json`` still writes a (empty) document."""
    if fmt == "json":
        from console.cli.output import write_json

        write_json([])
    err(message)


def dry_run(selection: Selection, fmt: str) -> None:
    """Per id: current status, whether the action applies, what would happen. Sends nothing."""
    from console.cli.output import Column, RowWriter, status_text

    items = selection.items
    cols = [Column("id", "ID", lambda i: i.id, style="bold"),
            Column("status", "STATUS", lambda i: i.status, cell=lambda i: status_text(i.status)),
            Column("applies", "APPLIES", lambda i: i.applies, cell=lambda i: "yes" if i.applies else "no"),
            Column("note", "WHAT WOULD HAPPEN", lambda i: i.note)]
    if selection.action == "resume_version":
        cols[3:3] = [Column("definition", "DEFINITION", lambda i: f"{i.namespace}/{i.name}"
                            if i.name else None),
                     Column("version", "RAN", lambda i: i.version),
                     Column("target_version", "RESUMES ON", lambda i: i.target_version)]
    writer = RowWriter(fmt, cols, id_of=lambda i: i.id if i.applies else None)
    writer.write([i for i in items if fmt != "ids" or i.applies])
    writer.close()
    n = sum(1 for i in items if i.applies)
    err(f"dry run: {n} of {len(items)} would change; nothing was sent" + _cap_note(selection))


def _cap_note(selection: Selection) -> str:
    if not selection.capped:
        return ""
    return (f" (more than {len(selection.items):,} executions match: the rest are beyond --max "
            "and would be left untouched)")


def confirm_selection(selection: Selection, *, yes: bool, used_stdin: bool) -> None:
    """Ask before acting unless ``--yes``; refuse (exit 2) when nobody can answer. Above 1,000
    executions the breakdown by process and status is shown and the count must be typed."""
    words = ACTIONS[selection.action]
    count = len(selection.to_send)
    noun = f"{count:,} execution{'s' if count != 1 else ''}"
    if selection.action == "resume_version":
        show_versions(selection, ask=not yes)
    if selection.capped:
        err(f"more than {count:,} executions match; --max {selection.limit} selects the newest "
            f"{count:,}: the rest will be left untouched")
    if yes:
        return
    if used_stdin:
        raise CliProblem(f"ids came from stdin, so meshdeck cannot ask before it acts: pass --yes "
                         f"to {words.verb} {count} execution(s)")
    if not common.interactive():
        raise CliProblem(f"not a terminal, so meshdeck cannot ask before it acts: pass --yes to "
                         f"{words.verb} {count} execution(s)")
    if words.warning:
        err(words.warning)
    extra = " (a new process each)" if not words.idempotent else ""
    notes = Counter(item.note for item in selection.items if item.applies and item.note)
    if set(notes) - {f"would {words.verb}"}:  # the backend does something more particular
        for note, n in notes.most_common():
            err(f"  {n:,} {note}")
    if selection.skipped and selection.action != "resume_version":
        err(f"{len(selection.skipped):,} of the selected cannot be {words.past} and will not be sent")
    if not selection.huge:
        if not typer.confirm(f"{words.verb} {noun}{extra}?", default=False, err=True):
            raise CliProblem("not confirmed; nothing was sent")
        return
    err(f"{words.verb} {noun}{extra}; by process and status:")
    for name, status, n in selection.breakdown()[:15]:
        err(f"  {n:>7,}  {status:<11} {name}")
    typed = typer.prompt(f"type {count} to {words.verb} them all", default="", err=True,
                         show_default=False)
    if typed.strip().replace(",", "") != str(count):
        raise CliProblem("the count typed did not match; nothing was sent")


def show_versions(selection: Selection, *, ask: bool, limit: int = 20) -> None:
    """Resume on a new definition: per execution the version it ran and the one it will resume
    on (when asking), and always the executions refused, with why."""
    if ask:
        sending = [i for i in selection.items if i.applies]
        for item in sending[:limit]:
            err(f"  {item.id:<14} {item.namespace}/{item.name}: {item.note}")
        if len(sending) > limit:
            err(f"  … and {len(sending) - limit:,} more")
    skipped = selection.skipped
    if skipped:
        err(f"{len(skipped):,} execution(s) refused, not sent:")
        for item in skipped[:limit]:
            err(f"  {item.id:<14} {item.note}")
        if len(skipped) > limit:
            err(f"  … and {len(skipped) - limit:,} more")


class _Stop:
    """First Ctrl-C: stop before the next chunk; second: stop at once."""

    def __init__(self) -> None:
        self.asked = False

    def __call__(self, signum: int, frame: Any) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True
        err("stopping after the current chunk (Ctrl-C again to stop at once)")


def send(action: str, targets: list[str], reason: str | None, version: int | None,
         versions: dict[str, int] | None = None) -> tuple[BulkOutcome, bool]:
    """Send through the one engine with a progress bar on a terminal; the outcome is complete
    even when interrupted (ids never sent are "not sent", ids in flight "unknown")."""
    from console.cli.common import session_journal
    from console.services.actions import run_action, unique_ids

    outcome = BulkOutcome.start(action, unique_ids(targets))
    stop = _Stop()
    journal = session_journal()

    async def body(backend):
        with progress_bar(ACTIONS[action].verb, len(targets),
                          above=min(backend.chunk_size, 20)) as on_progress:
            await run_action(backend, action, targets, reason=reason, version=version,
                             versions=versions, on_progress=on_progress, stop=lambda: stop.asked,
                             outcome=outcome, journal=journal)

    previous = _install(stop)
    interrupted = False
    try:
        run_with_backend(body)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        _restore(previous)
    return outcome, interrupted or stop.asked


@contextmanager
def progress_bar(label: str, total: int, *, above: int = 20) -> Iterator[ProgressHook]:
    """A progress hook ``(done, total)`` drawing a transient bar on stderr when it is a
    terminal and there are more than ``above`` items; a hook that does nothing otherwise."""
    if not (common.stderr_is_tty() and total > above):
        yield lambda done, total: None
        return
    from rich.progress import Progress

    from console.cli.output import console

    progress = Progress(console=console(stderr=True), transient=True)
    task = progress.add_task(label, total=total)
    progress.start()
    try:
        yield lambda done, total: progress.update(task, completed=done)
    finally:
        progress.stop()


def _install(handler: Any) -> Any:
    try:
        return signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: Ctrl-C keeps its default behaviour
        return None


def _restore(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def report(outcome: BulkOutcome, fmt: str, interrupted: bool,
           selection: Selection | None = None) -> None:
    """Per-id results on stdout; a summary line on stderr; the exit code."""
    from console.cli.output import Column, RowWriter

    words = ACTIONS[outcome.action]
    rows = outcome_rows(outcome) if selection is None \
        else selection_rows(selection, outcome_rows(outcome))
    cols = [Column("id", "ID", lambda r: r.id, style="bold"),
            Column("result", "RESULT", lambda r: r.result, cell=_result_cell)]
    if not words.idempotent:
        cols += [Column("new", "NEW PROCESS", lambda r: r.new_id),
                 Column("status", "STATUS", lambda r: r.new_status)]
    cols.append(Column("message", "MESSAGE", lambda r: r.message))
    writer = RowWriter(fmt, cols, full=lambda r: _record(r, words.idempotent),
                       id_of=lambda r: r.new_id or r.id)
    writer.write([r for r in rows if fmt != "ids" or r.result == DONE])
    writer.close()
    counts = {kind: sum(1 for r in rows if r.result == kind)
              for kind in (DONE, FAILED, UNKNOWN, NOT_SENT, SKIPPED)}
    parts = [f"{words.cli or outcome.action}: {counts[DONE]} {'started' if not words.idempotent else 'done'}"]
    parts += [f"{counts[k]} {k}" for k in (FAILED, UNKNOWN, NOT_SENT, SKIPPED) if counts[k]]
    err(", ".join(parts) + f" (of {len(rows)})")
    left = selection is not None and selection.capped
    # Ids typed by hand that were skipped were asked for and not acted on: not a success. (Of
    # a query's matches, those the action does not apply to are skipped as a matter of course.)
    refused = counts[SKIPPED] if selection is not None and not selection.by_query else 0
    if interrupted:
        err("meshdeck: interrupted: the ids marked 'not sent' were not touched")
        raise typer.Exit(ExitCode.INTERRUPTED)
    if not (counts[FAILED] or counts[UNKNOWN] or counts[NOT_SENT] or left or refused):
        return
    # Exactly one error line, the most useful one, for scripts that read only stderr.
    if outcome.stopped_by:
        why = f"stopped: {outcome.stopped_by}" if counts[DONE] else outcome.stopped_by
    elif counts[UNKNOWN]:
        why = (f"what happened to {counts[UNKNOWN]} id(s) is unknown: "
               + ("look for new executions before rerunning (meshdeck search --since 15m)"
                  if not words.idempotent else "check each with meshdeck get, as the results "
                  "above say"))
    elif counts[FAILED] and not counts[DONE]:
        why = next(r.message for r in rows if r.result == FAILED)
    elif counts[FAILED]:
        why = f"{counts[FAILED]} of {len(rows)} failed (see the results above)"
    elif refused and not counts[NOT_SENT]:
        why = (f"{refused} of {len(rows)} not sent: {words.verb} does not apply to their status "
               f"({next(r.message for r in rows if r.result == SKIPPED)})")
    elif counts[NOT_SENT] and not left:
        why = (f"{counts[NOT_SENT]} id(s) not sent: their status could not be read "
               f"({next(r.message for r in rows if r.result == NOT_SENT)})")
    else:
        why = (f"more executions matched than were sent (--max {selection.limit}): the rest "
               "were left untouched")
    err(f"meshdeck: error: {why}")
    nothing_done = counts[DONE] == 0 and not counts[UNKNOWN]
    failed_outright = nothing_done and (outcome.stopped_by is not None or len(rows) == 1)
    raise typer.Exit(ExitCode.ERROR if failed_outright else ExitCode.PARTIAL)


def _record(row: Any, idempotent: bool) -> dict[str, Any]:
    record: dict[str, Any] = {"id": row.id, "result": row.result}
    if not idempotent:
        record["newProcessId"] = row.new_id
        record["status"] = row.new_status
    record["message"] = row.message
    return record


def _result_cell(r: Any):
    from rich.text import Text

    style = {"done": "green", "failed": "bold red", "unknown": "magenta"}.get(r.result, "dim")
    return Text(r.result, style=style)
