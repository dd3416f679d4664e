"""Live processes: the mock runs them step by step, and their WORKER steps wait for real workers.

A process is *live* when its definition is yours (``mock serve --definitions``, or created with
``POST/PUT api/processDefinitions``: any namespace/name the seed did not make), or when it is of
a seeded definition (any version of a seeded namespace/name) and a worker has registered for one
of its WORKER steps (that worker then takes the step over; the seeded definition's other WORKER
steps stay simulated). Every other process keeps the seeded,
clock-driven simulation of ``console.mock.store`` and ``console.mock.steps``.

A live process keeps a record per step it reached (``LiveStep``), in the order they began.
``Engine.drive`` walks the definition from the top every time something happened (a start, a
worker's result, a timer, a resume) and moves on as far as it can: it is idempotent, so a drive
too many changes nothing. What each step type does is the table in docs/mock.md.

Step ids are ``processId * 100 + index`` (index: depth-first position in the definition), as
for seeded processes, so ``api/process/stepContext/{id}`` finds both kinds the same way.
"""

from __future__ import annotations

import heapq
import random
from typing import TYPE_CHECKING, Any

from console.mock import payloads
from console.mock.live import DEFAULT_WAIT_SECONDS, DONE, STEP_ID_FACTOR, STOPPED, Live, LiveStep, retries
from console.mock.mapping import resolve
from console.mock.seed import search_text
from console.mock.workers import WorkerHub, queue_of

if TYPE_CHECKING:
    from console.mock.store import MockStore


