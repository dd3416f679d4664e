"""Saved views in the console: ``ctrl+s`` saves the executions screen's filters, window,
columns and sort under a name (``console.services.views``, the file ``meshdeck views`` reads);
the palette lists the profile's views ("View: NAME") and applies one.

A view holds the filters as a query line, so a view saved here is the same as one saved with
``meshdeck views save`` and works with ``meshdeck search --view``. A preset window (15m, 1h, 24h,
7d) is kept as the view's ``window``; a custom one as ``window = "custom"`` with ``since:`` and
``until:`` in the query. Columns are kept only when some were hidden (none: all that fit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.services import query_line
from console.services.views import View, ViewError, list_views, load_view
from console.services.views import save_view as write_view
from console.tui.commands import PaletteCommand
from console.tui.filters import Filters

if TYPE_CHECKING:
    from console.tui.screens.executions_oncall import ExecutionsOnCall


def current_view(screen: ExecutionsOnCall, name: str = "") -> View:
    """What the screen shows, as a view called ``name``."""
    filters = screen.filters
    values = filters.values()
    if filters.window != "custom":
        values.pop("since", None)
    table = screen.table
    return View(name, query_line.format_line(values), filters.window, table.cli_columns(),
                table.cli_sort())


def save_view(screen: ExecutionsOnCall) -> None:
    """Ask for a name, then save the screen's view under it (said in a notification)."""
    from console.tui.dialogs.view_name import ViewNameDialog

    app = screen.app
    profile = app.settings.profile
    try:
        existing = [v.name for v in list_views(profile)]
    except ViewError as exc:
        app.notify(str(exc), title="cannot save a view", severity="error", markup=False)
        return
    view = current_view(screen)

    def saved(name: str | None) -> None:
        if not name:
            app.notify("cancelled: no view saved", timeout=3)
            return
        try:
            where = write_view(profile, View(name, view.query, view.window, view.columns,
                                             view.sort))
        except ViewError as exc:
            app.notify(str(exc), title="view not saved", severity="error", markup=False)
            return
        app.notify(f"view {name!r} saved in {where} (palette: View: {name}; CLI: meshdeck "
                   f"search --view {name})", title="view saved", timeout=8, markup=False)

    app.push_screen(ViewNameDialog(view, profile or "default", existing), saved)


def apply_view(screen: ExecutionsOnCall, name: str) -> None:
    """The view ``name``'s filters, window, columns and sort on the screen (a problem: one
    notification, and the screen as it was)."""
    app = screen.app
    try:
        view = load_view(app.settings.profile, name)
        values = view.values()
        if view.window not in (None, "custom") and "since" not in values:
            values["since"] = view.window
        filters = Filters.from_values(values)
    except (ViewError, ValueError) as exc:
        app.notify(str(exc), title=f"view {name}", severity="error", markup=False)
        return
    why = screen.set_filters(filters)
    if why is not None:
        app.notify(why, title=f"view {name} not applied", severity="error", markup=False)
        return
    notes = []
    unknown = screen.table.show_cli_columns(view.columns)
    if unknown:
        notes.append(f"no column {', '.join(unknown)} here (left out)")
    if not screen.table.sort_by_cli(view.sort):
        notes.append(f"no column {view.sort_column} to sort by (newest first instead)")
    screen.load_details()
    app.notify("; ".join(notes) or (view.query or "no filter") + f" · window {view.window or '24h'}",
               title=f"view {name}", severity="warning" if notes else "information",
               timeout=6, markup=False)


def view_commands(screen: ExecutionsOnCall) -> list[PaletteCommand]:
    """One palette entry per saved view of the profile (one saying why, when the file cannot
    be read)."""
    try:
        views = list_views(screen.app.settings.profile)
    except ViewError as exc:
        why = str(exc)  # ``exc`` is unbound once the except block ends: the entry runs later
        return [PaletteCommand("Views: cannot be read", why, lambda: screen.notify(
            why, title="saved views", severity="error", markup=False))]
    return [PaletteCommand(f"View: {v.name}", f"apply the saved view: {v.query or 'no filter'}"
                           f" · {v.window or '24h'}", lambda n=v.name: screen.apply_view(n))
            for v in views]
