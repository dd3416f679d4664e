"""The mock's store seen through Conductor's eyes: ids, statuses, shapes and action semantics.

The Conductor mock (``console.mock.conductor_app``) serves the SAME ``MockStore`` as the Unmeshed
mock, so one seeded data set can be driven in either dialect. This module translates:

- ids: a workflow id is a UUID-shaped text whose first 8 hex digits are the store's process id
  (``000f4268-…``); a task id carries the process id and the step index the same way.
- workflow statuses (Conductor has six): RUNNING, COMPLETED, FAILED, TIMED_OUT, TERMINATED and
  PAUSED pass through; CANCELLED shows as TERMINATED; REVIEWED (an Unmeshed-only state) shows as
  the status it had before it was reviewed (CANCELLED again as TERMINATED).
- task statuses: PENDING/SCHEDULED -> SCHEDULED, RUNNING/PAUSED -> IN_PROGRESS,
  CANCELLED -> CANCELED (Conductor's spelling); COMPLETED, FAILED, TIMED_OUT, SKIPPED pass.
- task types: WORKER -> SIMPLE, PARALLEL -> FORK_JOIN, FOREACH/LIST -> DO_WHILE,
  SUB_PROCESS -> SUB_WORKFLOW, JAVASCRIPT/PYTHON -> INLINE, JQ -> JSON_JQ_TRANSFORM, ...
  Children of a fork, switch or loop are named in the container's ``workflowTask``
  (``forkTasks``, ``decisionCases``, ``loopOver``), as Conductor does; children of a
  sub-workflow carry ``parentTaskId`` (Orkes' field), since the mock has no separate child run.

Actions follow Conductor: pause RUNNING; resume PAUSED; retry FAILED/TIMED_OUT/TERMINATED from the
failed task; restart and rerun any terminal workflow from the start (rerun: from
``reRunFromTaskId`` if given) keeping its id; terminate RUNNING or PAUSED.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from console.mock.seed import search_text
from console.mock.steps import STEP_ID_FACTOR, current_index
from console.mock.store import MockStore

WORKFLOW_STATUSES = ("RUNNING", "COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED", "PAUSED")
TERMINAL = frozenset({"COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED"})
_FROM_STORE = {"CANCELLED": "TERMINATED"}
TASK_STATUS = {"PENDING": "SCHEDULED", "SCHEDULED": "SCHEDULED", "RUNNING": "IN_PROGRESS",
               "PAUSED": "IN_PROGRESS", "CANCELLED": "CANCELED", "COMPLETED": "COMPLETED",
               "FAILED": "FAILED", "TIMED_OUT": "TIMED_OUT", "SKIPPED": "SKIPPED"}
TASK_TYPE = {"WORKER": "SIMPLE", "HTTP": "HTTP", "WAIT": "WAIT", "FAIL": "TERMINATE",
             "PYTHON": "INLINE", "JAVASCRIPT": "INLINE", "JQ": "JSON_JQ_TRANSFORM",
             "NOOP": "SET_VARIABLE", "PARALLEL": "FORK_JOIN", "FOREACH": "DO_WHILE",
             "LIST": "DO_WHILE", "SWITCH": "SWITCH", "SUB_PROCESS": "SUB_WORKFLOW",
             "EXIT": "TERMINATE", "SCHEDULER": "WAIT"}
_ID = re.compile(r"^([0-9a-f]{8})-([0-9a-f]{4})-4([0-9a-f]{3})-([89ab][0-9a-f]{3})-([0-9a-f]{12})$")


class Conflict(Exception):
    """An action that does not apply to the workflow's state (answered as 409)."""


# ----------------------------------------------------------------------------- ids
def _tail(pid: int, idx: int) -> tuple[int, int, int]:
    h = (pid * 2_654_435_761 + idx * 40_503 + 97) & 0xFFFF_FFFF_FFFF
    return (h >> 20) & 0xFFF, 0x8000 | (h & 0x3FFF), h


def workflow_id(pid: int) -> str:
    a, b, c = _tail(pid, 0xFFFF)
    return f"{pid:08x}-0000-4{a:03x}-{b:04x}-{c:012x}"


