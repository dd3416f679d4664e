"""Resume on a new definition (resumeWithVersion): which version each execution will resume on.

``pin_versions`` takes a ``Selection`` for the ``resume_version`` action (by ids or by query:
each item knows its definition and the version it ran) and gives each item the version it will
resume on: the one asked for, or its definition's latest. An execution whose definition has no
such version is refused (``applies`` false, the note says why), so it is never sent. The
confirmation and the dry run show, per execution, "ran v2 -> resumes on v3".
"""

from __future__ import annotations

import asyncio

from console import errors
from console.backends.base import Backend
from console.services.selection import Selection

ACTION = "resume_version"


def target_words(version: int | None) -> str:
    """How the chosen version reads: "version 4", or "the latest version"."""
    return "the latest version" if version is None else f"version {version}"


async def definition_versions(backend: Backend, keys: set[tuple[str, str]]
                              ) -> dict[tuple[str, str], list[int] | errors.MeshdeckError]:
    """Each definition's versions (ascending), fetched a few at a time; a definition the server
    does not know maps to an empty list, any other failure to its error."""
    gate = asyncio.Semaphore(max(1, backend.concurrency))

    async def one(key: tuple[str, str]) -> list[int] | errors.MeshdeckError:
        async with gate:
            try:
                return sorted(await backend.definition_versions(*key))
            except errors.NotFound:
                return []
            except errors.MeshdeckError as exc:
                return exc

    ordered = sorted(keys)
    return dict(zip(ordered, await asyncio.gather(*(one(k) for k in ordered)), strict=True))


async def pin_versions(backend: Backend, selection: Selection, version: int | None) -> Selection:
    """Fill in each item's ``target_version`` (``version``, or None for each definition's
    latest) and refuse the items whose definition has no such version. Returns ``selection``."""
    keys = {(i.namespace, i.name) for i in selection.items
            if i.applies and i.namespace and i.name}
    found = await definition_versions(backend, keys)  # type: ignore[arg-type]
    for item in selection.items:
        if not item.applies:
            continue
        known = found.get((item.namespace, item.name)) if item.namespace and item.name else []
        label = f"{item.namespace}/{item.name}"
        if isinstance(known, errors.MeshdeckError):
            item.applies, item.note = False, f"cannot read the versions of {label}: {known}"
            continue
        if not known:
            item.applies, item.note = False, f"definition {label} not found"
            continue
        target = known[-1] if version is None else version
        if target not in known:
            have = ", ".join(str(v) for v in known)
            item.applies, item.note = False, f"{label} has no version {target} (it has {have})"
            continue
        item.target_version = target
        ran = f"v{item.version}" if item.version is not None else "an unknown version"
        item.note = f"ran {ran} → resumes on v{target}" + (
            " (the same version)" if item.version == target else "")
    return selection


def versions_of(selection: Selection) -> dict[str, int]:
    """id -> the version to send, for the items that will be sent."""
    return {i.id: i.target_version for i in selection.items
            if i.applies and i.target_version is not None}


async def failed_on_latest(backend: Backend, namespace: str, name: str, since_ms: int
                           ) -> Selection:
    """A definition's FAILED executions started since ``since_ms``, each pinned to the
    definition's latest version ("fix the definition, then resume the failed ones on it")."""
    from console.models import SearchQuery
    from console.services.selection import by_query

    query = SearchQuery(start_time_epoch=since_ms, namespace=namespace, names=[name],
                        statuses=["FAILED"])
    return await pin_versions(backend, await by_query(backend, ACTION, query), None)
