"""Lazy step records: built on demand from a process summary and its definition, deterministically.

A process's steps come from ``random.Random(seed * 1_000_003 + processId)``; nothing per step is
stored (a live process keeps its own records: ``console.mock.engine``). Step ids are ``processId * 100 + index`` where
index is the step's position in the depth-first flattening of the definition.
"""

from __future__ import annotations

import random
from typing import Any

from console.mock import payloads
from console.mock.seed import TERMINAL_STEP

STEP_ID_FACTOR = 100
EXECUTORS = ["unmeshed-server-0", "unmeshed-server-1", "unmeshed-server-2"]


def step_id(process_id: int, index: int) -> int:
    return process_id * STEP_ID_FACTOR + index


def current_index(p: dict[str, Any], n: int, now: int) -> int:
    """Index of the step a RUNNING process is on."""
    run = p["_run"]
    if not run:
        return max(p["_fail"], 0)
    start, end, frm = run
    frac = 0.0 if end <= start else min(max((now - start) / (end - start), 0.0), 0.999)
    return min(frm + int(frac * (n - frm)), n - 1)


def plan(p: dict[str, Any], info: dict[str, Any], now: int) -> list[tuple[int, str]]:
    """``[(flat index, step status)]`` of the step records a process has at time ``now``."""
    flat = info["flat"]
    n = len(flat)
    status = p["status"]
    if status == "COMPLETED":
        stop, stop_status = n, None
    elif status == "RUNNING":
        stop = current_index(p, n, now)
        stop_status = "RUNNING"
    else:
        stop = max(p["_fail"], 0)
        stop_status = TERMINAL_STEP.get(p["_prev"] or status, "FAILED")
    ancestors: set[int] = set()
    if stop < n:
        a = flat[stop][1]
        while a >= 0:
            ancestors.add(a)
            a = flat[a][1]
    # SWITCH: one case runs, the others are skipped
    skipped: set[int] = set()
    r = p["_r"]
    for i, (s, _) in enumerate(flat):
        if s["type"] == "SWITCH" and s["children"]:
            kids = [j for j, (_, par) in enumerate(flat) if par == i]
            chosen = next((k for k in kids if k in ancestors or k == stop), kids[(r >> 3) % len(kids)])
            for k in kids:
                if k != chosen:
                    skipped.update(_subtree(flat, k))
    out: list[tuple[int, str]] = []
    for i in range(min(stop + 1, n)):
        if i == stop:
            out.append((i, stop_status or "COMPLETED"))
        elif i in ancestors:
            out.append((i, "RUNNING" if status == "RUNNING" else stop_status or "COMPLETED"))
        elif i in skipped:
            out.append((i, "SKIPPED"))
        else:
            out.append((i, "COMPLETED"))
    return out


def _subtree(flat: list, root: int) -> list[int]:
    out = [root]
    for j in range(root + 1, len(flat)):
        par = flat[j][1]
        if par in out:
            out.append(j)
    return out


def step_ids(p: dict[str, Any], info: dict[str, Any], now: int) -> list[dict[str, Any]]:
    pid = p["processId"]
    flat = info["flat"]
    return [{"id": step_id(pid, i), "processId": pid, "ref": flat[i][0]["ref"]} for i, _ in plan(p, info, now)]


def build_steps(p: dict[str, Any], info: dict[str, Any], seed: int, now: int) -> list[dict[str, Any]]:
    """Full StepData records (wire-shaped) for one process."""
    pid = p["processId"]
    rng = random.Random(seed * 1_000_003 + pid)
    flat = info["flat"]
    planned = plan(p, info, now)
    created = p["created"]
    end = p.get("_ended") or p["updated"] if p["status"] != "RUNNING" else max(now, created)
    span = max(end - created, len(planned) * 5)
    slot = span / max(len(planned), 1)
    outs = p["_outs"] or {}
    records: list[dict[str, Any]] = []
    for pos, (i, st) in enumerate(planned):
        sdef, parent = flat[i]
        r = rng.getrandbits(64)
        sched = created + int(pos * slot)
        start = sched + (r % 40)
        done = st in ("COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED")
        upd = min(sched + max(int(slot), 1), end) if done else now
        sid = step_id(pid, i)
        if st == "SKIPPED":
            output: dict[str, Any] = {}
        elif i in outs:
            output = outs[i]
        elif st in ("FAILED", "TIMED_OUT") and p["_fail"] == i:
            output = {k: v for k, v in p["output"].items() if k != "failedStep"} or {"error": "step failed"}
        elif st == "COMPLETED":
            selected = None
            if sdef["type"] == "SWITCH":
                selected = next((flat[j][0]["ref"] for j, s2 in planned if flat[j][1] == i and s2 != "SKIPPED"),
                                None)
            output = payloads.step_output(sdef, r, selected)
        elif st == "CANCELLED":
            output = {"reason": "process stopped before the step finished"}
        else:
            output = {}
        retryable = sdef["type"] in ("HTTP", "WORKER")
        if st in ("FAILED", "TIMED_OUT") and not sdef["children"]:
            runs = 3
        elif st == "COMPLETED" and retryable and r % 7 == 0:
            runs = 2 + (r >> 8) % 2
        else:
            runs = 1 if st not in ("SKIPPED", "SCHEDULED") else 0
        execs = []
        for a in range(runs):
            a_sched = sched + int(a * (upd - sched) / max(runs, 1))
            last = a == runs - 1
            if last:
                a_out = output
            else:
                a_out = {"error": payloads.error_message(sdef, r >> (a + 3)), "attempt": a + 1}
            execs.append({"id": sid * 10 + a, "scheduled": a_sched, "polled": a_sched + 3,
                          "start": a_sched + 5, "updated": upd if last else a_sched + 800,
                          "executor": (f"{payloads.step_service(sdef)}-worker-{(r >> 12) % 4}"
                                       if sdef["type"] == "WORKER" else EXECUTORS[(r >> 14) % 3]),
                          "ref": sdef["ref"], "runs": a + 1, "output": a_out})
        records.append({
            "id": sid, "processId": pid, "ref": sdef["ref"],
            "parentId": step_id(pid, parent) if parent >= 0 else None,
            "parentRef": flat[parent][0]["ref"] if parent >= 0 else None,
            "namespace": sdef["namespace"], "name": sdef["name"], "type": sdef["type"],
            "stepDefinitionHistoryId": 50_000 + info["index"] * 1000 + p["version"] * 100 + i,
            "status": st, "input": payloads.step_input(sdef, p["input"], r) if st != "SKIPPED" else {},
            "output": output,
            "workerId": (execs[-1]["executor"] if execs and sdef["type"] == "WORKER" else None),
            "start": start if st not in ("SKIPPED", "SCHEDULED") else 0, "schedule": sched,
            "priority": 0, "updated": upd, "optional": bool(sdef["optional"]), "executionList": execs,
        })
    # containers end when their last child ends
    by_id = {rec["id"]: rec for rec in records}
    for rec in reversed(records):
        if rec["parentId"] in by_id:
            parent_rec = by_id[rec["parentId"]]
            if parent_rec["status"] != "RUNNING":
                parent_rec["updated"] = max(parent_rec["updated"], rec["updated"])
    return records