def task_id(pid: int, idx: int) -> str:
    a, b, c = _tail(pid, idx)
    return f"{pid:08x}-{idx + 1:04x}-4{a:03x}-{b:04x}-{c:012x}"


def parse_workflow_id(text: Any) -> int | None:
    m = _ID.match(str(text).strip().lower())
    if not m or m.group(2) != "0000":
        return None
    pid = int(m.group(1), 16)
    return pid if workflow_id(pid) == m.group(0) else None


def parse_task_id(text: Any) -> tuple[int, int] | None:
    m = _ID.match(str(text).strip().lower())
    if not m or m.group(2) == "0000":
        return None
    pid, idx = int(m.group(1), 16), int(m.group(2), 16) - 1
    return (pid, idx) if task_id(pid, idx) == m.group(0) else None


# ----------------------------------------------------------------------------- statuses
def workflow_status(p: dict[str, Any]) -> str:
    status = p["status"]
    if status == "REVIEWED":
        status = p.get("_prev") or "FAILED"
    return _FROM_STORE.get(status, status)


def store_statuses(wanted: set[str]) -> set[str]:
    """Store statuses that may show as one of ``wanted`` (REVIEWED needs a second look)."""
    out = set(wanted)
    if "TERMINATED" in wanted:
        out.add("CANCELLED")
    if wanted & {"FAILED", "TIMED_OUT", "TERMINATED"}:
        out.add("REVIEWED")
    return out


def iso(ms: int | None) -> str | None:
    if not ms:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


# ----------------------------------------------------------------------------- shapes
def _error_of(output: Any) -> str | None:
    if isinstance(output, dict):
        for key in ("error", "errorMessage", "reason"):
            if isinstance(output.get(key), str):
                return output[key]
    return None


def summary(store: MockStore, p: dict[str, Any]) -> dict[str, Any]:
    """A WorkflowSummary (search result row): times as ISO text, input/output as JSON text."""
    status = workflow_status(p)
    failed = (p["output"] or {}).get("failedStep") if isinstance(p["output"], dict) else None
    end = p.get("_ended") or p["updated"] if status in TERMINAL else None
    return {
        "workflowType": p["name"], "version": p["version"], "workflowId": workflow_id(p["processId"]),
        "correlationId": p["correlationId"], "startTime": iso(p["created"]),
        "updateTime": iso(p["updated"]), "endTime": iso(end), "status": status,
        "input": json.dumps(p["input"]), "output": json.dumps(p["output"]),
        "reasonForIncompletion": _error_of(p["output"]) if status in ("FAILED", "TIMED_OUT", "TERMINATED") else None,
        "executionTime": (end - p["created"]) if end else 0, "event": "",
        "failedReferenceTaskNames": failed or "", "failedTaskNames": [failed] if failed else [],
        "priority": 0, "createdBy": p["createdBy"],
    }


def _workflow_task(sdef: dict[str, Any]) -> dict[str, Any]:
    """A WorkflowTask (definition of one task) from a store step definition, children included."""
    kind = TASK_TYPE.get(sdef.get("type") or "", "SIMPLE")
    wt: dict[str, Any] = {"name": sdef["name"], "taskReferenceName": sdef["ref"], "type": kind,
                          "optional": bool(sdef.get("optional")), "inputParameters": {},
                          "description": sdef.get("description")}
    kids = [_workflow_task(c) for c in sdef.get("children") or []]
    if kind == "FORK_JOIN":
        wt["forkTasks"] = [[k] for k in kids]
    elif kind == "SWITCH":
        wt["evaluatorType"], wt["expression"] = "value-param", "switchCaseValue"
        wt["decisionCases"] = {f"case_{i}": [k] for i, k in enumerate(kids)}
    elif kind == "DO_WHILE":
        wt["loopOver"] = kids
        wt["loopCondition"] = "false"
    elif kind == "SUB_WORKFLOW":
        wt["subWorkflowParam"] = {"name": sdef["name"], "version": 1}
    return wt


