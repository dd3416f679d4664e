"""Workers: who registered and polled for which queue, the queues of WORKER steps waiting for
them, the three worker endpoints, and the mock-only view of who polled (``GET /__mock/workers``).

A queue is ``(namespace, name)``: a WORKER step waits in the queue of its own namespace and
name, and a worker polls the queues it registered for (the SDK's ``Worker(name=...)``, or one
queue per name in ``worker_queue_names``). What the official Python SDK sends and expects:

- ``PUT api/clients/register``: a list of ``{orgId, namespace, stepType: "WORKER", name}``.
- ``POST api/clients/poll?size=BATCH``: a list of ``{stepQueueNameData: {...}, size: N}``, where
  N is what that worker can still take (its ``max_in_progress`` minus what it is running) and
  BATCH caps the whole answer; header ``UNMESHED_HOST_NAME``. The answer is a list of
  WorkRequests, at most N per queue and BATCH in all.
- ``POST api/clients/bulkResults``: a list of WorkResponses (``status`` COMPLETED, FAILED or
  RUNNING with ``rescheduleAfterSeconds``); the answer maps each ``stepId`` (as text) to
  ``{processId, stepId, errorMessage}``, ``errorMessage`` null when it was taken.

The view is the mock's own diagnostic, not a server API: a real Unmeshed server publishes no
such list.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.mock.store import MockStore

Queue = tuple[str, str]
#: The mock-only path of the view (never under ``api/``).
VIEW_PATH = "/__mock/workers"
NOT_RUNNING = "Invalid request, step is not in RUNNING state"


def queue_of(step_def: dict[str, Any]) -> Queue:
    return (step_def.get("namespace") or "default", step_def["name"])


@dataclass
class Seen:
    """What the mock knows of the workers of one queue."""

    first: int
    last: int
    polls: int = 0
    handed_out: int = 0
    hosts: dict[str, int] = field(default_factory=dict)  # host -> last poll


class WorkerHub:
    """Registrations, polls and the queues of steps waiting for a worker."""

    def __init__(self) -> None:
        self.registered: set[Queue] = set()
        self.seen: dict[Queue, Seen] = {}
        self.queues: dict[Queue, deque[tuple[int, int]]] = defaultdict(deque)
        #: Called with one line when a queue gets its first registration or poll (``mock serve``
        #: prints it, so the developer sees their worker arrive).
        self.on_event: Callable[[str], None] | None = None

    def is_registered(self, queue: Queue) -> bool:
        return queue in self.registered

    def _announce(self, queue: Queue, how: str) -> None:
        if queue not in self.registered:
            self.registered.add(queue)
            if self.on_event is not None:
                self.on_event(f"worker {how} for {queue[0]}/{queue[1]}: its WORKER steps now wait "
                              "for it")

    def register(self, workers: Any) -> str:
        from console.mock.store import BadRequest

        if not isinstance(workers, list):
            raise BadRequest("body must be a JSON list of {orgId, namespace, stepType, name}")
        for w in workers:
            if isinstance(w, dict) and w.get("name"):
                self._announce((w.get("namespace") or "default", str(w["name"])), "registered")
        return "OK"

    def note_poll(self, queue: Queue, host: str, now: int) -> Seen:
        self._announce(queue, f"polling from {host}")
        seen = self.seen.get(queue)
        if seen is None:
            seen = self.seen[queue] = Seen(first=now, last=now)
        seen.last, seen.polls = now, seen.polls + 1
        seen.hosts[host] = now
        return seen

    def push(self, queue: Queue, process_id: int, index: int) -> None:
        self.queues[queue].append((process_id, index))


def _size(value: Any, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


def poll(store: MockStore, requests: Any, size: int, host: str) -> list[dict[str, Any]]:
    """Hand out waiting steps: at most each entry's ``size`` from its queue, ``size`` in all."""
    from console.mock.store import BadRequest

    if not isinstance(requests, list):
        raise BadRequest("body must be a JSON list of {stepQueueNameData, size}")
    now = store.tick()
    hub = store.engine.hub
    budget = size if size > 0 else 1_000_000
    out: list[dict[str, Any]] = []
    for req in requests:
        names = req.get("stepQueueNameData") if isinstance(req, dict) else None
        if not isinstance(names, dict) or not names.get("name"):
            raise BadRequest("each poll entry needs stepQueueNameData with a name")
        queue = (names.get("namespace") or "default", str(names["name"]))
        seen = hub.note_poll(queue, host, now)
        want = min(_size(req.get("size"), budget), budget)
        waiting = hub.queues.get(queue)
        while waiting and want > 0:
            pid, index = waiting.popleft()
            p = store.processes.get(pid)
            work = store.engine.hand_out(p, index, host, now) if p is not None else None
            if work is not None:
                out.append(work)
                want, budget, seen.handed_out = want - 1, budget - 1, seen.handed_out + 1
    return out