class Engine:
    """Runs the store's live processes; ``hub`` is who polls for work."""

    def __init__(self, store: MockStore) -> None:
        self.store = store
        self.hub = WorkerHub()
        self._timers: list[tuple[int, int]] = []  # (when, processId)
        self.live_ids: set[int] = set()  # the live processes that are RUNNING

    # ---------------------------------------------------------------- which processes are live
    def seeded(self, info: dict[str, Any]) -> bool:
        """Whether a definition is one of the seeded ones (any version of their names)."""
        return (info["defn"]["namespace"], info["defn"]["name"]) in self.store.seeded_names

    def wants(self, info: dict[str, Any]) -> bool:
        """Whether a new process of this definition runs live."""
        return not self.seeded(info) or any(
            self.hub.is_registered(queue_of(info["flat"][i][0])) for i in info["workers"])

    def start(self, p: dict[str, Any], info: dict[str, Any], now: int) -> None:
        p["_live"] = Live(info, seeded=self.seeded(info))
        p["_run"] = None
        self.live_ids.add(p["processId"])
        self.drive(p, now)

    def adopt(self, p: dict[str, Any], records: list[dict[str, Any]]) -> None:
        """Make a seeded process live from its simulated records (to resume it with real workers)."""
        live = Live(self.store.info(p), seeded=True)
        for rec in records:
            idx = rec["id"] % STEP_ID_FACTOR
            live.steps[idx] = LiveStep(idx, rec["status"], rec["input"], rec["schedule"],
                                       rec["output"], rec["start"], rec["updated"],
                                       executions=list(rec["executionList"]), worker=rec["workerId"])
        for i, kids in live.kids.items():  # a SWITCH runs again the case it ran
            if i in live.steps and live.sdef(i)["type"] == "SWITCH":
                live.steps[i].chosen = next((k for k in kids if k in live.steps
                                             and live.steps[k].status != "SKIPPED"), None)
        p["_live"] = live
        p["_run"] = None

    # ---------------------------------------------------------------- driving
    def tick(self, now: int) -> None:
        timers = self._timers
        while timers and timers[0][0] <= now:
            _, pid = heapq.heappop(timers)
            p = self.store.processes.get(pid)
            if p is not None and p.get("_live") and p["status"] == "RUNNING":
                self.drive(p, now)

    def _timer(self, p: dict[str, Any], when: int) -> None:
        heapq.heappush(self._timers, (when, p["processId"]))

    def drive(self, p: dict[str, Any], now: int) -> None:
        """Move ``p`` on as far as it can go now; end it when its steps are done or one failed."""
        live: Live = p["_live"]
        outcome = self._sequence(p, live, live.kids.get(-1, []), now)
        if outcome != "running":
            self._end(p, live, outcome, now)

    def _sequence(self, p: dict[str, Any], live: Live, kids: list[int], now: int) -> str:
        for k in kids:
            outcome = self._step(p, live, k, now)
            if outcome != "done":
                return outcome
        return "done"

    def _step(self, p: dict[str, Any], live: Live, i: int, now: int) -> str:
        """``done``, ``running``, ``failed`` or ``exit`` for step ``i`` (begun if it was not)."""
        rec = live.steps.get(i) or self._begin(p, live, i, now)
        sdef = live.sdef(i)
        if rec.status in DONE:
            return "exit" if rec.ended else "done"
        if rec.status in STOPPED:
            return "done" if sdef["optional"] else "failed"
        kids = live.kids.get(i)
        if not kids:
            if rec.due is not None and rec.due <= now:
                self._timer_fired(p, live, rec, now)
                return self._step(p, live, i, now)
            return "running"
        if sdef["type"] == "PARALLEL":
            outcomes = [self._step(p, live, k, now) for k in kids]
            outcome = next((o for o in ("failed", "exit", "running") if o in outcomes), "done")
            output = {live.sdef(k)["ref"]: live.steps[k].output for k in kids}
        elif sdef["type"] == "SWITCH":
            outcome = self._step(p, live, rec.chosen, now) if rec.chosen is not None else "done"
            output = {"selectedCase": live.sdef(rec.chosen)["ref"] if rec.chosen is not None else None}
        else:
            outcome = self._sequence(p, live, kids, now)
            ran = [live.steps[k] for k in kids if k in live.steps and live.steps[k].status != "SKIPPED"]
            output = ran[-1].output if ran else {}
        if outcome in ("done", "exit"):
            self._finish(rec, "COMPLETED", output, now)
            rec.ended = outcome == "exit"
        elif outcome == "failed":
            self._finish(rec, "FAILED", {}, now)
        return outcome

    def _begin(self, p: dict[str, Any], live: Live, i: int, now: int) -> LiveStep:
        sdef = live.sdef(i)
        kind = sdef["type"]
        rec = LiveStep(i, "RUNNING", self._input(p, live, i), now, start=now, updated=now)
        live.steps[i] = rec
        kids = live.kids.get(i)
        if kids:
            if kind == "SWITCH":
                case = str(rec.input.get("case", ""))
                refs = {live.sdef(k)["ref"]: k for k in kids}
                rec.chosen = refs.get(case, refs.get("default"))
                if live.seeded and rec.chosen is None:
                    rec.chosen = kids[(p["_r"] >> 3) % len(kids)]
                for k in kids:
                    if k != rec.chosen:
                        live.steps[k] = LiveStep(k, "SKIPPED", {}, now, updated=now)
            return rec
        if kind == "WORKER" and (not live.seeded or self.hub.is_registered(queue_of(sdef))):
            rec.real, rec.status, rec.start = True, "SCHEDULED", 0
            self._new_attempt(p, rec, sdef, now)
        elif kind == "WAIT":
            seconds = rec.input.get("waitSeconds", (sdef.get("configuration") or {}).get("waitSeconds"))
            if (live.seeded or not isinstance(seconds, (int, float)) or isinstance(seconds, bool)
                    or seconds < 0):  # a seeded WAIT's generated minutes would stall a dev run
                seconds = DEFAULT_WAIT_SECONDS
            rec.due = now + int(seconds * 1000)
            self._timer(p, rec.due)
        elif kind == "FAIL":
            message = rec.input.get("message") or rec.input.get("error") or f"FAIL step {sdef['ref']}"
            self._finish(rec, "FAILED", {"error": str(message)}, now)
        else:
            rec.ended = kind == "EXIT"
            self._finish(rec, "COMPLETED", self._simulated_output(p, live, i, rec), now)
            rec.executions.append(self._execution(p, rec, sdef, now, executor="meshdeck-mock",
                                                  output=rec.output, runs=1))
        return rec

    def _input(self, p: dict[str, Any], live: Live, i: int) -> dict[str, Any]:
        sdef = live.sdef(i)
        if live.seeded:
            return payloads.step_input(sdef, p["input"], self._r(p, i))
        resolved = resolve(sdef.get("input") or {}, self.scope(p, live))
        return resolved if isinstance(resolved, dict) else {"value": resolved}

    def scope(self, p: dict[str, Any], live: Live) -> dict[str, Any]:
        steps = {live.sdef(i)["ref"]: {"id": p["processId"] * STEP_ID_FACTOR + i, "input": s.input,
                                       "output": s.output, "status": s.status}
                 for i, s in live.steps.items()}
        context = {"input": p["input"], "processId": p["processId"], "requestId": p["requestId"],
                   "correlationId": p["correlationId"], "state": p["state"]}
        return {"context": context, "steps": steps}

    def _r(self, p: dict[str, Any], i: int) -> int:
        return random.Random(p["_r"] * 131 + i).getrandbits(64)

    def _simulated_output(self, p: dict[str, Any], live: Live, i: int, rec: LiveStep) -> dict[str, Any]:
        sdef = live.sdef(i)
        kind = sdef["type"]
        if live.seeded:
            return payloads.step_output(sdef, self._r(p, i))
        if kind in ("NOOP", "EXIT"):
            return dict(rec.input)
        note = {"mock": f"the mock does not run {kind} steps (see docs/mock.md)"}
        if kind == "HTTP":
            return {"statusCode": 200, "response": {}, **note}
        if kind in ("JAVASCRIPT", "PYTHON", "JQ"):
            return {"result": None, **note}
        return note

    def _timer_fired(self, p: dict[str, Any], live: Live, rec: LiveStep, now: int) -> None:
        rec.due = None
        if rec.real:  # a rescheduled worker step: back in its queue
            rec.status, rec.updated = "SCHEDULED", now
            self.hub.push(queue_of(live.sdef(rec.idx)), p["processId"], rec.idx)
        else:  # a WAIT ends
            self._finish(rec, "COMPLETED", {"waitedSeconds": round((now - rec.start) / 1000, 3)}, now)

    @staticmethod
    def _finish(rec: LiveStep, status: str, output: dict[str, Any], now: int) -> None:
        rec.status, rec.output, rec.updated, rec.due = status, output, now, None
        if rec.executions and rec.executions[-1]["updated"] < now:
            rec.executions[-1]["updated"] = now

    def _end(self, p: dict[str, Any], live: Live, outcome: str, now: int) -> None:
        info = live.info
        if outcome == "failed":
            failed = [s for s in live.steps.values()
                      if s.status in ("FAILED", "TIMED_OUT") and not live.kids.get(s.idx)]
            last = max(failed, key=lambda s: s.updated) if failed else None
            self._cancel(live, now, "another step failed")
            status = "TIMED_OUT" if last is not None and last.status == "TIMED_OUT" else "FAILED"
            out = dict(last.output) if last else {}
            error = out.get("error") or out.get("lastError") or out.get("errorMessage")
            p["output"] = {**out, "error": str(error or f"step {status}"),
                           "failedStep": live.sdef(last.idx)["ref"] if last else None}
            p["_fail"] = last.idx if last else -1
        else:
            status = "COMPLETED"
            self._cancel(live, now, "the process ended at an EXIT step")  # other branches
            mapping = info["defn"].get("outputMapping")
            exits = [s for s in live.steps.values() if s.ended and not live.kids.get(s.idx)]
            if mapping:
                p["output"] = resolve(mapping, self.scope(p, live))
            elif exits:
                p["output"] = dict(exits[0].output)
            elif live.seeded:
                p["output"] = payloads.make_output(info["kind"], p["_r"] >> 3, p["input"])
            else:
                top = [live.steps[k] for k in live.kids.get(-1, []) if k in live.steps]
                p["output"] = dict(top[-1].output) if top else {}
        p["updated"] = now
        self.store._set_status(p, status)
        p["_text"] = search_text(p)
        self.live_ids.discard(p["processId"])

    def _cancel(self, live: Live, now: int, reason: str) -> None:
        for rec in live.steps.values():
            if rec.status in ("RUNNING", "SCHEDULED"):
                self._finish(rec, "CANCELLED", {"reason": reason}, now)

    # ---------------------------------------------------------------- actions
    def terminate(self, p: dict[str, Any], reason: str, now: int) -> None:
        self._cancel(p["_live"], now, reason)
        self.live_ids.discard(p["processId"])

    def resume(self, p: dict[str, Any], now: int) -> None:
        """Run the stopped steps again: a worker step goes back to its queue (with a fresh retry
        budget), any other leaf starts over, its containers run again."""
        live: Live = p["_live"]
        for i, rec in list(live.steps.items()):
            if rec.status not in STOPPED:
                continue
            sdef = live.sdef(i)
            if live.kids.get(i):
                rec.status, rec.updated = "RUNNING", now
            elif sdef["type"] == "WORKER" and (not live.seeded or self.hub.is_registered(queue_of(sdef))):
                rec.real, rec.status, rec.tries, rec.updated = True, "SCHEDULED", 0, now
                self._new_attempt(p, rec, sdef, now)
            else:
                del live.steps[i]
        p["output"] = {}
        self.live_ids.add(p["processId"])
        self.drive(p, now)

    # ---------------------------------------------------------------- workers
    def _new_attempt(self, p: dict[str, Any], rec: LiveStep, sdef: dict[str, Any], now: int) -> None:
        rec.executions.append(self._execution(p, rec, sdef, now))
        self.hub.push(queue_of(sdef), p["processId"], rec.idx)

    def _execution(self, p: dict[str, Any], rec: LiveStep, sdef: dict[str, Any], now: int,
                   executor: str | None = None, output: dict[str, Any] | None = None,
                   runs: int = 0) -> dict[str, Any]:
        sid = p["processId"] * STEP_ID_FACTOR + rec.idx
        start = now if executor else 0
        return {"id": sid * 1000 + len(rec.executions), "scheduled": now, "polled": start,
                "start": start, "updated": now, "executor": executor, "ref": sdef["ref"],
                "runs": runs, "output": output or {}}

    def hand_out(self, p: dict[str, Any], idx: int, host: str, now: int) -> dict[str, Any] | None:
        """The WorkRequest for step ``idx`` of ``p``, now RUNNING on ``host``; None when that step
        no longer waits for a worker (terminated, or taken already)."""
        live = p.get("_live")
        rec = live.steps.get(idx) if live else None
        if rec is None or p["status"] != "RUNNING" or rec.status != "SCHEDULED" or not rec.real:
            return None
        sdef = live.sdef(idx)
        attempt = rec.executions[-1]
        attempt["polled"], attempt["executor"], attempt["updated"] = now, host, now
        attempt["start"] = attempt["start"] or now
        attempt["runs"] += 1
        rec.status, rec.worker, rec.updated = "RUNNING", host, now
        rec.start = rec.start or now
        sid = p["processId"] * STEP_ID_FACTOR + idx
        return {"processId": p["processId"], "stepId": sid, "stepExecutionId": attempt["id"],
                "runCount": attempt["runs"], "shardInstanceId": p["shardInstanceId"],
                "stepName": sdef["name"], "stepNamespace": sdef["namespace"], "stepRef": sdef["ref"],
                "inputParam": rec.input, "isOptional": bool(sdef["optional"]), "polled": now,
                "scheduled": attempt["scheduled"], "updated": now, "priority": 0}

    def report(self, p: dict[str, Any], idx: int, status: str, output: dict[str, Any],
               reschedule_seconds: Any, now: int) -> str | None:
        """Apply one worker result; an error message when the step is not waiting for one."""
        live = p.get("_live")
        rec = live.steps.get(idx) if live else None
        if (rec is None or not rec.real or p["status"] != "RUNNING" or rec.status != "RUNNING"
                or rec.due is not None):
            return "Invalid request, step is not in RUNNING state"
        attempt = rec.executions[-1]
        attempt["output"], attempt["updated"] = output, now
        sdef = live.sdef(idx)
        if status == "RUNNING":  # still working: poll it again after the delay the worker asked
            rec.output, rec.updated = output, now
            try:
                delay = max(0.0, float(reschedule_seconds or 0))
            except (TypeError, ValueError):
                delay = 0.0
            rec.due = now + int(delay * 1000)
            if rec.due <= now:
                self._timer_fired(p, live, rec, now)
            else:
                self._timer(p, rec.due)
            return None
        if status == "COMPLETED":
            self._finish(rec, "COMPLETED", output, now)
        else:
            rec.tries += 1
            if rec.tries <= retries(sdef):
                rec.output, rec.status, rec.updated = output, "SCHEDULED", now
                self._new_attempt(p, rec, sdef, now)
                return None
            self._finish(rec, "TIMED_OUT" if status == "TIMED_OUT" else "FAILED", output, now)
        self.drive(p, now)
        return None

    # ---------------------------------------------------------------- records
    def records(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        live: Live = p["_live"]
        return [self.record(p, live, rec) for rec in live.steps.values()]

    def record(self, p: dict[str, Any], live: Live, rec: LiveStep) -> dict[str, Any]:
        """The StepData of one record."""
        pid = p["processId"]
        sdef = live.sdef(rec.idx)
        parent = live.info["flat"][rec.idx][1]
        return {
            "id": pid * STEP_ID_FACTOR + rec.idx, "processId": pid, "ref": sdef["ref"],
            "parentId": pid * STEP_ID_FACTOR + parent if parent >= 0 else None,
            "parentRef": live.sdef(parent)["ref"] if parent >= 0 else None,
            "namespace": sdef["namespace"], "name": sdef["name"], "type": sdef["type"],
            "stepDefinitionHistoryId": 50_000 + live.info["index"] * 1000 + p["version"] * 100 + rec.idx,
            "status": rec.status, "input": rec.input, "output": rec.output, "workerId": rec.worker,
            "start": rec.start, "schedule": rec.schedule, "priority": 0, "updated": rec.updated,
            "optional": bool(sdef["optional"]), "executionList": [dict(e) for e in rec.executions],
        }
