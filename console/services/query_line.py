"""The query line: every search filter in one line of text, as k9s' ``:`` or Temporal's list
filter::

    status:FAILED,TIMED_OUT name:create_order since:2h text:"gateway timeout" ns:payments

``key:value`` pairs separated by spaces. A value with a space, a comma or a quote is quoted
(``"..."`` with ``\\"`` and ``\\\\`` escapes, or ``'...'`` taken as is). List keys take a comma
list or repeat (``status:FAILED status:TIMED_OUT`` = ``status:FAILED,TIMED_OUT``); a single-value
key given twice is an error, as is an unknown key (the message lists the known ones) and an empty
value. ``since`` and ``until`` take what ``--since`` does (``2h``, ``3d``, an ISO time).

``parse`` gives the same values the CLI's filter options give (keys are the CLI's filter names,
``console.cli.options.Filters`` fields: ``namespace``, ``status``, ``correlation_id``...);
``format_line`` writes values back, so ``parse(format_line(v)) == v``.

What the TUI uses: ``parse(text)`` on enter (``QueryError`` carries ``position`` to point at the
problem), ``format_line(values)`` to show the widgets' filters as a line, ``KEYS`` for help and
completion (name, aliases, what it takes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from console.services.search import parse_time

#: Filter values: a CLI filter name -> its value (a list for list filters).
Values = dict[str, str | list[str]]


@dataclass(frozen=True)
class Key:
    """One key of the query line."""

    name: str
    #: The CLI filter it sets (``Filters`` field / ``--`` option name with ``_``).
    field: str
    #: Takes a list (comma separated, or the key repeated).
    many: bool
    help: str
    upper: bool = False
    aliases: tuple[str, ...] = ()
    #: A time, read as ``--since`` reads one.
    time: bool = False


KEYS: tuple[Key, ...] = (
    Key("status", "status", True, "FAILED, TIMED_OUT, RUNNING, ...", upper=True),
    Key("name", "name", True, "process name", aliases=("process",)),
    Key("ns", "namespace", False, "namespace", aliases=("namespace",)),
    Key("since", "since", False, "started after: 15m, 2h, 3d, 1w or an ISO time", time=True),
    Key("until", "until", False, "started before: same forms as since", time=True),
    Key("text", "text", False, "full-text search in inputs, outputs and errors"),
    Key("corr", "correlation_id", True, "correlation id", aliases=("correlation",)),
    Key("req", "request_id", True, "request id", aliases=("request",)),
    Key("id", "process_id", True, "process id", aliases=("pid",)),
    Key("trigger", "trigger", True, "MANUAL, SCHEDULED, API_MAPPING, WEBHOOK, API, SUB_PROCESS",
        upper=True),
    Key("type", "type", True, "STANDARD, DYNAMIC, API_ORCHESTRATION, INTERNAL", upper=True),
    Key("tag", "tag", True, "tag"),
    Key("step", "step_name", True, "has a step of this name"),
    Key("ref", "step_ref", True, "has a step with this ref"),
)
_BY_NAME = {alias: key for key in KEYS for alias in (key.name, *key.aliases)}
#: The filter names, in the order ``format_line`` writes them.
FIELDS: tuple[str, ...] = tuple(key.field for key in KEYS)
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):")
_BARE = re.compile(r"[^\s,\"']+")
_PLAIN = re.compile(r"[^\s,\"'\\]+")


class QueryError(ValueError):
    """A query line that cannot be read; ``position`` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


def key_for(name: str) -> Key:
    """The key called ``name`` (or an alias, any case); QueryError naming the known ones."""
    key = _BY_NAME.get(name.lower())
    if key is None:
        known = ", ".join(k.name for k in KEYS)
        raise QueryError(f"unknown key {name!r} in the query (known: {known})", 0)
    return key