def submit(store: MockStore, results: Any) -> dict[str, dict[str, Any]]:
    """Apply WorkResponses; per step id, ``errorMessage`` null when taken.

    The answer never carries ``error_message``: the SDK 1.3.3 reads that key to decide a result
    failed, then fails itself on the dict (``result.errorMessage``), which leaks the worker's
    in-progress permits; with ``errorMessage`` only it logs the result as submitted."""
    from console.mock.store import BadRequest

    if not isinstance(results, list):
        raise BadRequest("body must be a JSON list of WorkResponse")
    now = store.tick()
    answer: dict[str, dict[str, Any]] = {}
    for res in results:
        res = res if isinstance(res, dict) else {}
        try:
            sid = int(res.get("stepId"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            answer[str(res.get("stepId"))] = {"stepId": res.get("stepId"), "errorMessage": "invalid stepId"}
            continue
        status = str(res.get("status") or "COMPLETED").rsplit(".", 1)[-1].upper()
        output = res.get("output")
        output = output if isinstance(output, dict) else ({} if output is None else {"result": output})
        p = store.processes.get(sid // 100)
        error = NOT_RUNNING if p is None else store.engine.report(
            p, sid % 100, status, output, res.get("rescheduleAfterSeconds"), now)
        answer[str(sid)] = {"processId": res.get("processId"), "stepId": sid, "errorMessage": error}
    return answer


def view(store: MockStore) -> dict[str, Any]:
    """Every queue a worker registered for or polled, or a step waits in: when it was last
    polled and from where, how many steps its workers hold (in progress) and how many wait."""
    now = store.tick()
    hub = store.engine.hub
    waiting: dict[Queue, list[int]] = defaultdict(list)
    running: dict[Queue, int] = defaultdict(int)
    for pid in list(store.engine.live_ids):
        p = store.processes[pid]
        if p["status"] != "RUNNING":
            continue
        live = p["_live"]
        for rec in live.steps.values():
            if rec.real and rec.status == "SCHEDULED":
                waiting[queue_of(live.sdef(rec.idx))].append(rec.executions[-1]["scheduled"])
            elif rec.real and rec.status == "RUNNING":
                running[queue_of(live.sdef(rec.idx))] += 1
    rows = []
    for queue in sorted(hub.registered | set(hub.seen) | set(waiting)):
        seen = hub.seen.get(queue)
        rows.append({
            "namespace": queue[0], "name": queue[1], "registered": queue in hub.registered,
            "firstPoll": seen.first if seen else None, "lastPoll": seen.last if seen else None,
            "polls": seen.polls if seen else 0, "handedOut": seen.handed_out if seen else 0,
            "hosts": sorted(seen.hosts, key=seen.hosts.__getitem__, reverse=True) if seen else [],
            "inProgress": running.get(queue, 0), "waiting": len(waiting.get(queue, [])),
            "waitingSince": min(waiting[queue]) if waiting.get(queue) else None,
        })
    return {"mockOnly": "a meshdeck mock diagnostic: a real Unmeshed server has no such list",
            "now": now, "queues": rows}


def fetch_view(base_url: str, timeout: float = 5.0) -> dict[str, Any]:
    """``view`` from a running ``meshdeck mock serve``; ``ConnectionError`` or ``LookupError``
    with a message for a person."""
    import httpx

    url = base_url.rstrip("/") + VIEW_PATH
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        raise ConnectionError(f"no meshdeck mock answers at {base_url} ({type(exc).__name__}); "
                              "start one with: meshdeck mock serve") from None
    if response.status_code != 200:
        raise LookupError(f"{url} answered HTTP {response.status_code}: is this a meshdeck mock "
                          "(meshdeck mock serve, Unmeshed dialect)?")
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("queues"), list):
        raise LookupError(f"{url} did not answer like a meshdeck mock")
    return data
