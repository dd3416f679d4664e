"""What the executions screen searches for, as plain data, and how it becomes a ``SearchQuery``
or a query line (``console.services.query_line``) and back: ``Filters.values()`` and
``Filters.from_values()``, so the query line, a saved view and the widgets set the same filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from console.models import SearchQuery
from console.services.search import parse_time, to_epoch_ms

#: Time window presets (label -> length); "custom" uses ``since``/``until``.
WINDOWS: dict[str, timedelta | None] = {
    "15m": timedelta(minutes=15),
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "custom": None,
}
DEFAULT_WINDOW = "24h"


def split_list(text: str | None, upper: bool = False) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]`` (upper-cased for enum filters)."""
    items = [part.strip() for part in (text or "").split(",") if part.strip()]
    return [i.upper() for i in items] if upper else items


@dataclass
class Filters:
    """Every search filter of the executions screen."""

    window: str = DEFAULT_WINDOW
    since: str = ""
    until: str = ""
    namespace: str = ""
    names: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    trigger_types: list[str] = field(default_factory=list)
    process_types: list[str] = field(default_factory=list)
    correlation_ids: list[str] = field(default_factory=list)
    request_ids: list[str] = field(default_factory=list)
    process_ids: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    step_names: list[str] = field(default_factory=list)
    step_refs: list[str] = field(default_factory=list)
    text: str = ""

    def bounds(self, now: datetime) -> tuple[int | None, int | None]:
        """Start and end in epoch ms; ValueError (one readable line) for a bad custom time."""
        length = WINDOWS.get(self.window)
        if self.window != "custom":
            if length is None:
                raise ValueError(f"unknown time window {self.window!r}")
            return to_epoch_ms(now - length), None
        if not self.since.strip():
            if self.until.strip():  # never ignore what was typed: say why it is not used
                raise ValueError(f"the custom window has an end ({self.until.strip()}) but no "
                                 "start: set since too, e.g. 2h, 3d or 2026-11-25T08:00")
            raise ValueError("a custom window needs a start: e.g. 2h, 3d or 2026-11-25T08:00")
        start = to_epoch_ms(parse_time(self.since, now))
        end = to_epoch_ms(parse_time(self.until, now)) if self.until.strip() else None
        if end is not None and end < start:
            raise ValueError("the custom window ends before it starts")
        return start, end

    def to_query(self, now: datetime, *, offset: int = 0, limit: int = 100,
                 statuses: list[str] | None = None) -> SearchQuery:
        start, end = self.bounds(now)
        return SearchQuery(
            start_time_epoch=start, end_time_epoch=end,
            namespace=self.namespace.strip() or None, names=list(self.names),
            statuses=list(self.statuses if statuses is None else statuses),
            trigger_types=list(self.trigger_types), process_types=list(self.process_types),
            correlation_ids=list(self.correlation_ids), request_ids=list(self.request_ids),
            process_ids=list(self.process_ids), tags=list(self.tags),
            step_names=list(self.step_names), step_refs=list(self.step_refs),
            full_text_search_query=self.text.strip() or None, offset=offset, limit=limit,
        )

    def with_statuses(self, statuses: list[str]) -> Filters:
        return replace(self, statuses=list(statuses))

    def describe(self) -> str:
        """A short line of what is filtered, for the status bar."""
        window = f"{self.since}..{self.until or 'now'}" if self.window == "custom" else self.window
        parts = [f"last {window}" if self.window != "custom" else window]
        for label, value in (("ns", self.namespace), ("text", self.text)):
            if value.strip():
                parts.append(f"{label}={value.strip()}")
        for label, values in (("name", self.names), ("status", self.statuses),
                              ("trigger", self.trigger_types), ("type", self.process_types),
                              ("corr", self.correlation_ids), ("req", self.request_ids),
                              ("id", self.process_ids), ("tag", self.tags),
                              ("step", self.step_names), ("ref", self.step_refs)):
            if values:
                parts.append(f"{label}={','.join(values)}")
        return " · ".join(parts)

    # ---- the query line --------------------------------------------------------------------

    def values(self) -> dict[str, str | list[str]]:
        """These filters as query-line values (``query_line.format_line`` writes them): a preset
        window is ``since:1h``; the statuses are included."""
        values: dict[str, str | list[str]] = {}
        if self.window == "custom":
            values.update(since=self.since.strip(), until=self.until.strip())
        else:
            values["since"] = self.window
        values.update(namespace=self.namespace.strip(), text=self.text.strip())
        for name, attr in _LISTS.items():
            values[name] = list(getattr(self, attr))
        return {k: v for k, v in values.items() if v}

    @classmethod
    def from_values(cls, values: dict[str, str | list[str]]) -> Filters:
        """The filters a query line (or a saved view) sets: every other filter empty; no since:
        the default window; ``since:`` a preset length (``1h``) without until: that window;
        any other since/until: a custom window."""
        since, until = str(values.get("since") or ""), str(values.get("until") or "")
        if not since and until:
            raise ValueError(f"until:{until} needs a since: too (a window with only an end has "
                             "no start)")
        window = DEFAULT_WINDOW if not since else since if since in WINDOWS and not until \
            else "custom"
        lists = {attr: list(values.get(name) or []) for name, attr in _LISTS.items()}
        return cls(window=window, since=since if window == "custom" else "",
                   until=until if window == "custom" else "",
                   namespace=str(values.get("namespace") or ""),
                   text=str(values.get("text") or ""), **lists)


#: Query-line filter name -> the ``Filters`` field of a list filter.
_LISTS = {"status": "statuses", "name": "names", "correlation_id": "correlation_ids",
          "request_id": "request_ids", "process_id": "process_ids", "trigger": "trigger_types",
          "type": "process_types", "tag": "tags", "step_name": "step_names",
          "step_ref": "step_refs"}