def parse(text: str) -> Values:
    """The filter values of a query line (see the module docstring); QueryError if it cannot
    be read. An empty line gives no values."""
    values: Values = {}
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return values
        match = _KEY.match(text, pos)
        if match is None:
            word = text[pos:].split(None, 1)[0]
            raise QueryError(f"expected key:value at {word!r} (e.g. status:FAILED; free text "
                             f"goes in text:\"...\")", pos)
        try:
            key = key_for(match.group(1))
        except QueryError as exc:
            raise QueryError(str(exc), pos) from None
        start, pos = pos, match.end()
        items: list[str] = []
        while True:
            item, pos = _value(text, pos, key)
            items.append(key_value(key, item, start))
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            break
        if pos < len(text) and not text[pos].isspace():
            raise QueryError(f"{key.name}: unexpected {text[pos]!r} after the value", pos)
        _store(values, key, items, start)


def _value(text: str, pos: int, key: Key) -> tuple[str, int]:
    """One value at ``pos`` (quoted or bare) and where it ends."""
    if pos >= len(text) or text[pos].isspace() or text[pos] == ",":
        if pos < len(text) and text[pos] == "," and text[pos - 1] == ":":
            raise QueryError(f"{key.name}: a value is needed before the comma "
                             f"(e.g. {key.name}:A,B)", pos)
        if text[pos - 1] == ",":
            raise QueryError(f"{key.name}: a comma must be followed by a value, without a "
                             f"space (e.g. {key.name}:A,B)", pos)
        raise QueryError(f"{key.name}: needs a value right after the colon "
                         f"(e.g. {key.name}:VALUE, or \"...\" for text with spaces)", pos)
    quote = text[pos]
    if quote == "'":
        end = text.find("'", pos + 1)
        if end < 0:
            raise QueryError(f"{key.name}: the quote ' is never closed", pos)
        return text[pos + 1:end], end + 1
    if quote == '"':
        out, i = [], pos + 1
        while i < len(text) and text[i] != '"':
            if text[i] == "\\" and i + 1 < len(text):
                i += 1
            out.append(text[i])
            i += 1
        if i >= len(text):
            raise QueryError(f'{key.name}: the quote " is never closed', pos)
        return "".join(out), i + 1
    match = _BARE.match(text, pos)
    assert match is not None  # the first character is neither space, comma nor quote
    return match.group(0), match.end()


def key_value(key: Key, item: str, position: int = 0) -> str:
    """One value of ``key`` as the filters hold it (upper-cased for statuses, triggers, types;
    a time checked); QueryError for an empty one."""
    if not item.strip():
        raise QueryError(f"{key.name}: empty value", position)
    if key.upper:
        item = item.upper()
    if key.time:
        try:
            parse_time(item)
        except ValueError as exc:
            raise QueryError(f"{key.name}: {exc}", position) from None
    return item


def _store(values: Values, key: Key, items: list[str], position: int) -> None:
    if key.many:
        old = values.get(key.field, [])
        values[key.field] = list(dict.fromkeys([*old, *items]))  # type: ignore[list-item]
        return
    if len(items) > 1:
        raise QueryError(f"{key.name} takes one value (quote it to keep a comma: "
                         f"{key.name}:\"{','.join(items)}\")", position)
    if key.field in values:
        raise QueryError(f"{key.name} is given twice: give it once", position)
    values[key.field] = items[0]


def _quoted(item: str) -> str:
    if _PLAIN.fullmatch(item):
        return item
    return '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_line(values: Mapping[str, str | list[str] | None]) -> str:
    """The query line of ``values`` (keys as ``parse`` gives them; empty ones left out), in
    ``KEYS`` order. ValueError for a key that is not a filter name."""
    unknown = [name for name in values if name not in FIELDS]
    if unknown:
        raise ValueError(f"not filter names: {', '.join(unknown)} (known: {', '.join(FIELDS)})")
    parts = []
    for key in KEYS:
        value = values.get(key.field)
        if not value:
            continue
        items = value if isinstance(value, list) else [value]
        parts.append(f"{key.name}:{','.join(_quoted(item) for item in items)}")
    return " ".join(parts)
