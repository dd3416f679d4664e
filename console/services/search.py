"""Search as people need it on top of a contract that has no total count and no sort:
a page plus "is there more", a capped count, and a stream of every page."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from console.errors import BadResponse
from console.models import ProcessData, SearchQuery

if TYPE_CHECKING:  # the contract, for annotations: importing it loads httpx
    from console.backends.base import Backend

#: Where counting stops: beyond it a count shows as "10,000+".
COUNT_CAP = 10_000
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


@dataclass
class Page:
    rows: list[ProcessData]
    offset: int
    has_more: bool


@dataclass
class Count:
    value: int
    capped: bool

    def __str__(self) -> str:
        return f"{self.value:,}+" if self.capped else f"{self.value:,}"

    @property
    def words(self) -> str:
        """``at least 7,000`` (counting stopped at a cap) or ``9,172`` (exact)."""
        return f"at least {self.value:,}" if self.capped else f"{self.value:,}"


def is_duration(text: str) -> bool:
    """Whether ``text`` is a span back from now (``2h``, ``7d``) rather than a point in time."""
    return _DURATION.match(text) is not None


def parse_time(text: str, now: datetime | None = None) -> datetime:
    """``2h``, ``30m``, ``3d``, ``1w`` (that long ago) or an ISO date/time (UTC if no zone)."""
    now = now or datetime.now(UTC)
    match = _DURATION.match(text)
    if match:
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
        try:
            return now - timedelta(seconds=seconds)
        except OverflowError:
            raise ValueError(f"{text!r} reaches back before year 1: use a shorter time") from None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"cannot read {text!r} as a time: use 15m, 2h, 3d, 1w or an ISO time "
            "like 2026-11-25T08:00") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def to_epoch_ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


async def fetch_page(backend: Backend, query: SearchQuery) -> Page:
    """One page of ``query.limit`` rows at ``query.offset``; asks one more to learn if more exist."""
    rows = await backend.search(query.page(query.offset, query.limit + 1))
    return Page(rows[:query.limit], query.offset, len(rows) > query.limit)


async def iter_pages(backend: Backend, query: SearchQuery, page_size: int = 1000,
                     max_rows: int | None = None, *, summaries: bool = False,
                     ahead: bool = False) -> AsyncIterator[list[ProcessData]]:
    """Every match, page by page, from ``query.offset`` on (``max_rows`` caps the walk);
    ``summaries``: the rows as ``ProcessSummary`` (``Backend.search_summaries``: what a list
    keeps, read without the payloads); ``ahead``: ask for the next page while the caller works
    on this one (the server and the client then work at the same time; at the end one request
    more may be sent, for a page that turns out empty).

    A row seen on an earlier page is not yielded again (new executions shift the pages while we
    walk); a full page of nothing but such rows means the server ignores ``offset``, which would
    page forever: that stops the walk with a BadResponse."""
    read = backend.search_summaries if summaries else backend.search
    offset, seen = query.offset, 0
    ids: set[int | str] = set()

    def want_at(seen: int) -> int:
        return page_size if max_rows is None else min(page_size, max_rows - seen)

    pending: asyncio.Future | None = None
    try:
        while True:
            want = want_at(seen)
            if want <= 0:
                return
            if pending is None:
                rows = await read(query.page(offset, want))
            else:
                rows, pending = await pending, None
            fresh = [p for p in rows if p.process_id is None or p.process_id not in ids]
            if rows and not fresh and len(rows) >= want:
                raise BadResponse(f"the server answered offset {offset} with the same "
                                  f"{len(rows)} executions again (it seems to ignore paging); "
                                  f"stopped after {seen:,} rows")
            ids.update(p.process_id for p in fresh if p.process_id is not None)
            seen += len(rows)
            offset += len(rows)
            if ahead and len(rows) >= want and want_at(seen) > 0:
                pending = asyncio.ensure_future(read(query.page(offset, want_at(seen))))
            if fresh:
                yield fresh
            if len(rows) < want:
                return
    finally:
        if pending is not None:  # the caller stopped early: the page asked ahead is not needed
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending


async def count_matches(backend: Backend, query: SearchQuery, cap: int = COUNT_CAP) -> Count:
    """How many executions match: the backend's exact count when it has one (Conductor's
    ``totalHits``), else by paging (Unmeshed's API has no count), stopping at ``cap``."""
    if backend.IMPLEMENTS_COUNT:
        found = await backend.count(query)
        if found is not None:
            return Count(found, False)
    total = 0
    async for rows in iter_pages(backend, query.page(0, 0), page_size=1000, max_rows=cap + 1):
        total += len(rows)
    return Count(min(total, cap), total > cap)


async def count_by_status(backend: Backend, query: SearchQuery, statuses: Sequence[str], *,
                          cap: int = COUNT_CAP,
                          on_count: Callable[[str, Count], None] | None = None
                          ) -> dict[str, Count]:
    """How many executions match ``query`` in each of ``statuses`` (the query's own status
    filter is replaced by each status in turn), counted one status after the other up to ``cap``.

    ``on_count(status, count)`` hears each count as soon as it is known, so a screen can show
    them one by one. Raises what the backend raises; the counts heard before that stay valid."""
    counts: dict[str, Count] = {}
    for status in statuses:
        count = await count_matches(backend, replace(query, statuses=[status]), cap=cap)
        counts[status] = count
        if on_count is not None:
            on_count(status, count)
    return counts


async def count_exactly(backend: Backend, query: SearchQuery, statuses: Sequence[str]
                        ) -> dict[str, Count]:
    """Exact matches of ``query`` per status, with no cap (the user asked, and waits): the
    backend's count for each of ``statuses`` where it has one, else one walk through every
    match tallied by status (statuses outside ``statuses`` are tallied too)."""
    if backend.IMPLEMENTS_COUNT:
        return await count_by_status(backend, query, statuses, cap=sys.maxsize)
    tally: Counter[str] = Counter({status: 0 for status in statuses})
    async for rows in iter_pages(backend, replace(query, statuses=[]).page(0, 0)):
        tally.update(p.status or "?" for p in rows)
    return {status: Count(n, False) for status, n in tally.items()}


def total_count(counts: Mapping[str, Count], statuses: Iterable[str]) -> Count:
    """The sum of ``counts`` over ``statuses`` (those not counted are left out); capped when
    any part is, so the sum is then a lower bound."""
    parts = [counts[s] for s in statuses if s in counts]
    return Count(sum(c.value for c in parts), any(c.capped for c in parts))


async def collect_statuses(backend: Backend, query: SearchQuery, cap: int = COUNT_CAP
                           ) -> tuple[dict[str, str | None], bool]:
    """Every matching process id (newest first) with its status, and whether the cap cut the
    list short."""
    found: dict[str, str | None] = {}
    async for rows in iter_pages(backend, query.page(0, 0), page_size=1000, max_rows=cap + 1):
        found.update((str(p.process_id), p.status) for p in rows if p.process_id is not None)
    return dict(list(found.items())[:cap]), len(found) > cap


async def collect_ids(backend: Backend, query: SearchQuery, cap: int = COUNT_CAP
                      ) -> tuple[list[str], bool]:
    """Every matching process id (newest first), and whether the cap cut the list short."""
    found, capped = await collect_statuses(backend, query, cap)
    return list(found), capped
