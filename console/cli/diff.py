"""``meshdeck diff ID1 ID2``: what differs between two executions (``console.services.diff``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from console.cli.common import CliProblem, checked_ids, get_state, run_with_backend
from console.cli.options import OUTPUT, with_globals

#: A value longer than this is cut in the table (``-o json`` has it whole).
CELL_LIMIT = 300


def diff(
    left: Annotated[str, typer.Argument(metavar="ID1", help="The first execution.")],
    right: Annotated[str, typer.Argument(metavar="ID2", help="The execution to compare it with.")],
    everything: Annotated[bool, typer.Option(
        "--all", "-a", help="Also show the fields that are the same.")] = False,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
        help="table (side by side) or json (default: table).")] = None,
) -> None:
    """Compare two executions side by side: only what differs, unless --all.

    The process (status, trigger, duration, error), the input and output field by field,
    and each step matched by ref: its status, duration, input and output.

    Examples:  meshdeck diff 1000042 1000077
               meshdeck diff 1000042 1000077 --all -o json
    """
    from console.cli.output import choose_format

    fmt = choose_format(output, ("table", "json"))
    ids = checked_ids(get_state(), [left, right])
    if ids[0] == ids[1]:
        raise CliProblem(f"give two different executions to compare (both are {ids[0]})")

    async def body(backend):
        return await backend.get_many(ids, include_steps=True)

    fetched = run_with_backend(body)
    for item in fetched:
        if item.process is None:
            raise item.error or CliProblem(f"{item.id}: not found", exit_code=1)
    from console.services.diff import diff_processes

    result = diff_processes(fetched[0].process, fetched[1].process, everything=everything)
    if fmt == "json":
        from console.cli.output import write_json

        write_json({"left": result.left_id, "right": result.right_id,
                    "differences": result.differences, "compared": result.compared,
                    "rows": [_record(row) for row in result.rows]})
        return
    _table(result, everything)


def _record(row: Any) -> dict[str, Any]:
    from console.services.diff import MISSING

    record: dict[str, Any] = {"section": row.section, "field": row.field}
    for side in ("left", "right"):
        value = getattr(row, side)
        if value is MISSING:
            record["missing"] = side
        else:
            record[side] = value
    record["same"] = row.same
    return record


def _table(result: Any, everything: bool) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from console.cli.common import err
    from console.cli.output import console, stdout_is_tty

    tty = stdout_is_tty()
    if not result.rows:
        err(f"{result.left_id} and {result.right_id} are the same in all "
            f"{result.compared:,} fields compared")
        return
    table = Table(box=box.SIMPLE_HEAD if tty else None, show_edge=False, pad_edge=False,
                  header_style="bold" if tty else "")
    table.add_column("FIELD", overflow="fold", max_width=40)
    table.add_column(result.left_id, overflow="fold", ratio=1)
    table.add_column(result.right_id, overflow="fold", ratio=1)
    for section, rows in result.sections():
        table.add_row(Text(section, style="bold underline" if tty else ""), "", "")
        for row in rows:
            style = "" if row.same or not tty else "yellow"
            table.add_row(Text("  " + row.field, style="dim" if row.same and tty else ""),
                          Text(row.shown("left", CELL_LIMIT), style=style),
                          Text(row.shown("right", CELL_LIMIT), style=style))
    console().print(table)
    shown = "" if everything else " (--all shows the same ones too)"
    err(f"{result.differences:,} of {result.compared:,} fields differ{shown}")


def register(app: typer.Typer) -> None:
    app.command("diff", rich_help_panel="Find and inspect")(with_globals(diff))
