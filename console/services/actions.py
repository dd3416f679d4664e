"""The one engine for actions on many ids: plan (dry run), send, and say per id what happened.

- Bulk actions (terminate, resume, review, pause, restart) go in chunks, one request a chunk
  (``Backend.send_chunk``); rerun and resume_version (each id with its own definition version)
  go one request per id, a few at a time.
- Every id ends in exactly one of: done, failed, unknown (sent, but no answer said what
  happened), not sent. The outcome fills in as answers come, so an interruption (``stop``
  asked, Ctrl-C, a cancelled worker) still leaves a true account of every id.
- Nothing here resends anything: a request that failed or went unanswered is reported.
- Given a ``Journal`` (``console.services.journal``), the run is journaled when it ends, however
  it ends (a ``finally``): the CLI and the TUI each hand theirs in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from console import errors
from console.backends.base import Backend
from console.backends.http import CHECK_HINT
from console.models import ActionDetail, ProcessData
from console.outcomes import BulkOutcome
from console.services.action_specs import spec
from console.services.journal import Journal, recording_outcome
from console.services.lookup import ProgressHook, look_up

#: Asked before each chunk (or id): True stops the run there; the rest stay "not sent".
StopCheck = Callable[[], bool]
STOPPED = "stopped on request before these were sent"


@dataclass
class PlanItem:
    """What an action would do to one id: its current status and whether the action applies."""

    id: str
    status: str | None
    applies: bool
    note: str
    name: str | None = None
    namespace: str | None = None
    #: The definition version the execution ran, and (resume on a new definition) the one it
    #: will resume on.
    version: int | None = None
    target_version: int | None = None


def plan_for(backend: Backend, action: str, pid: str, status: str | None) -> PlanItem:
    """The plan for one id whose status is known (None: not found)."""
    words = spec(action)
    if status is None:
        return PlanItem(pid, None, False, "not found")
    if backend.applies(action, status):
        return PlanItem(pid, status, True, backend.plan_note(action, status) or f"would {words.verb}")
    wanted = ", ".join(sorted(backend.ACTIONS.get(action) or ()))
    return PlanItem(pid, status, False,
                    f"cannot {words.verb} a {status} process" + (f" (only {wanted})" if wanted else ""))


async def plan(backend: Backend, action: str, ids: Sequence[str], *,
               on_progress: ProgressHook | None = None) -> list[PlanItem]:
    """Dry run: look up each id's current status (``console.services.lookup``: a search per
    chunk of ids where the backend can) and say what would happen."""
    found = await look_up(backend, ids, on_progress=on_progress)
    if found and all(isinstance(f.error, (errors.Unreachable, errors.Unauthorized)) for f in found):
        raise found[0].error  # type: ignore[misc]  # the server, not the ids: one error, not N rows
    items = []
    for fetched in found:
        if fetched.error is not None and not isinstance(fetched.error, errors.NotFound):
            items.append(PlanItem(fetched.id, None, False, f"unknown: {fetched.error}"))
            continue
        status = fetched.process.status if fetched.process else None
        item = plan_for(backend, action, fetched.id, status)
        if fetched.process is not None:
            item.name, item.namespace = fetched.process.name, fetched.process.namespace
            item.version = fetched.process.version
        items.append(item)
    return items


def unique_ids(ids: Iterable[str]) -> list[str]:
    """Ids in first-seen order without repeats or blanks: an id is never acted on twice."""
    seen: dict[str, None] = {}
    for raw in ids:
        text = str(raw).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


async def run_action(backend: Backend, action: str, ids: Sequence[str], *,
                     reason: str | None = None, version: int | None = None,
                     versions: Mapping[str, int] | None = None,
                     on_progress: ProgressHook | None = None, stop: StopCheck | None = None,
                     outcome: BulkOutcome | None = None,
                     journal: Journal | None = None) -> BulkOutcome:
    """Send ``action`` for ``ids`` and return the per-id outcome (also filled in as it goes in
    ``outcome``, for a caller that may be interrupted). ``reason`` is sent only where the
    action takes one; ``version`` is rerun's definition version; ``versions`` each id's
    version for resume_version (an id without one is failed, never sent); ``journal`` records
    the run when it ends, interrupted or not."""
    words = spec(action)
    why_not = backend.unsupported(action)
    if why_not:
        raise errors.BadRequest(why_not)
    outcome = outcome or BulkOutcome.start(action, unique_ids(ids))
    with recording_outcome(journal, backend.base, outcome, reason):
        if words.bulk:
            await _chunks(backend, outcome, reason if words.takes_reason else None, on_progress,
                          stop)
        else:
            await _one_by_one(backend, outcome, version, versions or {}, on_progress, stop)
    return outcome


async def _chunks(backend: Backend, outcome: BulkOutcome, reason: str | None,
                  on_progress: ProgressHook | None, stop: StopCheck | None) -> None:
    total, size = len(outcome.ids), max(1, backend.chunk_size)
    unreported: list[str] = []  # answered, but the answer said nothing about these ids
    for start in range(0, total, size):
        if stop is not None and stop():
            outcome.stopped_by = STOPPED
            return
        chunk = outcome.ids[start:start + size]
        outcome.unknown = unreported + chunk
        outcome.not_sent = outcome.ids[start + len(chunk):]
        settled: dict[str, ActionDetail] = {}
        try:
            await backend.send_chunk(outcome.action, chunk, reason, settled)
        except errors.MeshdeckError as exc:
            _settle(outcome, chunk, settled, unreported, exc)
            return
        finally:
            outcome.details.update({pid: settled[pid] for pid in chunk if pid in settled})
        unreported.extend(pid for pid in chunk if pid not in settled)
        outcome.unknown = list(unreported)
        if on_progress is not None:
            on_progress(start + len(chunk), total)
    outcome.not_sent = []


def _settle(outcome: BulkOutcome, chunk: list[str], settled: dict[str, ActionDetail],
            unreported: list[str], exc: errors.MeshdeckError) -> None:
    """A chunk's request failed: the ids it had already settled keep their result; the rest
    are unknown if the server may have acted, else failed with the error."""
    open_ids = [pid for pid in chunk if pid not in settled]
    accepted = isinstance(exc, errors.BadResponse) and 200 <= (exc.status or 0) < 300
    if isinstance(exc, errors.OutcomeUnknown) or accepted:
        outcome.unknown = unreported + open_ids
        outcome.stopped_by = str(exc) if not accepted else (
            f"{exc}; the server accepted the request, so these ids may or may not have "
            f"changed ({CHECK_HINT})")
        return
    for pid in open_ids:
        settled[pid] = ActionDetail(id=pid, error=str(exc))
    outcome.unknown = list(unreported)
    outcome.stopped_by = str(exc)


async def _send_one(backend: Backend, action: str, pid: str, version: int | None
                    ) -> tuple[str, ProcessData | None]:
    """One per-id request: what to say of it, and the process it started (rerun)."""
    if action == "resume_version":
        if version is None:  # the plan refused it; never sent without a version
            raise errors.BadRequest("no definition version to resume on")
        await backend.resume_with_version(pid, version)
        return f"resumed on version {version}", None
    started = await backend.rerun(pid, version)
    new = None if started.process_id is None else str(started.process_id)
    return f"new execution {new}", started


async def _one_by_one(backend: Backend, outcome: BulkOutcome, version: int | None,
                      versions: Mapping[str, int], on_progress: ProgressHook | None,
                      stop: StopCheck | None, concurrency: int = 8) -> None:
    """rerun and resume_version: one request per id, ``concurrency`` at a time; an id is
    "unknown" from the moment it is sent until its answer is read, so an interruption leaves no
    id unaccounted for."""
    gate = asyncio.Semaphore(concurrency)
    total, done = len(outcome.ids), 0

    async def one(pid: str) -> None:
        nonlocal done
        async with gate:
            if stop is not None and stop():
                outcome.stopped_by = STOPPED
                return
            outcome.not_sent.remove(pid)
            outcome.unknown.append(pid)
            try:
                said, started = await _send_one(backend, outcome.action, pid,
                                                versions.get(pid, version))
            except errors.OutcomeUnknown as exc:
                outcome.notes[pid] = str(exc)
                return
            except errors.MeshdeckError as exc:
                outcome.details[pid] = ActionDetail(id=pid, error=str(exc))
            else:
                outcome.details[pid] = ActionDetail(id=pid, message=said)
                if started is not None:
                    outcome.started[pid] = started
            outcome.unknown.remove(pid)
        done += 1
        if on_progress is not None:
            on_progress(done, total)

    await asyncio.gather(*(one(pid) for pid in list(outcome.ids)))


async def look_for_started(backend: Backend, ids: Sequence[str], since_ms: int
                           ) -> dict[str, list[str]]:
    """For reruns whose answer never came: the executions of the same definition, with the same
    input, started since ``since_ms`` (what each rerun may have started). An id with an empty
    list most likely started nothing; one with a match should not be rerun again."""
    from console.models import SearchQuery

    originals = {f.id: f.process for f in await backend.get_many(ids) if f.process is not None}
    found: dict[str, list[str]] = {pid: [] for pid in ids}
    for name in sorted({p.name for p in originals.values() if p.name}):
        query = SearchQuery(start_time_epoch=since_ms, names=[name], limit=1000)
        recent = await backend.search(query)
        for pid, original in originals.items():
            if original.name != name:
                continue
            found[pid] = [str(p.process_id) for p in recent
                          if str(p.process_id) != pid and p.input == original.input]
    return found
