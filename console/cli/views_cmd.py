"""``meshdeck views``: list, show, save and delete saved views (``console.services.views``);
``meshdeck search --view NAME`` uses one."""

from __future__ import annotations

import shlex
from typing import Annotated, Any

import typer

from console.cli.common import CliProblem, err, get_state
from console.cli.options import OUTPUT, Filters, ListFormat, with_filters, with_globals
from console.cli.query_opts import QueryOpt, combine

app = typer.Typer(
    help="Saved views: a search (filters, window, columns, sort) kept under a name for the "
         "profile, in views.toml next to the config file. Without a command: the list.",
    invoke_without_command=True)

NameArg = Annotated[str, typer.Argument(metavar="NAME", help="The view's name.")]


def _views(call: Any, *args: Any) -> Any:
    """Run a views function for this command's profile; a ViewError is a usage error."""
    from console.services.views import ViewError

    try:
        return call(get_state().settings().profile, *args)
    except ViewError as exc:
        raise CliProblem(str(exc)) from None


def _record(view: Any) -> dict[str, Any]:
    return {"name": view.name, "query": view.query, "window": view.window,
            "columns": list(view.columns), "sort": view.sort}


def as_command(view: Any) -> str:
    """The ``meshdeck search`` line the view stands for."""
    args = ["meshdeck", "search"]
    if view.query:
        args += ["--query", view.query]
    if view.window not in (None, "custom"):
        args += ["--since", view.window]
    if view.columns:
        args += ["--columns", ",".join(view.columns)]
    return shlex.join(args)


def list_views(output: ListFormat = None) -> None:
    """List the profile's saved views."""
    from console.cli.output import Column, RowWriter, choose_format
    from console.services.views import list_views as listed

    fmt = choose_format(output)
    views = _views(listed)
    cols = [Column("name", "VIEW", lambda v: v.name, style="bold"),
            Column("query", "QUERY", lambda v: v.query),
            Column("window", "WINDOW", lambda v: v.window),
            Column("columns", "COLUMNS", lambda v: ",".join(v.columns)),
            Column("sort", "SORT", lambda v: v.sort)]
    writer = RowWriter(fmt, cols, full=_record, id_of=lambda v: v.name)
    writer.write(views)
    writer.close()
    if not views and fmt == "table":
        err(f"no saved views for profile {get_state().settings().profile or 'default'!r}: "
            "save one with meshdeck views save NAME --status FAILED ...")


def main(ctx: typer.Context, output: ListFormat = None) -> None:
    if ctx.invoked_subcommand is None:
        list_views(output)


def show(name: NameArg, output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
        help="table or json (default: table).")] = None) -> None:
    """Show one saved view, and the search command it stands for."""
    from console.cli.output import choose_format, key_values, write_json
    from console.services.views import load_view

    fmt = choose_format(output, ("table", "json"))
    view = _views(load_view, name)
    if fmt == "json":
        write_json({**_record(view), "command": as_command(view)})
        return
    key_values([("view", view.name), ("query", view.query or "(no filters)"),
                ("window", view.window or "24h (the default)"),
                ("columns", ", ".join(view.columns) or "the default ones"),
                ("sort", view.sort or "newest first"), ("as a command", as_command(view)),
                ("use it", f"meshdeck search --view {shlex.quote(view.name)}")])


def save(
    view_name: NameArg,
    filters: Filters,
    query_line: QueryOpt = None,
    window: Annotated[str | None, typer.Option(
        "--window", metavar="LENGTH",
        help="The time window: 15m, 1h, 24h, 7d... (or give --since/--until for a fixed one).")
    ] = None,
    columns: Annotated[str | None, typer.Option(
        "--columns", metavar="A,B,...", help="Columns to show (as meshdeck search --columns).")
    ] = None,
    sort: Annotated[str | None, typer.Option(
        "--sort", metavar="COLUMN", help="Sort the rows by this column; -COLUMN for descending.")
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace a view of that name.")
                       ] = False,
) -> None:
    """Save a search under a name, for this profile.

    The view keeps the filters (as a query line), the window, the columns and the sort;
    meshdeck search --view NAME uses it, and options given there change it.

    Examples:  meshdeck views save checkout --status FAILED --name checkout --window 1h
               meshdeck views save gateway -q 'text:"gateway timeout"' --sort -started
    """
    from console.cli.columns import PROCESS_COLUMNS
    from console.cli.output import pick_columns
    from console.services.query_line import format_line
    from console.services.views import View, list_views as listed, save_view

    merged = combine(filters, query_line)
    merged.query()  # every value checked now, not when the view is used
    values = {key: value for key, value in vars(merged).items() if value}
    if columns is not None:
        columns = ",".join(c.name for c in pick_columns(PROCESS_COLUMNS, columns, ()))
    if sort is not None:
        pick_columns(PROCESS_COLUMNS, sort.lstrip("-"), ())
    if window is not None and (merged.since or merged.until):
        raise CliProblem("give --window (a length) or --since/--until (a fixed window), not both")
    if not replace and any(v.name == view_name for v in _views(listed)):
        raise CliProblem(f"a view named {view_name!r} exists: pass --replace to replace it")
    view = View(view_name, format_line(_split(values)), window if window else
                ("custom" if merged.until else None),
                tuple(columns.split(",")) if columns else (), sort)
    path = _views(save_view, view)
    err(f"saved view {view_name!r} in {path}: meshdeck search --view {shlex.quote(view_name)}")


def _split(values: dict[str, Any]) -> dict[str, Any]:
    """Option values (``--status failed,timed_out``) as the query line holds them."""
    from console.cli.arguments import split_values
    from console.services.query_line import KEYS

    out: dict[str, Any] = {}
    for key in KEYS:
        value = values.get(key.field)
        if value:
            out[key.field] = split_values(value, upper=key.upper) if key.many else value
    return out


def delete(name: NameArg) -> None:
    """Delete a saved view."""
    from console.services.views import delete_view

    path = _views(delete_view, name)
    err(f"deleted view {name!r} from {path}")


app.callback()(with_globals(main))
app.command("list")(with_globals(list_views))
app.command("show")(with_globals(show))
app.command("save")(with_globals(with_filters(save)))
app.command("delete")(with_globals(delete))
