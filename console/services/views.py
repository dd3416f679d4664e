"""Saved views: a search (filters, time window, columns, sort) kept under a name, per profile.

They live in ``views.toml`` next to the config file (``$MESHDECK_CONFIG``'s folder, else the
platform's config folder), one table per profile and view; the filters are kept as a query line
(``console.services.query_line``), so the file reads and edits like what a person types::

    [profiles.prod.failing-checkout]
    query = "status:FAILED,TIMED_OUT name:checkout"
    window = "1h"
    columns = ["id", "name", "status", "started", "error"]
    sort = "-started"

The file is changed with tomlkit (a person's comments stay) and written with
``console.atomic_write.write_private`` (0600). A session without a profile keeps its views
under ``default``. Problems are ``ViewError``: one line naming the file or the view.

What the TUI uses: ``list_views(profile)``, ``load_view(profile, name)``, ``save_view(profile,
View(...))``, ``delete_view(profile, name)``; ``View.values()`` (the filter values, as
``query_line.parse`` gives them), ``View.window``, ``View.columns``, ``View.sort_column`` /
``View.descending``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from console.atomic_write import write_private
from console.services import query_line
from console.services.search import parse_time

FILE_NAME = "views.toml"
#: The profile name views are kept under when no profile is in use.
NO_PROFILE = "default"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class ViewError(ValueError):
    """A view that cannot be found, saved or read (one line)."""


@dataclass(frozen=True)
class View:
    """One saved view."""

    name: str
    #: The filters as a query line (``status:FAILED name:checkout``).
    query: str = ""
    #: The time window: a length like ``15m``, ``1h``, ``24h``, ``7d`` (the last so long), or
    #: ``custom`` (``since:``/``until:`` in the query say it); None: the default (24h).
    window: str | None = None
    #: Column names, in order; empty: the default columns.
    columns: tuple[str, ...] = field(default_factory=tuple)
    #: A column to sort by; ``-name`` sorts descending. None: newest first, as the server sends.
    sort: str | None = None

    def values(self) -> query_line.Values:
        """The filter values of ``query`` (ViewError if it no longer reads)."""
        try:
            return query_line.parse(self.query)
        except query_line.QueryError as exc:
            raise ViewError(f"view {self.name!r}: its query does not read: {exc}") from None

    @property
    def sort_column(self) -> str | None:
        return self.sort.lstrip("-") if self.sort else None

    @property
    def descending(self) -> bool:
        return bool(self.sort and self.sort.startswith("-"))

    def check(self) -> View:
        """This view, or ViewError for a bad name, query or window."""
        if not _NAME.fullmatch(self.name or ""):
            raise ViewError(f"a view name is 1 to 64 letters, digits, '_', '.' or '-' and "
                            f"starts with a letter or digit; got {self.name!r}")
        self.values()
        if self.window not in (None, "custom"):
            try:
                parse_time(self.window)
            except ValueError:
                raise ViewError(f"view {self.name!r}: window {self.window!r} is not a length "
                                "like 15m, 1h, 24h or 7d (or 'custom')") from None
        if self.sort is not None and not self.sort_column:
            raise ViewError(f"view {self.name!r}: sort needs a column name")
        return self

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"query": self.query}
        if self.window:
            data["window"] = self.window
        if self.columns:
            data["columns"] = list(self.columns)
        if self.sort:
            data["sort"] = self.sort
        return data


def views_path(config_file: Path | None = None) -> Path:
    """``views.toml`` beside ``config_file`` (default: the config file in force)."""
    from console.config_file import config_path

    return (config_file or config_path()).parent / FILE_NAME


def _profile(profile: str | None) -> str:
    return profile or NO_PROFILE


def _read(path: Path) -> tuple[dict[str, Any], str]:
    """The file as data and as text ({} and "" when it does not exist)."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}, ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ViewError(f"views file {path}: cannot read it: {exc}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ViewError(f"views file {path}: {exc}") from None


def _from_toml(name: str, data: Any, path: Path) -> View:
    if not isinstance(data, dict):
        raise ViewError(f"views file {path}, view {name!r}: expected a table")
    columns, window, sort = data.get("columns", []), data.get("window"), data.get("sort")
    ok = (isinstance(data.get("query", ""), str)
          and isinstance(columns, list) and all(isinstance(c, str) for c in columns)
          and isinstance(window, str | None) and isinstance(sort, str | None))
    if not ok:
        raise ViewError(f"views file {path}, view {name!r}: expected query (text), window "
                        "(text), columns (a list of names) and sort (text)")
    return View(name, data.get("query", ""), window, tuple(columns), sort)


def list_views(profile: str | None, path: Path | None = None) -> list[View]:
    """The profile's views, in file order."""
    path = path or views_path()
    data, _ = _read(path)
    table = data.get("profiles", {}).get(_profile(profile), {})
    if not isinstance(table, dict):
        raise ViewError(f"views file {path}, profile {_profile(profile)!r}: expected a table")
    return [_from_toml(name, value, path) for name, value in table.items()]


def load_view(profile: str | None, name: str, path: Path | None = None) -> View:
    """One view of the profile; ViewError listing the profile's views when there is none."""
    views = {view.name: view for view in list_views(profile, path)}
    if name not in views:
        known = ", ".join(views) or "none yet; save one with meshdeck views save NAME ..."
        raise ViewError(f"no view named {name!r} for profile {_profile(profile)!r} "
                        f"(known: {known})")
    return views[name]


def _write(path: Path, doc: tomlkit.TOMLDocument) -> None:
    try:
        write_private(path, tomlkit.dumps(doc).encode("utf-8"))
    except OSError as exc:
        raise ViewError(f"views file {path}: cannot write it: {exc.strerror or exc}") from None


def _document(path: Path) -> tomlkit.TOMLDocument:
    _, text = _read(path)  # checked with tomllib first: its errors name a line
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ViewError(f"views file {path}: cannot edit it: {exc}") from None


def save_view(profile: str | None, view: View, path: Path | None = None) -> Path:
    """Save (or replace) ``view`` for the profile; returns the file written."""
    view.check()
    path = path or views_path()
    doc = _document(path)
    if "profiles" not in doc:
        doc["profiles"] = tomlkit.table(is_super_table=True)
    profiles = doc["profiles"]
    key = _profile(profile)
    if key not in profiles:
        profiles[key] = tomlkit.table(is_super_table=True)
    table = profiles[key].get(view.name)
    if table is None:  # a view saved again is changed in place: comments in it stay
        table = profiles[key][view.name] = tomlkit.table()
    values = view.to_toml()
    for name in ("query", "window", "columns", "sort"):
        value = values.get(name)
        if value is None:
            table.pop(name, None)
            continue
        plain = isinstance(value, str) and '"' in value and not set("'\n") & set(value)
        table[name] = tomlkit.string(value, literal=True) if plain else value  # 'text:"a b"'
    _write(path, doc)
    return path


def delete_view(profile: str | None, name: str, path: Path | None = None) -> Path:
    """Remove the profile's view ``name``; ViewError when there is none."""
    path = path or views_path()
    load_view(profile, name, path)
    doc = _document(path)
    del doc["profiles"][_profile(profile)][name]
    _write(path, doc)
    return path
