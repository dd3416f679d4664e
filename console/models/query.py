"""What meshdeck asks a search for, and what a list keeps of each execution it answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from pydantic.alias_generators import to_camel

from console.models.process import Elapsed, ProcessData, SearchRow
from console.models.wire import extract_error, first_line


@dataclass
class SearchQuery:
    """Every filter of ``GET api/stats/process/search``; lists go out comma-joined.

    Times are epoch milliseconds. ``start_time_epoch`` None means the server default (the SDK
    sends now - 24 h; meshdeck's callers set it explicitly from ``--since``).
    """

    start_time_epoch: int | None = None
    end_time_epoch: int | None = None
    namespace: str | None = None
    process_types: list[str] = field(default_factory=list)
    trigger_types: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    step_names: list[str] = field(default_factory=list)
    step_refs: list[str] = field(default_factory=list)
    process_ids: list[str] = field(default_factory=list)
    correlation_ids: list[str] = field(default_factory=list)
    request_ids: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    full_text_search_query: str | None = None
    org_id: int | None = None
    limit: int = 100
    offset: int = 0

    def to_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == [] or value == "":
                continue
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            params[to_camel(f.name)] = str(value)
        return params

    def page(self, offset: int, limit: int) -> SearchQuery:
        return replace(self, offset=offset, limit=limit)

    @classmethod
    def for_ids(cls, ids: Sequence[str]) -> SearchQuery:
        """These executions, whatever their age (the search's own default window is the last
        24 hours) or status: one row per id at most."""
        return cls(start_time_epoch=0, process_ids=list(ids), limit=len(ids))


@dataclass(slots=True, frozen=True)
class ProcessSummary(Elapsed):
    """What a list of executions shows of each, without its payloads.

    A search answer carries every process's input, output and state (kilobytes each); a table
    of 100,000 rows keeps these instead, and the detail screen fetches the full process.
    """

    process_id: int | str | None
    name: str | None
    namespace: str | None
    version: int | None
    status: str | None
    trigger_type: str | None
    process_type: str | None
    correlation_id: str | None
    request_id: str | None
    created: int | None
    updated: int | None
    step_count: int
    #: When it stopped running, where known (``ProcessData.ended``).
    ended: int | None = None
    #: Fields sent with an unexpected type and shown empty (``WireModel.dropped``).
    dropped: Mapping[str, Any] | None = None
    #: A failed or timed-out one: the first line of the error its output carries, if any.
    error: str | None = None

    @classmethod
    def of(cls, p: ProcessData | SearchRow) -> ProcessSummary:
        error = first_line(extract_error(p.output)) if p.status in ("FAILED", "TIMED_OUT") \
            else None
        return cls(p.process_id, p.name, p.namespace, p.version, p.status, p.trigger_type,
                   p.process_type, p.correlation_id, p.request_id, p.created, p.updated,
                   p.step_count, p.ended, p.dropped or None, error)

