"""``--query`` (the query line) and ``--view`` (a saved view) for ``search`` and ``views save``,
and how they combine with the filter options.

- ``--query 'status:FAILED name:checkout'`` sets the same filters the options do. The same filter
  given both ways (``--status`` and ``status:``) is refused: which one was meant is not guessed.
- ``--view NAME`` is a starting point: its filters, window (as ``--since``), columns and sort,
  each replaced by what ``--query`` or an option says for the same filter.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from console.cli.common import CliProblem, get_state
from console.cli.options import FILTERS, Filters

if TYPE_CHECKING:
    from console.services.views import View

QueryOpt = Annotated[str | None, typer.Option(
    "--query", "-q", metavar="QUERY", rich_help_panel=FILTERS,
    help="Filters as one line: status:FAILED,TIMED_OUT name:checkout since:2h ns:payments "
         "text:\"gateway timeout\" (keys: status name ns since until text corr req id trigger "
         "type tag step ref). A filter may not be given both here and as an option.")]
ViewOpt = Annotated[str | None, typer.Option(
    "--view", metavar="NAME", rich_help_panel=FILTERS,
    help="Start from a saved view (meshdeck views): its filters, window, columns and sort; "
         "options and --query change it.")]


def load_view(name: str) -> View:
    """The view ``name`` of this command's profile (a usage error when there is none)."""
    from console.services.views import ViewError, load_view as load

    try:
        return load(get_state().settings().profile, name)
    except ViewError as exc:
        raise CliProblem(str(exc)) from None


def query_values(query: str) -> dict:
    """The filter values of a query line (a usage error pointing at the problem)."""
    from console.services.query_line import QueryError, parse

    try:
        return parse(query)
    except QueryError as exc:
        where = f" (at character {exc.position + 1})" if exc.position else ""
        raise CliProblem(f"--query: {exc}{where}") from None


def combine(filters: Filters, query: str | None, view: View | None = None) -> Filters:
    """The filters a command uses: the view's, then ``--query``'s, then the options' (see the
    module docstring)."""
    if query is None and view is None:
        return filters  # nothing to merge with
    from console.services.query_line import KEYS

    given = {name: value for name, value in asdict(filters).items() if value is not None}
    typed = query_values(query) if query is not None else {}
    both = [key for key in KEYS if key.field in given and key.field in typed]
    if both:
        flags = ", ".join(f"--{k.field.replace('_', '-')} and {k.name}:" for k in both)
        raise CliProblem(f"{flags} in --query set the same filter: give it once")
    base = view.values() if view is not None else {}
    if view is not None and view.window not in (None, "custom") and "since" not in base:
        base["since"] = view.window
    merged = {**base, **typed, **given}
    return Filters(**merged)
