"""``meshdeck failures``: the failed and timed-out executions of the filters, grouped by process,
failed step and error (``console.services.failures``), with each group's ids for the bulk
actions."""

from __future__ import annotations

import time
from typing import Annotated, Any, NamedTuple

import typer

from console.cli.common import (
    CliProblem,
    ExitCode,
    err,
    get_state,
    refuse_unsupported_filters,
    run_with_backend,
)
from console.cli.options import OUTPUT, Filters, ListFormat, with_filters, with_globals
from console.services.failures import DEFAULT_CAP, MAX_CAP, FailureGroup

MaxGroupOpt = Annotated[int, typer.Option(
    "--max", min=1, max=MAX_CAP, metavar="N",
    help=f"Group at most the newest N failures (each is fetched with its steps, one request "
         f"each; up to {MAX_CAP:,}). The cap is always stated.")]
GroupOpt = Annotated[int | None, typer.Option(
    "--group", "-g", min=1, metavar="N", rich_help_panel=OUTPUT,
    help="Only group N (as numbered in the table), e.g. with -o ids to act on it.")]


def _columns() -> list[Any]:
    from console.cli.columns import _iso
    from console.cli.output import Column
    from console.format import relative
    from console.services.failures import sparkline

    return [
        Column("group", "#", lambda r: r.number, style="bold"),
        Column("count", "COUNT", lambda r: r.group.count, style="bold"),
        Column("process", "PROCESS", lambda r: r.group.process),
        Column("step", "FAILED STEP", lambda r: r.group.step),
        Column("error", "ERROR", lambda r: r.group.error),
        Column("first_seen", "FIRST", lambda r: _iso(r.group.first_seen_ms),
               cell=lambda r: relative(r.group.first_seen_ms)),
        Column("last_seen", "LAST", lambda r: _iso(r.group.last_seen_ms),
               cell=lambda r: relative(r.group.last_seen_ms)),
        Column("trend", "TREND", lambda r: " ".join(map(str, r.group.series)),
               cell=lambda r: sparkline(r.group.series)),
        Column("ids", "IDS", lambda r: " ".join(r.group.ids)),
    ]


TABLE_COLUMNS = ("group", "count", "process", "step", "error", "first_seen", "last_seen", "trend")


class Numbered(NamedTuple):
    """A group and its number as shown (``--group N``)."""

    number: int
    group: FailureGroup


def _record(row: Numbered) -> dict[str, Any]:
    from console.cli.columns import _iso

    group = row.group
    return {"group": row.number, "count": group.count, "namespace": group.namespace,
            "name": group.name, "step": group.step_ref, "stepName": group.step_name,
            "error": group.error, "sample": group.sample, "statuses": group.statuses,
            "firstSeen": _iso(group.first_seen_ms), "lastSeen": _iso(group.last_seen_ms),
            "series": group.series, "ids": group.ids}


def failures(
    filters: Filters,
    max_: MaxGroupOpt = DEFAULT_CAP,
    group: GroupOpt = None,
    output: ListFormat = None,
) -> None:
    """Group failed and timed-out executions by process, failed step and error message.

    Numbers, ids, UUIDs, timestamps and quoted values in messages are folded:
    "order 123 timed out" and "order 456 timed out" are one group.
    Each group has a count, first and last seen, a trend, and (-o json) its ids.

    Examples:  meshdeck failures --since 2h
               meshdeck failures --name X -o json | jq -r '.[0].ids[]' | meshdeck resume - --yes
               meshdeck failures --name X --group 1 -o ids | meshdeck review - --yes
    """
    from console.cli.output import RowWriter, choose_format
    from console.services.failures import failure_groups, failures_query

    fmt = choose_format(output)
    query = filters.query(limit=1000)
    try:
        failures_query(query)
    except ValueError as exc:
        raise CliProblem(str(exc)) from None
    refuse_unsupported_filters(get_state(), query)

    async def body(backend):
        return await failure_groups(backend, query, cap=max_, now_ms=int(time.time() * 1000))

    report = run_with_backend(body)
    shown = [Numbered(n, g) for n, g in enumerate(report.groups, 1)]
    if group is not None:
        if group > len(shown):
            raise CliProblem(f"there is no group {group}: {len(shown)} group(s) "
                             f"({report.summary()})")
        shown = [shown[group - 1]]
    if fmt == "ids":
        for row in shown:
            typer.echo("\n".join(row.group.ids))
    else:
        columns = [c for c in _columns() if fmt != "table" or c.name in TABLE_COLUMNS]
        writer = RowWriter(fmt, columns, full=_record, columns_chosen=fmt == "csv")
        writer.write(shown)
        writer.close()
    hint = f" (--max up to {MAX_CAP:,} to group more)" if report.capped else ""
    if fmt == "table" or report.capped or report.unread or report.changed:
        err(report.summary() + hint)
    if fmt == "table" and shown:
        err("their ids: -o json (a group's \"ids\"), or --group N -o ids")
    if report.unread:
        raise typer.Exit(ExitCode.PARTIAL)


def register(app: typer.Typer) -> None:
    app.command("failures", rich_help_panel="Find and inspect")(
        with_globals(with_filters(failures)))
