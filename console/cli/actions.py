"""``terminate``, ``resume``, ``review`` (bulk, by ids or by query) and ``rerun``.

Flow of a bulk action: refuse if read-only; gather ids (arguments, ``-`` for stdin, or a query,
counted first); ``--dry-run`` shows the plan and stops; otherwise confirm (``--yes`` in scripts),
send in chunks, report per id. Nothing is ever retried. Ctrl-C stops before the next chunk.
"""

from __future__ import annotations

import signal
from typing import Annotated, Any

import typer

from console.cli.common import CliProblem, confirm, err, expand_ids, get_state, refuse_if_read_only, run_with_backend
from console.cli.options import OUTPUT, DryRunOpt, Filters, IdsArg, YesOpt, with_filters, with_globals

ReasonOpt = Annotated[str | None, typer.Option("--reason", "-r", help="Why (recorded by the server).")]
ResultFormat = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
    help="table, json, ndjson or ids (ids that worked) (default: table).")]

EXIT_PARTIAL, EXIT_INTERRUPTED = 3, 130


class StopRequested(Exception):
    """Raised between chunks after the first Ctrl-C."""


def _targets(ids: list[str] | None, filters: Filters, verb: str) -> tuple[list[str] | None, bool]:
    """Ids from arguments/stdin (None means: select by query); and whether stdin was read."""
    if ids and filters.given:
        raise CliProblem(f"give either ids or filters (like --status FAILED) to {verb}, not both")
    if not ids and not filters.given:
        raise CliProblem(f"name what to {verb}: process ids, '-' to read ids from stdin, or filters "
                         "such as --status FAILED --since 1h")
    if ids:
        return expand_ids(ids)  # an empty stdin is "nothing to do", as in `search | review -`
    return None, False


def bulk(action: str, ids: list[str] | None, filters: Filters, reason: str | None, yes: bool,
         dry_run: bool, output: str | None) -> None:
    from console.cli.output import choose_format
    from console.services.actions import ACTION_VERBS, unique_ids

    verb = ACTION_VERBS[action]
    fmt = choose_format(output, ("table", "json", "ndjson", "ids"))
    state = get_state()
    refuse_if_unsupported(state, action)
    if not dry_run:
        refuse_if_read_only(state, verb)
    given, used_stdin = _targets(ids, filters, verb)
    query = filters.query() if given is None else None

    async def select(backend):
        from dataclasses import replace

        from console.services.actions import applies_table
        from console.services.search import collect_ids

        wanted = query
        if not query.statuses and action in applies_table(backend):
            # Without --status, select only executions the action applies to: "terminate
            # everything named X" means the running ones, not 60 errors for finished ones.
            wanted = replace(query, statuses=sorted(applies_table(backend)[action]))
        return await collect_ids(backend, wanted)

    capped = False
    if given is None:
        targets, capped = run_with_backend(select, state)
    else:
        targets = unique_ids(given)
    if not targets:
        err(f"nothing to {verb}: " + ("no execution matches" if given is None else "no ids on stdin"))
        return
    if capped:
        err(f"warning: more than {len(targets):,} executions match; only the newest {len(targets):,} "
            "are selected (narrow the filters to reach the rest)")
    if dry_run:
        dry(action, targets, fmt)
        return
    confirm(f"{verb} {len(targets):,} execution{'s' if len(targets) != 1 else ''}?", yes=yes,
            used_stdin=used_stdin, count=len(targets), verb=verb)
    send(action, targets, reason, fmt)


def refuse_if_unsupported(state: Any, action: str) -> None:
    """A backend that lacks ``action`` (review on Conductor; pause, restart on Unmeshed) says why."""
    from console.backend import UNMESHED_UNSUPPORTED

    kind = state.settings().backend
    if kind == "conductor":
        from console.conductor.client import UNSUPPORTED as reasons
    else:
        reasons = UNMESHED_UNSUPPORTED
    if action in reasons:
        raise CliProblem(f"{action} is not available on the {kind} backend: {reasons[action]}")


def dry(action: str, targets: list[str], fmt: str) -> None:
    from console.cli.output import Column, RowWriter, status_text
    from console.services.actions import plan

    async def body(backend):
        return await plan(backend, action, targets)

    items = run_with_backend(body)
    cols = [Column("id", "ID", lambda i: i.id, style="bold"),
            Column("status", "STATUS", lambda i: i.status, cell=lambda i: status_text(i.status)),
            Column("applies", "APPLIES", lambda i: i.applies, cell=lambda i: "yes" if i.applies else "no"),
            Column("note", "WHAT WOULD HAPPEN", lambda i: i.note)]
    writer = RowWriter(fmt, cols, id_of=lambda i: i.id if i.applies else None)
    writer.write([i for i in items if fmt != "ids" or i.applies])
    writer.close()
    n = sum(1 for i in items if i.applies)
    err(f"dry run: {n} of {len(items)} would change; nothing was sent")


