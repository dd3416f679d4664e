"""Destructive actions with per-id results: plan (dry run), bulk send, rerun many.

Nothing here retries a POST: a failed or unanswered request is reported, never sent again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from console import errors
from console.backend import Backend
from console.client import ProgressHook
from console.models import ACTION_APPLIES_TO, ProcessData
from console.outcomes import BulkOutcome

#: Words for people, per action name.
ACTION_VERBS = {"terminate": "terminate", "resume": "resume", "review": "mark reviewed",
                "rerun": "rerun", "pause": "pause", "restart": "restart"}
#: Actions that take a reason on the wire.
TAKES_REASON = frozenset({"terminate", "review"})


@dataclass
class PlanItem:
    """What an action would do to one id: its current status and whether the action applies."""

    id: str
    status: str | None
    applies: bool
    note: str


def applies_table(backend: object | None) -> dict[str, frozenset[str]]:
    """Which statuses each action applies to on ``backend`` (Unmeshed's rules by default)."""
    return getattr(backend, "action_applies_to", None) or ACTION_APPLIES_TO


def applies(action: str, status: str | None, backend: object | None = None) -> bool:
    """Whether ``action`` applies to a process in ``status`` (rerun applies to any)."""
    if action == "rerun":
        return status is not None
    return status in applies_table(backend).get(action, frozenset())


def plan_for(action: str, pid: str, status: str | None, backend: object | None = None) -> PlanItem:
    if status is None:
        return PlanItem(pid, None, False, "not found")
    if applies(action, status, backend):
        return PlanItem(pid, status, True, f"would {ACTION_VERBS[action]}")
    wanted = ", ".join(sorted(applies_table(backend).get(action, ())))
    return PlanItem(pid, status, False, f"cannot {ACTION_VERBS[action]} a {status} process "
                                        f"(only {wanted})")


async def plan(backend: Backend, action: str, ids: Sequence[str]) -> list[PlanItem]:
    """Dry run: fetch each id's current status (concurrently) and say what would happen."""
    items = []
    for fetched in await backend.get_many(ids):
        if fetched.error is not None and not isinstance(fetched.error, errors.NotFound):
            items.append(PlanItem(fetched.id, None, False, f"unknown: {fetched.error}"))
            continue
        status = fetched.process.status if fetched.process else None
        items.append(plan_for(action, fetched.id, status, backend))
    return items


def unique_ids(ids: Iterable[str]) -> list[str]:
    """Ids in first-seen order without repeats or blanks: an id is never acted on twice."""
    seen: dict[str, None] = {}
    for raw in ids:
        text = str(raw).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


async def run_bulk(backend: Backend, action: str, ids: Sequence[str], *,
                   reason: str | None = None, on_progress: ProgressHook | None = None,
                   outcome: BulkOutcome | None = None) -> BulkOutcome:
    """terminate / resume / review ``ids`` in chunks; ``outcome`` fills in as chunks finish."""
    outcome = outcome or BulkOutcome.start(action, unique_ids(ids))
    return await backend.bulk_action(action, outcome.ids, reason=reason,
                                     on_progress=on_progress, outcome=outcome)


@dataclass
class RerunResult:
    """One rerun: the new process, or the error; ``unknown`` when the answer never came (a new
    process may have started: look before rerunning again)."""

    id: str
    new_process: ProcessData | None = None
    error: str | None = None
    unknown: bool = False

    @property
    def result(self) -> str:
        if self.unknown:
            return "unknown"
        return "done" if self.error is None and self.new_process is not None else "failed"


async def rerun_many(backend: Backend, ids: Sequence[str], version: int | None = None,
                     concurrency: int = 8, on_progress: ProgressHook | None = None
                     ) -> list[RerunResult]:
    """Rerun each id once (a new process each); an error for one id does not stop the others."""
    gate = asyncio.Semaphore(concurrency)
    done = 0
    targets = unique_ids(ids)

    async def one(pid: str) -> RerunResult:
        nonlocal done
        async with gate:
            try:
                result = RerunResult(pid, new_process=await backend.rerun(pid, version))
            except errors.OutcomeUnknown as exc:
                result = RerunResult(pid, error=str(exc), unknown=True)
            except errors.MeshdeckError as exc:
                result = RerunResult(pid, error=str(exc))
        done += 1
        if on_progress is not None:
            on_progress(done, len(targets))
        return result

    return list(await asyncio.gather(*(one(pid) for pid in targets)))
