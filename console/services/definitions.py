"""Definitions as code: what applying files would change (a diff per definition, before any
write), writing only what changed, exporting, and what a delete would take away.

Every comparison is between normalised documents (``console.definition_files.normalise``):
server-managed fields (created, updated, their authors, orgId, dependents) are never compared.
A file's ``version`` says which version it is: the same version on the server is compared with it
(changed or unchanged); a version the server lacks is a new version (shown against the latest); a
definition the server lacks is new. A file without a version stands for the latest.
"""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from console import errors
from console.backends.base import Backend
from console.definition_files import LoadedDefinition, dump, normalise
from console.models import SearchQuery
from console.services.search import Count, count_matches

NEW, NEW_VERSION, CHANGED, UNCHANGED = "new", "new version", "changed", "unchanged"
CREATED, UPDATED, FAILED, UNKNOWN = "created", "updated", "failed", "unknown"
WEEK_MS = 7 * 24 * 3600 * 1000


@dataclass
class Change:
    """What applying one definition file would do."""

    source: str
    namespace: str
    name: str
    #: The version that would be written (the file's, else the latest, else 1).
    version: int
    change: str
    #: The version the diff is against (None: the definition is new).
    base_version: int | None
    diff: list[str] = field(default_factory=list)
    #: The document that would be sent (normalised, version set).
    doc: dict[str, Any] = field(default_factory=dict)
    #: After apply: created, updated, unchanged, failed or unknown; and why.
    result: str | None = None
    message: str = ""

    @property
    def label(self) -> str:
        return f"{self.namespace}/{self.name} v{self.version}"

    @property
    def writes(self) -> bool:
        return self.change != UNCHANGED

    def record(self) -> dict[str, Any]:
        return {"file": self.source, "namespace": self.namespace, "name": self.name,
                "version": self.version, "change": self.change, "against": self.base_version,
                "diff": "\n".join(self.diff), "result": self.result, "message": self.message}


def yaml_lines(doc: dict[str, Any] | None) -> list[str]:
    return dump(doc).splitlines() if doc is not None else []


def unified(before: dict[str, Any] | None, after: dict[str, Any] | None, old: str,
            new: str) -> list[str]:
    """The unified diff of two definitions as normalised YAML (empty: they say the same)."""
    return list(difflib.unified_diff(yaml_lines(before), yaml_lines(after), fromfile=old,
                                     tofile=new, lineterm=""))


