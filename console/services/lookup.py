"""The current status of many executions by id, as cheaply as the backend allows.

Where the backend searches by process ids (``Backend.IMPLEMENTS_SEARCH_BY_IDS``), the ids go
``IDS_PER_SEARCH`` to a request, a few requests in flight; only the ids a search did not answer
are read one GET each (an id the search does not reach, an id that does not exist, a search the
server refused). Elsewhere every id is one GET. 100,000 ids are a few hundred requests instead
of 100,000.

Each id ends as a ``Fetched``: its ``process`` (a ``ProcessSummary`` from a search, or the
``ProcessData`` of a GET: both have the status, name, namespace and version), or the error that
kept it from us (``NotFound`` for an id the server does not know).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from console import errors
from console.outcomes import Fetched

if TYPE_CHECKING:  # the contract, for annotations: importing it loads httpx
    from console.backends.base import Backend

#: A progress hook: (ids whose status is known, total ids).
ProgressHook = Callable[[int, int], None]
#: Errors a GET of the same ids would meet too: the search's error stands for its ids.
_FINAL = (errors.Unreachable, errors.Unauthorized)


async def look_up(backend: Backend, ids: Sequence[str], *,
                  on_progress: ProgressHook | None = None) -> list[Fetched]:
    """Each id's current state, in input order (see the module docstring)."""
    total = len(ids)
    settled: dict[str, Fetched] = {}

    def heard(fetched: Fetched) -> None:
        settled[fetched.id] = fetched
        if on_progress is not None:
            on_progress(len(settled), total)

    if backend.IMPLEMENTS_SEARCH_BY_IDS and ids:
        await _search_chunks(backend, ids, heard)
    rest = [pid for pid in ids if pid not in settled]
    if rest:
        await backend.get_many(rest, on_each=heard)
    return [settled[pid] for pid in ids]


async def _search_chunks(backend: Backend, ids: Sequence[str],
                         heard: Callable[[Fetched], None]) -> None:
    """Search the ids chunk by chunk; ids found (or whose search failed for good) are heard.
    A server that answers with executions it was not asked for ignores the ids filter: the
    chunks not yet sent are left to GETs."""
    size = max(1, backend.IDS_PER_SEARCH)
    chunks = [list(ids[i:i + size]) for i in range(0, len(ids), size)]
    gate = asyncio.Semaphore(backend.concurrency)
    ignored = False

    async def one(chunk: list[str]) -> None:
        nonlocal ignored
        async with gate:
            if ignored:
                return
            try:
                rows = await backend.search_by_ids(chunk)
            except _FINAL as exc:
                for pid in chunk:
                    heard(Fetched(pid, error=exc))
                return
            except errors.MeshdeckError:
                return  # refused or unreadable: GETs answer for these ids
        asked = set(chunk)
        for row in rows:
            pid = str(row.process_id)
            if pid in asked:
                asked.discard(pid)  # a row twice: the first answers
                heard(Fetched(pid, row))  # type: ignore[arg-type]
            else:
                ignored = True

    await asyncio.gather(*(one(chunk) for chunk in chunks))
