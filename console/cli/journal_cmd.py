"""``meshdeck journal``: what meshdeck has sent from this machine (``console.services.journal``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from console.cli.arguments import split_values
from console.cli.common import CliProblem, err, get_state, session_journal
from console.cli.options import ListFormat, with_globals

JOURNAL_FILTERS = "Filters"


def _iso(entry: Any) -> str:
    return entry.time


def _ids_cell(entry: Any) -> str:
    """The first ids (a rerun's with the process it started: ``1000042 → 1000077``)."""
    ids = [f"{pid} → {entry.new_ids[pid]}" if pid in entry.new_ids else pid
           for pid in entry.ids[:3]]
    more = f" +{len(entry.ids) - 3:,}" if len(entry.ids) > 3 else ""
    return ", ".join(ids) + more


def _columns() -> list[Any]:
    from console.cli.output import Column
    from console.format import absolute, relative

    return [
        Column("time", "WHEN", _iso,
               cell=lambda e: f"{relative(e.at_ms):<8}  {absolute(e.at_ms)}"),
        Column("action", "ACTION", lambda e: e.action, style="bold"),
        Column("result", "RESULT", lambda e: e.summary()),
        Column("ids", "IDS", _ids_cell),
        Column("about", "REASON / TARGET", lambda e: e.target or e.reason),
        Column("who", "BY", lambda e: f"{e.user} ({e.profile or 'no profile'})"),
        Column("server", "SERVER", lambda e: e.server),
    ]


def _per_id(entries: list[Any], results: list[str], ids: list[str]) -> list[dict[str, Any]]:
    """One row per id (csv, ids): what each id's result was, in each entry (only ``ids`` and
    ``results`` when given)."""
    rows = []
    for entry in entries:
        for pid in entry.ids:
            result = entry.result_of(pid)
            if (results and result not in results) or (ids and pid not in ids):
                continue
            rows.append({"time": entry.time, "action": entry.action, "profile": entry.profile,
                         "server": entry.server, "user": entry.user, "id": pid,
                         "result": result, "new_id": entry.new_ids.get(pid),
                         "reason": entry.reason, "target": entry.target,
                         "message": entry.message})
    return rows


def journal(
    since: Annotated[str | None, typer.Option(
        "--since", metavar="WHEN", rich_help_panel=JOURNAL_FILTERS,
        help="Only actions sent after: 15m, 2h, 3d, 1w ago or an ISO time.")] = None,
    action: Annotated[list[str] | None, typer.Option(
        "--action", metavar="ACTION", rich_help_panel=JOURNAL_FILTERS,
        help="Only this action: terminate, resume, review, pause, restart, rerun, run or call "
             "(repeatable, or comma separated).")] = None,
    ids: Annotated[list[str] | None, typer.Option(
        "--id", metavar="ID", rich_help_panel=JOURNAL_FILTERS,
        help="Only actions on (or that started) this process id (repeatable). With -o ids / "
             "csv, only those ids.")] = None,
    result: Annotated[list[str] | None, typer.Option(
        "--result", metavar="RESULT", rich_help_panel=JOURNAL_FILTERS,
        help="Only actions where an id ended so: done, failed, unknown or 'not sent' (or "
             "partial: ids ended differently). With -o ids / csv, only those ids.")] = None,
    limit: Annotated[int, typer.Option(
        "--limit", min=1, help="The newest N actions that match.")] = 50,
    output: ListFormat = None,
) -> None:
    """List the actions meshdeck has sent from this machine, with each id's result.

    Newest first: when, by whom (OS user and profile), to which server, the reason, the ids
    and each id's result (done, failed, unknown, not sent), and what a rerun, run or call started.
    The journal is journal.jsonl in the data folder (meshdeck config show prints it);
    --mock sessions keep their own. With --profile, only that profile's actions.

    Examples:  meshdeck journal --since 12h
               meshdeck journal --result unknown -o ids | meshdeck get -
               meshdeck journal --id 1000042 -o json
    """
    from console.cli.output import Column, RowWriter, choose_format
    from console.services.action_specs import ACTIONS
    from console.services.journal import RESULTS, STARTS, select
    from console.services.search import parse_time, to_epoch_ms

    fmt = choose_format(output)
    actions = [a.lower() for a in split_values(action)]
    known = [*ACTIONS, *STARTS]
    wrong = [a for a in actions if a not in known]
    if wrong:
        raise CliProblem(f"unknown --action {', '.join(wrong)} (use {', '.join(known)})")
    results = [r.lower().replace("_", " ") for r in split_values(result)]
    wrong = [r for r in results if r not in RESULTS]
    if wrong:
        raise CliProblem(f"unknown --result {', '.join(wrong)} (use {', '.join(RESULTS)})")
    try:
        since_ms = to_epoch_ms(parse_time(since)) if since else None
    except ValueError as exc:
        raise CliProblem(f"--since: {exc}") from None
    state = get_state()
    book = session_journal(state)
    try:
        everything = book.entries()
    except OSError as exc:
        raise CliProblem(f"cannot read the journal {book.path}: {exc.strerror or exc}",
                         exit_code=1) from None
    if book.damaged:
        err(f"meshdeck: warning: {book.damaged} line(s) of {book.path} could not be read "
            "and are left out")
    if state.profile:
        everything = [e for e in everything if e.profile == state.settings().profile]
    wanted_ids = split_values(ids)
    found = select(everything, since_ms=since_ms, actions=actions, ids=wanted_ids,
                   results=results)
    found.reverse()  # newest first
    shown = found[:limit]
    if fmt in ("csv", "ids"):
        rows = _per_id(shown, results, wanted_ids)
        names = ("time", "action", "profile", "server", "user", "id", "result", "new_id",
                 "reason", "target", "message")
        cols = [Column(n, n.upper(), lambda r, n=n: r[n]) for n in names]
        writer = RowWriter(fmt, cols, id_of=lambda r: r["id"])
        writer.write(rows if fmt == "csv" else list({r["id"]: r for r in rows}.values()))
    else:
        writer = RowWriter(fmt, _columns(), full=lambda e: e.to_json())
        writer.write(shown)
    writer.close()
    if len(found) > limit:
        err(f"showing the newest {limit:,} of {len(found):,} actions (--limit to see more)")
    elif not found and fmt == "table":
        err(f"nothing journaled matches (journal: {book.path})" if everything
            else f"nothing journaled yet (journal: {book.path})")


def register(app: typer.Typer) -> None:
    app.command("journal", rich_help_panel="Find and inspect")(with_globals(journal))