def send(action: str, targets: list[str], reason: str | None, fmt: str) -> None:
    from console.cli.common import stderr_is_tty
    from console.outcomes import BulkOutcome
    from console.services.actions import TAKES_REASON, run_bulk

    outcome = BulkOutcome.start(action, targets)
    stop = {"asked": False}

    def on_sigint(signum: int, frame: Any) -> None:
        if stop["asked"]:
            raise KeyboardInterrupt
        stop["asked"] = True
        err("stopping after the current chunk (Ctrl-C again to stop at once)")

    async def body(backend):
        chunk = getattr(backend, "chunk_size", 500)
        progress = None
        if stderr_is_tty() and len(targets) > chunk:
            from rich.progress import Progress

            from console.cli.output import console

            progress = Progress(console=console(stderr=True), transient=True)
            task = progress.add_task(action, total=len(targets))
            progress.start()

        def on_progress(done: int, total: int) -> None:
            if progress is not None:
                progress.update(task, completed=done)
            if stop["asked"] and done < total:
                raise StopRequested

        try:
            await run_bulk(backend, action, targets, reason=reason if action in TAKES_REASON else None,
                           on_progress=on_progress, outcome=outcome)
        finally:
            if progress is not None:
                progress.stop()

    previous = _install(on_sigint)
    interrupted = False
    try:
        run_with_backend(body)
    except (StopRequested, KeyboardInterrupt):
        interrupted = True
    finally:
        _restore(previous)
    report(outcome, fmt, interrupted)


def _install(handler: Any) -> Any:
    try:
        return signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: Ctrl-C keeps its default behaviour
        return None