def tasks(store: MockStore, p: dict[str, Any], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The workflow's tasks in Conductor's shape, from the store's step records."""
    info = store.info(p)
    flat = info["flat"]
    status = workflow_status(p)
    by_id = {r["id"]: r for r in records}
    out = []
    for seq, r in enumerate(records, start=1):
        idx = r["id"] % STEP_ID_FACTOR
        sdef = flat[idx][0] if idx < len(flat) else {"name": r["name"], "ref": r["ref"], "type": r["type"]}
        t_status = TASK_STATUS.get(r["status"] or "", "SCHEDULED")
        if status == "PAUSED" and t_status in ("FAILED", "CANCELED"):
            t_status = "IN_PROGRESS"  # paused: the task it stopped on is still in progress
        done = t_status not in ("SCHEDULED", "IN_PROGRESS")
        attempts = len(r.get("executionList") or []) or 1
        task = {
            "taskId": task_id(p["processId"], idx), "taskType": TASK_TYPE.get(r["type"] or "", "SIMPLE"),
            "status": t_status, "referenceTaskName": r["ref"], "taskDefName": r["name"], "seq": seq,
            "inputData": r.get("input") or {}, "outputData": r.get("output") or {},
            "retryCount": attempts - 1, "pollCount": attempts if sdef.get("type") == "WORKER" else 0,
            "scheduledTime": r.get("schedule") or 0, "startTime": r.get("start") or 0,
            "endTime": (r.get("updated") or 0) if done else 0, "updateTime": r.get("updated") or 0,
            "workflowInstanceId": workflow_id(p["processId"]), "workflowType": p["name"],
            "correlationId": p["correlationId"], "workerId": r.get("workerId"),
            "reasonForIncompletion": _error_of(r.get("output")) if t_status in ("FAILED", "TIMED_OUT") else None,
            "workflowTask": _workflow_task(sdef), "iteration": 0, "retried": False, "executed": done,
            "callbackAfterSeconds": 0, "responseTimeoutSeconds": 3600, "workflowPriority": 0,
        }
        parent = by_id.get(r.get("parentId"))
        if parent is not None and parent["type"] == "SUB_PROCESS":
            task["parentTaskId"] = task_id(p["processId"], parent["id"] % STEP_ID_FACTOR)
        out.append(task)
    return out


def workflow(store: MockStore, p: dict[str, Any], include_tasks: bool) -> dict[str, Any]:
    """A Workflow (``GET /workflow/{id}``)."""
    status = workflow_status(p)
    data = store.public(p, include_steps=include_tasks)
    failed = (p["output"] or {}).get("failedStep") if isinstance(p["output"], dict) else None
    return {
        "workflowId": workflow_id(p["processId"]), "workflowName": p["name"],
        "workflowVersion": p["version"], "status": status, "correlationId": p["correlationId"],
        "input": p["input"] or {}, "output": p["output"] or {}, "createTime": p["created"],
        "startTime": p["created"], "updateTime": p["updated"],
        "endTime": p.get("_ended") or p["updated"] if status in TERMINAL else 0,
        "createdBy": p["createdBy"],
        "ownerApp": p["namespace"], "priority": 0, "variables": {}, "taskToDomain": {},
        "reasonForIncompletion": _error_of(p["output"]) if status in ("FAILED", "TIMED_OUT", "TERMINATED") else None,
        "failedReferenceTaskNames": [failed] if failed else [], "failedTaskNames": [failed] if failed else [],
        "tasks": tasks(store, p, data["stepRecords"]) if include_tasks else [],
        "lastRetriedTime": 0, "rateLimited": False,
    }


def definition(store: MockStore, d: dict[str, Any]) -> dict[str, Any]:
    """A WorkflowDef from a store process definition."""
    return {
        "name": d["name"], "version": d["version"], "description": d.get("description"),
        "ownerApp": d["namespace"], "createTime": d.get("created"), "updateTime": d.get("updated"),
        "createdBy": d.get("createdBy"), "updatedBy": d.get("updatedBy"), "schemaVersion": 2,
        "restartable": True, "timeoutPolicy": "ALERT_ONLY",
        "timeoutSeconds": int(((d.get("configuration") or {}).get("completionTimeout") or 0) / 1000),
        "inputParameters": sorted((d.get("defaultInput") or {}).keys()), "outputParameters": {},
        "tasks": [_workflow_task(s) for s in d.get("steps") or []], "ownerEmail": d.get("createdBy"),
        "workflowStatusListenerEnabled": False, "variables": {}, "inputTemplate": {},
    }


# ----------------------------------------------------------------------------- actions
def _get(store: MockStore, wid: Any) -> dict[str, Any]:
    from console.mock.store import NotFound

    pid = parse_workflow_id(wid)
    p = store.processes.get(pid) if pid is not None else None
    if p is None:
        raise NotFound(f"No such workflow found by id: {wid}")
    return p


def _restart_from(store: MockStore, p: dict[str, Any], idx: int, now: int) -> None:
    p["_prev"], p["_final"], p["output"] = None, "COMPLETED", {}
    store._run_from(p, max(idx, 0), now)
    p["_text"] = search_text(p)


def act(store: MockStore, action: str, wid: Any, *, reason: str | None = None,
        rerun: dict[str, Any] | None = None) -> str:
    """Do ``action`` to one workflow; returns its id, raises NotFound or Conflict."""
    p = _get(store, wid)
    now = store.tick()
    status = workflow_status(p)
    if action == "terminate":
        if status not in ("RUNNING", "PAUSED"):
            raise Conflict(f"Workflow is in terminal state {status}; cannot terminate it")
        if p["status"] == "RUNNING":
            store.terminate([p["processId"]], reason)
        else:
            p["output"] = {**(p["output"] or {}), "reason": reason or "terminated"}
            p["updated"] = now
            store._set_status(p, "TERMINATED")
    elif action == "pause":
        if status != "RUNNING":
            raise Conflict(f"Workflow is {status}; only a RUNNING workflow can be paused")
        p["_fail"] = current_index(p, len(store.info(p)["flat"]), now)
        store._unpark(p)
        p["_run"], p["updated"] = None, now
        store._set_status(p, "PAUSED")
    elif action == "resume":
        if status != "PAUSED":
            raise Conflict(f"Workflow is {status}; only a PAUSED workflow can be resumed "
                           "(use retry for a FAILED one)")
        store._run_from(p, max(p["_fail"], 0), now)
    elif action == "retry":
        if status not in ("FAILED", "TIMED_OUT", "TERMINATED"):
            raise Conflict(f"Workflow is {status}; only FAILED, TIMED_OUT or TERMINATED "
                           "workflows can be retried")
        _restart_from(store, p, p["_fail"], now)
    elif action in ("restart", "rerun"):
        if status not in TERMINAL:
            raise Conflict(f"Workflow is {status}; only a workflow in a terminal state can be "
                           f"{'restarted' if action == 'restart' else 'rerun'}")
        idx = 0
        if rerun:
            if isinstance(rerun.get("workflowInput"), dict):
                p["input"] = rerun["workflowInput"]
            found = parse_task_id(rerun.get("reRunFromTaskId") or "")
            if found and found[0] == p["processId"]:
                idx = found[1]
        p["_fail"], p["_outs"] = -1, None
        _restart_from(store, p, idx, now)
    else:
        raise ValueError(action)
    p["_text"] = search_text(p)
    return workflow_id(p["processId"])


def bulk(store: MockStore, action: str, ids: Any, reason: str | None = None) -> dict[str, Any]:
    """A BulkResponse: ids that worked, and an error message per id that did not."""
    from console.mock.store import BadRequest, NotFound

    if not isinstance(ids, list):
        raise BadRequest("body must be a JSON list of workflow ids")
    if len(ids) > 1000:
        raise BadRequest("Cannot process more than 1000 workflows. Please use multiple requests.")
    ok: list[str] = []
    errors: dict[str, str] = {}
    for raw in ids:
        try:
            act(store, action, raw, reason=reason)
            ok.append(str(raw))
        except (NotFound, Conflict) as exc:
            errors[str(raw)] = str(exc)
    return {"bulkErrorResults": errors, "bulkSuccessfulResults": ok,
            "message": "Bulk Request has been processed."}
