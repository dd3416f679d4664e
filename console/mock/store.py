"""The mock's in-memory state: processes, indexes, action semantics and clock-driven progression.

Processes are plain wire-shaped dicts (camelCase) plus internal keys prefixed with ``_``, which
``public()`` strips. Process ids are ``BASE_PROCESS_ID + position`` in creation order, so the
created-time array ``created[i]`` belongs to process ``BASE_PROCESS_ID + i``.

Living: a RUNNING process carries ``_run = (start_ms, end_ms, from_step_index)`` and sits in a
heap; ``tick()`` (called on every access) finishes the ones whose end has passed, so progress
follows the injected clock and stays deterministic.

Live: a process of your own definition (``console.mock.dev_definitions``), or of a seeded one
whose WORKER step a real worker registered for, carries ``_live`` instead and is run step by
step by ``self.engine`` (``console.mock.engine``); its WORKER steps wait for
``api/clients/poll`` and ``api/clients/bulkResults`` (``console.mock.workers``).

Marking reviewed moves ``updated`` without running anything: the process keeps when its run ended
in ``_ended``, so its steps keep their own times (a resume clears it).
"""

from __future__ import annotations

import gc
import heapq
import random
from collections import defaultdict
from typing import Any, Callable

from console.mock import payloads
from console.mock.clock import real_clock
from console.mock.engine import Engine
from console.mock.processes import Processes
from console.mock.seed import BASE_PROCESS_ID, Seeding, failure_output, search_text
from console.mock.steps import STEP_ID_FACTOR, build_steps, current_index, step_ids

STOPPABLE = ("FAILED", "TIMED_OUT", "TERMINATED", "CANCELLED")


def _require(p: dict[str, Any], statuses: tuple[str, ...], past: str) -> None:
    """Refuse (``ValueError``: the bulk answer's per-id error) a process in another status."""
    if p["status"] not in statuses:
        allowed = ", ".join(statuses[:-1]) + " or " + statuses[-1] if len(statuses) > 1 \
            else statuses[0]
        raise ValueError(f"process is {p['status']}; only {allowed} processes can be {past}")


class NotFound(Exception):
    """An unknown process, step, definition or endpoint (answered as 404)."""


class BadRequest(Exception):
    """A bad parameter or body (answered as 400)."""