def _restore(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def report(outcome: Any, fmt: str, interrupted: bool) -> None:
    """Per-id results on stdout; a summary line on stderr; the exit code."""
    from console.cli.output import Column, RowWriter

    def result(pid: str) -> dict[str, Any]:
        if pid in outcome.details:
            d = outcome.details[pid]
            return {"id": pid, "result": "done" if d.ok else "failed",
                    "message": d.error or d.message or ""}
        if pid in outcome.unknown:
            return {"id": pid, "result": "unknown",
                    "message": "sent, but the server's answer did not say: it may or may not "
                               "have happened (check with meshdeck get ID)"}
        return {"id": pid, "result": "not sent", "message": "not sent"}

    rows = [result(pid) for pid in outcome.ids]
    cols = [Column("id", "ID", lambda r: r["id"], style="bold"),
            Column("result", "RESULT", lambda r: r["result"], cell=_result_cell),
            Column("message", "MESSAGE", lambda r: r["message"])]
    writer = RowWriter(fmt, cols, full=lambda r: r, id_of=lambda r: r["id"])
    writer.write([r for r in rows if fmt != "ids" or r["result"] == "done"])
    writer.close()
    done, failed = len(outcome.succeeded), len(outcome.failed)
    unknown, not_sent = len(outcome.unknown), len(outcome.not_sent)
    parts = [f"{outcome.action}: {done} done"]
    for n, word in ((failed, "failed"), (unknown, "unknown"), (not_sent, "not sent")):
        if n:
            parts.append(f"{n} {word}")
    err(", ".join(parts) + f" (of {len(outcome.ids)})")
    if interrupted:
        err("meshdeck: interrupted: the ids marked 'not sent' were not touched")
        raise typer.Exit(EXIT_INTERRUPTED)
    if outcome.stopped_by and done == 0:
        err(f"meshdeck: error: {outcome.stopped_by}")
        raise typer.Exit(1)
    if failed or unknown or not_sent:
        if outcome.stopped_by:
            err(f"meshdeck: error: stopped: {outcome.stopped_by}")
        elif unknown:
            err(f"meshdeck: error: the server's answer did not mention {unknown} id(s), so what "
                "happened to them is unknown: check with meshdeck get ID")
        raise typer.Exit(EXIT_PARTIAL)


def _result_cell(r: dict[str, Any]):
    from rich.text import Text

    style = {"done": "green", "failed": "bold red", "unknown": "magenta"}.get(r["result"], "dim")
    return Text(r["result"], style=style)


def _make(action: str, summary: str):
    """The command function of one bulk action (resume takes no reason on the wire)."""
    if action in ("resume", "pause", "restart"):
        def command(ids: IdsArg = None, filters: Filters = None,  # type: ignore[assignment]
                    yes: YesOpt = False, dry_run: DryRunOpt = False, output: ResultFormat = None) -> None:
            bulk(action, ids, filters, None, yes, dry_run, output)
    else:
        def command(ids: IdsArg = None, filters: Filters = None,  # type: ignore[assignment]
                    reason: ReasonOpt = None, yes: YesOpt = False, dry_run: DryRunOpt = False,
                    output: ResultFormat = None) -> None:
            bulk(action, ids, filters, reason, yes, dry_run, output)

    command.__name__ = action
    command.__doc__ = summary
    return command


TERMINATE = ("Terminate RUNNING executions (their running steps are cancelled).\n\n"
             "Examples:  meshdeck terminate 1000042 1000043 --reason 'stuck on payment'\n"
             "           meshdeck terminate --status RUNNING --name checkout --since 1h")
RESUME = ("Resume FAILED, TIMED_OUT, TERMINATED or CANCELLED executions (retries the failed steps).\n\n"
          "Examples:  meshdeck search --status FAILED -o ids | meshdeck resume - --yes\n"
          "           meshdeck resume --status FAILED --name checkout --dry-run")
REVIEW = ("Mark FAILED, TIMED_OUT, TERMINATED or CANCELLED executions as REVIEWED.\n\n"
          "Examples:  meshdeck review --status FAILED --since 2h --reason 'known outage'\n"
          "           meshdeck review 1000042 --yes")


PAUSE = ("Pause RUNNING workflows (Conductor only: no new tasks are scheduled until resume).\n\n"
         "Examples:  meshdeck --backend conductor pause --name checkout --status RUNNING --yes")
RESTART = ("Restart finished workflows from the beginning, keeping their ids (Conductor only).\n\n"
           "Examples:  meshdeck --backend conductor restart 8f3c... --yes")


def rerun(
    ids: IdsArg = None,
    version: Annotated[int | None, typer.Option("--version", min=1, help="Definition version to run "
                                                "(default: the same version).")] = None,
    yes: YesOpt = False,
    output: ResultFormat = None,
) -> None:
    """Start an execution again from the beginning, with the same input (a new process each)."""
    from console.cli.output import choose_format

    fmt = choose_format(output, ("table", "json", "ndjson", "ids"))
    state = get_state()
    refuse_if_read_only(state, "rerun")
    targets, used_stdin = expand_ids(ids)
    if not targets:
        raise CliProblem("name the process ids to rerun (or '-' to read them from stdin)")
    confirm(f"rerun {len(targets)} execution{'s' if len(targets) != 1 else ''} (a new process each)?",
            yes=yes, used_stdin=used_stdin, count=len(targets), verb="rerun")

    async def body(backend):
        from console.services.actions import rerun_many

        return await rerun_many(backend, targets, version)

    results = run_with_backend(body)
    from console.cli.output import Column, RowWriter

    rows = [{"id": r.id, "result": r.result,
             "newProcessId": r.new_process.process_id if r.new_process else None,
             "status": r.new_process.status if r.new_process else None, "message": r.error or ""}
            for r in results]
    cols = [Column("id", "ID", lambda r: r["id"], style="bold"),
            Column("result", "RESULT", lambda r: r["result"], cell=_result_cell),
            Column("new", "NEW PROCESS", lambda r: r["newProcessId"]),
            Column("status", "STATUS", lambda r: r["status"]),
            Column("message", "MESSAGE", lambda r: r["message"])]
    writer = RowWriter(fmt, cols, full=lambda r: r, id_of=lambda r: r["newProcessId"])
    writer.write([r for r in rows if fmt != "ids" or r["newProcessId"] is not None])
    writer.close()
    failed = sum(1 for r in rows if r["result"] == "failed")
    unknown = sum(1 for r in rows if r["result"] == "unknown")
    started = len(rows) - failed - unknown
    err(f"rerun: {started} started" + (f", {failed} failed" if failed else "")
        + (f", {unknown} unknown (no answer: check with meshdeck search --since 15m before "
           "rerunning again)" if unknown else "") + f" (of {len(rows)})")
    if started == 0:
        err(f"meshdeck: error: {rows[0]['message']}")  # why, for scripts reading only stderr
        raise typer.Exit(1 if len(rows) == 1 else EXIT_PARTIAL)
    if failed or unknown:
        raise typer.Exit(EXIT_PARTIAL)


def register(app: typer.Typer) -> None:
    panel = "Act (asks first; --yes in scripts)"
    for action, doc in (("terminate", TERMINATE), ("resume", RESUME), ("review", REVIEW),
                        ("pause", PAUSE), ("restart", RESTART)):
        app.command(action, rich_help_panel=panel)(with_globals(with_filters(_make(action, doc))))
    app.command("rerun", rich_help_panel=panel)(with_globals(rerun))
