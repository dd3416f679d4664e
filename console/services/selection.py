"""What an action will touch, decided before anything is sent: by query (every match, counted,
never silently capped) or by ids (each id's current status). The CLI and the TUI both confirm
from a ``Selection`` and send exactly its ``to_send``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from console.backends.base import Backend
from console.models import SearchQuery
from console.services.actions import PlanItem, plan, plan_for
from console.services import search
from console.services.search import iter_pages

#: Above this many executions a confirmation shows the breakdown and asks for the count typed.
HUGE = 1000


@dataclass
class Selection:
    """The ids an action was asked for, each with its status and whether the action applies.

    ``matched`` is how many executions the query matched (``more`` when the walk stopped at
    ``limit`` with more left; ``total`` then the exact number where the backend can count);
    for ids given by hand it is their number."""

    action: str
    items: list[PlanItem]
    matched: int
    more: bool = False
    limit: int | None = None
    by_query: bool = False
    total: int | None = None

    @property
    def to_send(self) -> list[str]:
        return [item.id for item in self.items if item.applies]

    @property
    def skipped(self) -> list[PlanItem]:
        return [item for item in self.items if not item.applies]

    @property
    def capped(self) -> bool:
        """More executions match than will be sent: the rest stay untouched."""
        return self.more

    @property
    def huge(self) -> bool:
        return len(self.to_send) > HUGE

    def breakdown(self) -> list[tuple[str, str, int]]:
        """(process name, status, how many) of the ids to send, most first."""
        counts = Counter((item.name or "?", item.status or "?")
                         for item in self.items if item.applies)
        return [(name, status, n) for (name, status), n in counts.most_common()]


def applicable_query(backend: Backend, action: str, query: SearchQuery) -> SearchQuery:
    """Without a status filter, select only the statuses the action applies to: "terminate
    everything named X" means the running ones, not errors for the finished ones."""
    wanted = backend.ACTIONS.get(action)
    if query.statuses or not wanted:
        return query
    return replace(query, statuses=sorted(wanted))


async def by_query(backend: Backend, action: str, query: SearchQuery,
                   limit: int | None = None) -> Selection:
    """Every execution ``query`` matches, newest first, up to ``limit`` (default: the count
    cap); ``more`` says whether any were left beyond it. Statuses come from the search itself,
    so what is sent is exactly what the same search shows."""
    cap = search.COUNT_CAP if limit is None else limit
    items: list[PlanItem] = []
    seen = 0
    query = applicable_query(backend, action, query)
    async for rows in iter_pages(backend, query.page(0, 0), page_size=1000, max_rows=cap + 1):
        for p in rows:
            seen += 1
            if p.process_id is None or len(items) >= cap:
                continue
            item = plan_for(backend, action, str(p.process_id), p.status)
            item.name, item.namespace, item.version = p.name, p.namespace, p.version
            items.append(item)
    total = await backend.count(query) if seen > cap and backend.IMPLEMENTS_COUNT else None
    return Selection(action, items, matched=seen, more=seen > cap, limit=cap, by_query=True,
                     total=total)


async def by_ids(backend: Backend, action: str, ids: list[str],
                 statuses: dict[str, str | None] | None = None) -> Selection:
    """The ids given, each with its current status (fetched unless ``statuses`` has it)."""
    known = statuses or {}
    missing = [i for i in ids if known.get(i) is None]
    fetched = {item.id: item for item in await plan(backend, action, missing)} if missing else {}
    items = [fetched[i] if i in fetched else plan_for(backend, action, i, known[i]) for i in ids]
    return Selection(action, items, matched=len(ids))
