"""``meshdeck search``: every filter of the search API, one page or ``--all`` streamed."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli.common import (
    backend_class,
    err,
    get_state,
    refuse_unsupported_filters,
    run_with_backend,
    warn_dropped,
)
from console.cli.options import OUTPUT, Filters, ListFormat, with_filters, with_globals
from console.cli.query_opts import QueryOpt, ViewOpt, combine, load_view


def search(
    filters: Filters,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000, help="Rows to show.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Rows to skip (newest first).")] = 0,
    all_: Annotated[bool, typer.Option("--all", help="Every match, page by page, written as it comes "
                                                     "(ignores --limit).")] = False,
    output: ListFormat = None,
    columns: Annotated[str | None, typer.Option(
        "--columns", rich_help_panel=OUTPUT, metavar="A,B,...",
        help="Columns for table, csv and json: id, namespace, name, version, status, trigger, type, "
             "started, updated, duration, correlation, request, error; for executions under way "
             "progress, expected (the usual end) and slow (past the p95), which fetch each of "
             "them with its steps and learn its definition's recent history.")] = None,
    query_line: QueryOpt = None,
    view: ViewOpt = None,
) -> None:
    """Find executions (newest first; the last 24 hours unless --since says otherwise).

    Examples:  meshdeck search --status failed --since 2h
               meshdeck search --name checkout --status FAILED,TIMED_OUT -o ids
               meshdeck search --query 'status:FAILED name:checkout since:2h text:"gateway"'
               meshdeck search --view failing-checkout --since 1h
    """
    from console.cli.columns import DEFAULT_PROCESS_COLUMNS, PROCESS_COLUMNS, namespace_as
    from console.cli.output import RowWriter, choose_format, pick_columns

    fmt = choose_format(output)
    saved = load_view(view) if view is not None else None
    filters = combine(filters, query_line, saved)
    if columns is None and saved is not None and saved.columns:
        columns = ",".join(saved.columns)
    cols = namespace_as(backend_class(get_state()).NAMESPACE_LABEL,
                        pick_columns(PROCESS_COLUMNS, columns, DEFAULT_PROCESS_COLUMNS))
    order = sort_key(saved, all_) if saved is not None else None
    query = filters.query(limit=limit, offset=offset)
    refuse_unsupported_filters(get_state(), query)
    writer = RowWriter(fmt, cols, full=lambda p: p.to_wire(), id_of=lambda p: p.process_id,
                       columns_chosen=columns is not None)

    odd: list = []  # rows with a field left empty (an unexpected type): one warning at the end
    progress = with_progress(cols)

    async def body(backend):
        from console.services.search import fetch_page, iter_pages

        if all_:
            async for rows in iter_pages(backend, query):
                await progress(backend, rows)
                writer.write(rows)
                odd.extend(p for p in rows if p.dropped)
            return False
        page = await fetch_page(backend, query)
        rows = sorted(page.rows, key=order[0], reverse=order[1]) if order else page.rows
        await progress(backend, rows)
        writer.write(rows)
        odd.extend(p for p in rows if p.dropped)
        return page.has_more

    try:
        has_more = run_with_backend(body)
    except BaseException:
        if fmt == "json" and writer.count:
            writer.close()  # rows already written stay a valid JSON array
        raise
    finally:
        warn_dropped(odd)
    writer.close()
    if writer.count == 0 and fmt == "table":
        from console.services.search import is_duration

        since = filters.since or "24h"
        window = (f"the last {since}" if is_duration(since) else f"since {since}") + \
            (f", until {filters.until}" if filters.until else "")
        err(f"no execution matches (searched {window})")
    elif has_more and fmt == "table":
        err(f"showing {writer.count} (more match: use --all, --limit or --offset {offset + limit})")


def with_progress(cols):
    """``await progress(backend, rows)`` before writing rows: their progress, when a progress
    column is shown (``services.progress``; one definition's history is learnt once)."""
    from console.cli.columns import PROGRESS_COLUMNS

    if not any(c.name in PROGRESS_COLUMNS for c in cols):
        async def nothing(backend, rows) -> None:
            return None

        return nothing
    import time

    from console.cli.columns import remember_progress
    from console.services.progress import ProfileCache, progress_of_many

    cache = ProfileCache()

    async def progress(backend, rows) -> None:
        remember_progress(await progress_of_many(backend, rows, int(time.time() * 1000), cache))

    return progress


def sort_key(view, all_: bool):
    """(key, descending) to sort a page by the view's sort column; None without one. With
    ``--all`` rows are written as they come, so the sort is not applied (and that is said)."""
    from console.cli.columns import PROCESS_COLUMNS

    if view.sort_column is None:
        return None
    by_name = {c.name: c for c in PROCESS_COLUMNS}
    column = by_name.get(view.sort_column)
    if column is None:
        err(f"meshdeck: warning: view {view.name!r} sorts by {view.sort_column!r}, which is not a "
            f"column here; newest first instead")
        return None
    if all_:
        err(f"meshdeck: warning: --all writes rows as they come, newest first: view "
            f"{view.name!r}'s sort by {view.sort_column} is not applied")
        return None
    return (lambda p: (column.value(p) is None, column.value(p))), view.descending


def register(app: typer.Typer) -> None:
    app.command("search", rich_help_panel="Find and inspect")(with_globals(with_filters(search)))