class MockStore:
    def __init__(self, seed: int = 7, executions: int = 5000, clock: Callable[[], int] | None = None,
                 catalog: bool = True) -> None:
        """``catalog=False``: no seeded definitions and no executions (``mock serve --empty``)."""
        self.seed = seed
        self.engine = Engine(self)
        self.clock = clock or real_clock
        self.stream_delay = 0.02  # seconds between STREAM lines
        now = self.clock()
        gc_was_enabled = gc.isenabled()
        gc.disable()  # building 100k small dicts: the cyclic GC would otherwise rescan them over and over
        try:
            self._build(seed, executions if catalog else 0, now, catalog)
        finally:
            if gc_was_enabled:
                gc.enable()

    def _build(self, seed: int, executions: int, now: int, catalog: bool) -> None:
        seeding = Seeding(seed, executions, now) if catalog else None
        self.definitions = seeding.definitions if seeding else {}
        self.infos = seeding.infos if seeding else {}
        #: The seeded definitions, and their names: their runs are simulated (``console.mock.engine``).
        self.seeded_versions: frozenset[tuple[str, str, int]] = frozenset(self.infos)
        self.seeded_names: frozenset[tuple[str, str]] = frozenset(self.definitions)
        self._seeding = seeding
        self.processes = Processes(seeding)
        self.created: list[int] = list(seeding.createds) if seeding else []
        self.by_status: dict[str, set[int]] = defaultdict(set)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_namespace: dict[str, set[int]] = defaultdict(set)
        self._heap: list[tuple[int, int]] = []
        if seeding is not None:
            self.by_status, self.by_name, self.by_namespace, self._heap = seeding.indexes()
            heapq.heapify(self._heap)
        #: Made on first use (``by_correlation``, ``by_request``): few searches need them.
        self._by_correlation: dict[str, set[int]] | None = None
        self._by_request: dict[str, set[int]] | None = None

    @property
    def by_correlation(self) -> dict[str, set[int]]:
        if self._by_correlation is None:
            self._by_correlation = self._id_index("correlationId", "correlation_id")
        return self._by_correlation

    @property
    def by_request(self) -> dict[str, set[int]]:
        if self._by_request is None:
            self._by_request = self._id_index("requestId", "request_id")
        return self._by_request

    def _id_index(self, field: str, seeded: str) -> dict[str, set[int]]:
        """Value of ``field`` -> process ids, over every execution (made or not yet)."""
        index: dict[str, set[int]] = defaultdict(set)
        made, of = self.processes.made, getattr(self._seeding, seeded, None)
        for pid in self.processes:
            p = made(pid)
            value = p[field] if p is not None else of(pid - BASE_PROCESS_ID)  # type: ignore[misc]
            if value:
                index[value].add(pid)
        return index

    # ----------------------------------------------------------------- internals
    def _add(self, p: dict[str, Any]) -> None:
        pid = p["processId"]
        p["_text"] = search_text(p)
        self.processes[pid] = p
        self.created.append(p["created"])
        self.by_status[p["status"]].add(pid)
        self.by_name[p["name"]].add(pid)
        self.by_namespace[p["namespace"]].add(pid)
        if p["correlationId"] and self._by_correlation is not None:
            self._by_correlation[p["correlationId"]].add(pid)
        if p["requestId"] and self._by_request is not None:
            self._by_request[p["requestId"]].add(pid)
        if p["_run"]:
            heapq.heappush(self._heap, (p["_run"][1], pid))

    def _set_status(self, p: dict[str, Any], status: str) -> None:
        self.by_status[p["status"]].discard(p["processId"])
        p["status"] = status
        self.by_status[status].add(p["processId"])

    def info(self, p: dict[str, Any]) -> dict[str, Any]:
        live = p.get("_live")
        return live.info if live else self.infos[(p["namespace"], p["name"], p["version"])]

    def tick(self) -> int:
        """Finish every RUNNING process whose end time has passed; returns now."""
        now = self.clock()
        heap = self._heap
        while heap and heap[0][0] <= now:
            end, pid = heapq.heappop(heap)
            p = self.processes.get(pid)  # None: removed (Conductor's remove)
            if p is not None and p["status"] == "RUNNING" and p["_run"] and p["_run"][1] == end:
                self._finish(p, end)
        self.engine.tick(now)
        return now

    def _finish(self, p: dict[str, Any], at: int) -> None:
        info = self.info(p)
        final = p["_final"] or "COMPLETED"
        frm = p["_run"][2] if p["_run"] else 0
        p["_run"] = None
        p["updated"] = at
        if final == "COMPLETED":
            p["output"] = payloads.make_output(info["kind"], p["_r"] >> 3, p["input"])
        else:
            cands = [i for i in info["failable"] if i >= frm] or info["failable"]
            p["_fail"] = cands[(p["_r"] >> 58) % len(cands)]
            p["output"] = failure_output(info, p["_fail"], final, p["_r"] >> 9)
        self._set_status(p, final)
        p["_text"] = search_text(p)

    def _run_from(self, p: dict[str, Any], frm: int, now: int, seconds: float = 0.0) -> None:
        """Set ``p`` RUNNING from step ``frm`` on the clock (a simulated run)."""
        duration = int(seconds * 1000) or 2000 + (p["_r"] >> 20) % 4000
        p["_run"] = (now, now + duration, frm)
        heapq.heappush(self._heap, (now + duration, p["processId"]))
        if p["status"] != "RUNNING":
            self._set_status(p, "RUNNING")
        p["updated"] = now
        p.pop("_ended", None)

    # ----------------------------------------------------------------- reads
    def get_process(self, process_id: int, include_steps: bool = False) -> dict[str, Any] | None:
        """Wire-shaped ProcessData (``stepRecords`` filled when ``include_steps``), or None."""
        now = self.tick()
        p = self.processes.get(process_id)
        return None if p is None else self.public(p, include_steps, now)

    def public(self, p: dict[str, Any], include_steps: bool = False, now: int | None = None) -> dict[str, Any]:
        now = self.clock() if now is None else now
        out = {k: v for k, v in p.items() if k[0] != "_"}
        info = self.info(p)
        if p.get("_live"):
            records = self.engine.records(p)
            out["steps"] = [{"id": s["id"], "processId": s["processId"], "ref": s["ref"]} for s in records]
            out["stepRecords"] = records if include_steps else []
        elif include_steps:
            records = build_steps(p, info, self.seed, now)
            out["steps"] = [{"id": s["id"], "processId": s["processId"], "ref": s["ref"]} for s in records]
            out["stepRecords"] = records
        else:
            out["steps"] = step_ids(p, info, now)
            out["stepRecords"] = []
        return out

    def get_step(self, sid: int) -> dict[str, Any] | None:
        now = self.tick()
        p = self.processes.get(sid // STEP_ID_FACTOR)
        if p is None:
            return None
        records = self.engine.records(p) if p.get("_live") else build_steps(p, self.info(p), self.seed, now)
        return next((s for s in records if s["id"] == sid), None)

    def definition(self, namespace: str, name: str, version: int | None = None) -> dict[str, Any]:
        versions = self.definitions.get((namespace, name))
        if not versions:
            raise NotFound(f"process definition {namespace}/{name} not found")
        v = max(versions) if version is None else version
        if v not in versions:
            raise NotFound(f"process definition {namespace}/{name} has no version {v}")
        return {k: val for k, val in versions[v].items() if k[0] != "_"}

    def list_definitions(self) -> list[dict[str, Any]]:
        return [self.definition(ns, name) for (ns, name) in self.definitions]

    def versions(self, namespace: str, name: str) -> list[int]:
        self.definition(namespace, name)
        return sorted(self.definitions[(namespace, name)])

    def namespaces(self) -> list[dict[str, str]]:
        return [{"name": ns} for ns in sorted({ns for ns, _ in self.definitions})]

    # ----------------------------------------------------------------- starting processes
    def start(self, namespace: str | None, name: str | None, version: Any = None, input: Any = None,
              request_id: str | None = None, correlation_id: str | None = None, *, sync: bool,
              trigger: str = "API", process_type: str | None = None, created_by: str = "client.sdk") -> dict:
        """Create a process; ``sync`` completes it at once, else it runs on the clock. Returns the raw dict."""
        if version is not None:
            try:
                version = int(version)
            except (TypeError, ValueError):
                raise BadRequest(f"version must be an integer, got {version!r}") from None
        if input is not None and not isinstance(input, dict):
            raise BadRequest("input must be a JSON object")
        defn = self.definition(namespace or "default", name or "", version)
        key = (defn["namespace"], defn["name"], defn["version"])
        info = self.infos[key]
        now = self.tick()
        pid = BASE_PROCESS_ID + len(self.created)
        created = max(now, self.created[-1]) if self.created else now
        rng = random.Random(self.seed * 1_000_003 + pid)
        r = rng.getrandbits(64)
        merged = {**(defn.get("defaultInput") or {}), **(input or {})}
        p: dict[str, Any] = {
            "processId": pid, "processType": process_type or defn["type"], "triggerType": trigger,
            "namespace": key[0], "name": key[1], "version": key[2], "historyId": 7_000 + info["index"] * 10 + key[2],
            "requestId": request_id or payloads.request_id(rng.getrandbits(128)),
            "correlationId": correlation_id, "status": "RUNNING", "input": merged, "output": {},
            "state": {}, "secretState": {}, "authClaims": None, "stepIdCount": len(info["flat"]),
            "shardName": f"shard-{pid % 4}", "shardInstanceId": pid % 4, "created": created,
            "updated": created, "createdBy": created_by, "tags": [{"name": "env", "value": "prod"}],
            "_r": r, "_fail": -1, "_run": None, "_final": "COMPLETED", "_prev": None, "_outs": None,
        }
        if self.engine.wants(info):  # run step by step; a sync caller waits (console.mock.app)
            self._add(p)
            self.engine.start(p, info, created)
            return p
        if sync:
            p["status"] = "COMPLETED"
            p["output"] = payloads.make_output(info["kind"], r >> 3, merged)
            p["updated"] = created + 1
        self._add(p)
        if not sync:
            self._run_from(p, 0, created)
        return p

    def rerun(self, process_id: int, version: Any = None) -> dict[str, Any]:
        old = self.processes.get(process_id)
        if old is None:
            raise NotFound(f"process {process_id} not found")
        return self.start(old["namespace"], old["name"], old["version"] if version in (None, "") else version,
                          dict(old["input"]), None, old["correlationId"], sync=False,
                          trigger=old["triggerType"], process_type=old["processType"], created_by="meshdeck rerun")

    # ----------------------------------------------------------------- actions
    def _action(self, ids: Any, apply: Callable[[dict[str, Any], int], str]) -> dict[str, Any]:
        if not isinstance(ids, list):
            raise BadRequest("body must be a JSON list of process ids")
        now = self.tick()
        count, details = 0, []
        for raw in ids:
            text = str(raw)
            try:
                pid = int(raw) if not isinstance(raw, bool) else None
            except (TypeError, ValueError):
                pid = None
            if pid is None:
                details.append({"id": text, "message": "invalid process id", "error": "invalid process id"})
                continue
            p = self.processes.get(pid)
            if p is None:
                details.append({"id": str(pid), "message": "process not found", "error": "process not found"})
                continue
            try:
                msg = apply(p, now)
            except ValueError as e:
                details.append({"id": str(pid), "message": str(e), "error": str(e)})
                continue
            p["_text"] = search_text(p)
            count += 1
            details.append({"id": str(pid), "message": msg, "error": None})
        return {"count": count, "details": details}

    def terminate(self, ids: Any, reason: str | None = None) -> dict[str, Any]:
        def apply(p: dict[str, Any], now: int) -> str:
            _require(p, ("RUNNING",), "terminated")
            if p.get("_live"):
                self.engine.terminate(p, reason or "terminated by meshdeck", now)
            else:
                p["_fail"] = current_index(p, len(self.info(p)["flat"]), now)
            p["_run"] = None
            p["output"] = {**(p["output"] or {}), "reason": reason or "terminated by meshdeck"}
            p["updated"] = now
            self._set_status(p, "TERMINATED")
            return "terminated"
        return self._action(ids, apply)

    def resume(self, ids: Any, version: int | None = None) -> dict[str, Any]:
        def apply(p: dict[str, Any], now: int) -> str:
            _require(p, STOPPABLE, "resumed")
            if version is not None:
                self.definition(p["namespace"], p["name"], version)
                p["version"] = version
            frm = max(p["_fail"], 0)
            if not p.get("_live") and self.engine.wants(self.info(p)):  # a real worker takes over
                self.engine.adopt(p, build_steps(p, self.info(p), self.seed, now))
            p["_prev"], p["_final"] = None, "COMPLETED"
            p["output"] = {}
            if p.get("_live"):
                self._set_status(p, "RUNNING")
                p["updated"] = now
                self.engine.resume(p, now)
            else:
                self._run_from(p, frm, now)
            return "resumed"
        return self._action(ids, apply)

    def reviewed(self, ids: Any, reason: str | None = None) -> dict[str, Any]:
        def apply(p: dict[str, Any], now: int) -> str:
            _require(p, STOPPABLE, "marked reviewed")
            p["_prev"] = p["status"]
            if reason:
                p["output"] = {**(p["output"] or {}), "reviewReason": reason}
            p["_ended"] = p.get("_ended") or p["updated"]  # the review touches it, the run ended
            p["updated"] = now
            self._set_status(p, "REVIEWED")
            return "marked reviewed"
        return self._action(ids, apply)

    def remove(self, process_id: int) -> None:
        """Forget a process entirely (Conductor's remove without archiving): no index keeps it,
        and a live run's waiting steps are withdrawn from the workers' queues first."""
        p = self.processes.get(process_id)
        if p is None:
            raise NotFound(f"process {process_id} not found")
        if p.get("_live") and p["status"] == "RUNNING":
            self.engine.terminate(p, "removed", self.clock())
        del self.processes[process_id]
        for index, key in ((self.by_status, p["status"]), (self.by_name, p["name"]),
                           (self.by_namespace, p["namespace"]),
                           (self._by_correlation, p["correlationId"]),
                           (self._by_request, p["requestId"])):
            if index is not None and key in index:
                index[key].discard(process_id)