async def _gather(backend: Backend, calls: Iterable[Callable[[], Awaitable[Any]]]) -> list[Any]:
    """Each call's result in order, a few at a time (``backend.concurrency``). Calls, not
    coroutines: one never started (cancelled first) leaves nothing un-awaited behind."""
    gate = asyncio.Semaphore(max(1, backend.concurrency))

    async def one(call: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await call()

    return list(await asyncio.gather(*(one(c) for c in calls)))


async def _versions(backend: Backend, namespace: str, name: str) -> list[int]:
    try:
        return sorted(await backend.definition_versions(namespace, name))
    except errors.NotFound:
        return []


async def plan_one(backend: Backend, loaded: LoadedDefinition) -> Change:
    """Compare one file's definition with what the server has."""
    ns, name = loaded.key
    versions = await _versions(backend, ns, name)
    file_doc = dict(loaded.doc)
    where = str(loaded.where)
    if not versions:
        version = loaded.version or 1
        doc = normalise({**file_doc, "version": version})
        return Change(where, ns, name, version, NEW, None,
                      unified(None, doc, "(not on the server)", where), doc)
    version = loaded.version or versions[-1]
    doc = normalise({**file_doc, "version": version})
    base = version if version in versions else versions[-1]
    server = normalise((await backend.get_definition(ns, name, base)).to_wire())
    if version not in versions:
        return Change(where, ns, name, version, NEW_VERSION, base,
                      unified(server, doc, f"server {ns}/{name} v{base}", where), doc)
    lines = unified(server, doc, f"server {ns}/{name} v{base}", where)
    return Change(where, ns, name, version, CHANGED if lines else UNCHANGED, base, lines, doc)


async def plan_apply(backend: Backend, loaded: list[LoadedDefinition]) -> list[Change]:
    """One ``Change`` per definition, in file order (reads only)."""
    return await _gather(backend, (partial(plan_one, backend, d) for d in loaded))


async def apply(backend: Backend, changes: list[Change]) -> list[Change]:
    """Write the definitions that changed (one bulk upsert where the backend has it, else create
    or update one by one); fill in each ``result``. Never resent: a request whose answer was lost
    leaves its definitions "unknown"."""
    for c in changes:
        if not c.writes:
            c.result, c.message = UNCHANGED, "already as in the file"
    todo = [c for c in changes if c.writes]
    if not todo:
        return changes
    if backend.IMPLEMENTS_DEFINITION_BULK_UPSERT:
        await _bulk(backend, todo)
    else:
        for c in todo:
            await _one(backend, c)
    return changes


def _done(c: Change) -> None:
    c.result = CREATED if c.change == NEW else UPDATED
    c.message = {NEW: "created", NEW_VERSION: f"version {c.version} added"}.get(
        c.change, f"version {c.version} updated")


def _failed(c: Change, exc: errors.MeshdeckError) -> None:
    c.result = UNKNOWN if isinstance(exc, errors.OutcomeUnknown) else FAILED
    c.message = str(exc)


async def _bulk(backend: Backend, todo: list[Change]) -> None:
    try:
        stored = await backend.upsert_definitions([c.doc for c in todo])
    except errors.MeshdeckError as exc:
        for c in todo:
            _failed(c, exc)
        return
    kept = {(d.namespace, d.name, d.version) for d in stored}
    for c in todo:
        if (c.namespace, c.name, c.version) in kept:
            _done(c)
        else:
            c.result = UNKNOWN
            c.message = ("the server answered without this definition: check with meshdeck "
                         f"definitions get {c.namespace}/{c.name} --version {c.version}")


async def _one(backend: Backend, c: Change) -> None:
    try:
        if c.change == NEW:
            await backend.create_definition(c.doc)
        else:
            await backend.update_definition(c.doc)
    except errors.MeshdeckError as exc:
        _failed(c, exc)
    else:
        _done(c)


# ---- reading from the server -----------------------------------------------------------------

async def fetch_documents(backend: Backend, keys: list[tuple[str, str]], all_versions: bool
                          ) -> list[dict[str, Any]]:
    """The definitions ``keys`` names as wire documents: the latest, or every version."""
    async def versions_of(key: tuple[str, str]) -> list[tuple[str, str, int | None]]:
        if not all_versions:
            return [(*key, None)]
        return [(*key, v) for v in await backend.definition_versions(*key)]

    wanted = [w for ws in await _gather(backend, (partial(versions_of, k) for k in keys))
              for w in ws]
    found = await _gather(backend, (partial(backend.get_definition, ns, n, v)
                                    for ns, n, v in wanted))
    return [d.to_wire() for d in found]


async def diff_versions(backend: Backend, namespace: str, name: str, old: int, new: int
                        ) -> list[str]:
    """The unified diff between two versions on the server (empty: they say the same)."""
    a, b = await _gather(backend, (partial(backend.get_definition, namespace, name, v)
                                   for v in (old, new)))
    return unified(a.to_wire(), b.to_wire(), f"{namespace}/{name} v{old}",
                   f"{namespace}/{name} v{new}")


@dataclass
class DeletePlan:
    """What ``definitions delete`` would take away, and how much it is used."""

    namespace: str
    name: str
    versions: list[int]
    #: The versions that would go (all of them unless one version only).
    deleting: list[int]
    recent: Count


async def plan_delete(backend: Backend, namespace: str, name: str, version: int | None,
                      version_only: bool, now_ms: int) -> DeletePlan:
    """The definition's versions (``NotFound`` if it or the version does not exist) and how many
    of its executions started in the last 7 days."""
    versions = sorted(await backend.definition_versions(namespace, name))
    if version_only and version not in versions:
        raise errors.NotFound(f"{namespace}/{name} has no version {version} (it has "
                              f"{', '.join(str(v) for v in versions)})")
    query = SearchQuery(start_time_epoch=now_ms - WEEK_MS, namespace=namespace, names=[name])
    recent = await count_matches(backend, query)
    return DeletePlan(namespace, name, versions, [version] if version_only else versions,  # type: ignore[list-item]
                      recent)
