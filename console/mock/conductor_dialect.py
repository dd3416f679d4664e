"""The mock's store seen through Conductor's eyes: statuses and the JSON shapes of Conductor OSS.

The Conductor mock (``console.mock.conductor_app``) serves the SAME ``MockStore`` as the Unmeshed
mock. This module turns a stored process into Conductor's models, field for field as
conductor-oss serialises them (``common/.../run/Workflow.java``, ``metadata/tasks/Task.java``,
``run/WorkflowSummary.java``, ``metadata/workflow/WorkflowDef.java``, ``WorkflowTask.java``;
the server's ObjectMapper leaves null fields out, so do we):

- ids: ``console.mock.conductor_ids``.
- workflow statuses (Conductor has six): RUNNING, COMPLETED, FAILED, TIMED_OUT, TERMINATED and
  PAUSED pass through; CANCELLED shows as TERMINATED; REVIEWED (Unmeshed only) shows as the
  status it had before the review.
- task statuses: PENDING/SCHEDULED -> SCHEDULED, RUNNING/PAUSED -> IN_PROGRESS, CANCELLED ->
  CANCELED; a step of a PAUSED workflow that stopped stays IN_PROGRESS.
- task types: WORKER -> SIMPLE, PARALLEL -> FORK_JOIN, FOREACH/LIST -> DO_WHILE, SUB_PROCESS ->
  SUB_WORKFLOW, JAVASCRIPT/PYTHON -> INLINE, JQ -> JSON_JQ_TRANSFORM, ... A FORK_JOIN is always
  followed by its JOIN (``<ref>_join``), in definitions and in runs. At run time a SIMPLE task's
  ``taskType`` is its task name and a FORK_JOIN's is ``FORK`` (Conductor's task mappers).
- every attempt is a task of its own: a retried one is kept (``retried``), the next has a new
  id, ``retriedTaskId`` and ``retryCount + 1``; a SWITCH's cases that did not run have no task.
- a SUB_WORKFLOW task carries ``subWorkflowId``; the child is a workflow of its own
  (``parentWorkflowId``, ``parentWorkflowTaskId``) whose definition is inline in the task's
  ``subWorkflowParam.workflowDefinition``; its tasks are not in the parent's list.

What actions did to a workflow in Conductor terms (attempts kept, skipped tasks, renewed ids)
is kept on the stored process under ``_c`` (``console.mock.conductor_ops`` writes it).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from console.mock.conductor_ids import JOIN_ATTEMPT, child_id, task_id, workflow_id
from console.mock.steps import STEP_ID_FACTOR
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
#: A sub-workflow's status from its SUB_WORKFLOW task's.
CHILD_STATUS = {"IN_PROGRESS": "RUNNING", "COMPLETED": "COMPLETED", "FAILED": "FAILED",
                "TIMED_OUT": "TIMED_OUT", "CANCELED": "TERMINATED"}
OWNER_EMAIL = "platform-team@acme.io"
_EMPTY: dict[str, Any] = {}


def non_null(data: dict[str, Any]) -> dict[str, Any]:
    """What Conductor's ObjectMapper writes: the fields that are not null."""
    return {k: v for k, v in data.items() if v is not None}


def java_text(value: Any) -> str:
    """A value as Java's ``String.format`` writes it (None is ``null``)."""
    return "null" if value is None else str(value)


def iso(ms: int | None) -> str | None:
    if not ms:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


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


def state(p: dict[str, Any]) -> dict[str, Any]:
    """What Conductor-dialect actions recorded on ``p`` (empty when none)."""
    return p.get("_c") or _EMPTY


def gen(p: dict[str, Any], idx: int) -> int:
    """How often the tasks at step ``idx`` were rebuilt with new ids (restart, rerun)."""
    c = state(p)
    return c.get("gen0", 0) + (c.get("gen") or _EMPTY).get(idx, 0)


def _error_of(output: Any) -> str | None:
    if isinstance(output, dict):
        for key in ("error", "errorMessage", "reason"):
            if isinstance(output.get(key), str):
                return output[key]
    return None


def _failed_ref(p: dict[str, Any], status: str) -> list[str]:
    failed = (p["output"] or {}).get("failedStep") if isinstance(p["output"], dict) else None
    return [failed] if failed and status == "FAILED" else []


# ----------------------------------------------------------------------------- definitions
def workflow_tasks(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """WorkflowTasks of a list of store step definitions: a JOIN after every FORK_JOIN."""
    out = []
    for sdef in steps:
        wt = workflow_task(sdef)
        out.append(wt)
        if wt["type"] == "FORK_JOIN":
            out.append(join_task(sdef))
    return out


def join_task(fork: dict[str, Any]) -> dict[str, Any]:
    """The JOIN that waits for a FORK_JOIN's branches (the last task of each branch)."""
    ref = f"{fork['ref']}_join"
    return {**_WORKFLOW_TASK, "name": ref, "taskReferenceName": ref, "type": "JOIN",
            "joinOn": [_last_ref(c) for c in fork.get("children") or []]}


#: What every WorkflowTask carries (Java primitives and collections it initialises).
_WORKFLOW_TASK: dict[str, Any] = {
    "inputParameters": {}, "decisionCases": {}, "defaultCase": [], "forkTasks": [],
    "startDelay": 0, "joinOn": [], "optional": False, "defaultExclusiveJoinTask": [],
    "asyncComplete": False, "loopOver": [], "onStateChange": {}, "permissive": False,
    "metadata": {}}


def _last_ref(branch: dict[str, Any]) -> str:
    """The reference name of a branch's last task (a fork's last task is its JOIN)."""
    return f"{branch['ref']}_join" if branch.get("type") == "PARALLEL" else branch["ref"]


def workflow_task(sdef: dict[str, Any]) -> dict[str, Any]:
    """A WorkflowTask (definition of one task) from a store step definition, children included."""
    kind = TASK_TYPE.get(sdef.get("type") or "", "SIMPLE")
    wt: dict[str, Any] = {**_WORKFLOW_TASK, "name": sdef["name"], "taskReferenceName": sdef["ref"],
                          "type": kind, "description": sdef.get("description"),
                          "optional": bool(sdef.get("optional"))}
    kids = sdef.get("children") or []
    if kind == "FORK_JOIN":
        wt["forkTasks"] = [workflow_tasks([k]) for k in kids]
    elif kind == "SWITCH":
        wt["evaluatorType"], wt["expression"] = "value-param", "switchCaseValue"
        wt["decisionCases"] = {f"case_{i}": workflow_tasks([k]) for i, k in enumerate(kids)}
        wt["defaultCase"] = []
    elif kind == "DO_WHILE":
        wt["loopOver"] = workflow_tasks(kids)
        wt["loopCondition"] = "false"
    elif kind == "SUB_WORKFLOW":
        wt["subWorkflowParam"] = {"name": sdef["name"], "version": 1,
                                  "workflowDefinition": inline_definition(sdef)}
    return non_null(wt)


def inline_definition(sdef: dict[str, Any]) -> dict[str, Any]:
    """The WorkflowDef a SUB_WORKFLOW task runs (its children), given inline."""
    return {"accessPolicy": {}, "name": sdef["name"], "version": 1, "description": sdef.get("description"),
            "tasks": workflow_tasks(sdef.get("children") or []), "inputParameters": [],
            "outputParameters": {}, "schemaVersion": 2, "restartable": True,
            "workflowStatusListenerEnabled": False, "ownerEmail": OWNER_EMAIL,
            "timeoutPolicy": "ALERT_ONLY", "timeoutSeconds": 0, "variables": {},
            "inputTemplate": {}, "enforceSchema": True, "metadata": {}, "maskedFields": []}


def definition(store: MockStore, d: dict[str, Any]) -> dict[str, Any]:
    """A WorkflowDef from a store process definition; its default input is ``inputTemplate``."""
    template = dict(d.get("defaultInput") or {})
    return non_null({
        "ownerApp": d["namespace"], "createTime": d.get("created"), "updateTime": d.get("updated"),
        "createdBy": d.get("createdBy"), "updatedBy": d.get("updatedBy"), "accessPolicy": {},
        "name": d["name"], "description": d.get("description"), "version": d["version"],
        "tasks": workflow_tasks(d.get("steps") or []), "inputParameters": sorted(template),
        "outputParameters": {}, "schemaVersion": 2, "restartable": True,
        "workflowStatusListenerEnabled": False, "ownerEmail": OWNER_EMAIL,
        "timeoutPolicy": "ALERT_ONLY",
        "timeoutSeconds": int(((d.get("configuration") or {}).get("completionTimeout") or 0) / 1000),
        "variables": {}, "inputTemplate": template, "enforceSchema": True, "metadata": {},
        "maskedFields": [],
    })


def task_definitions(store: MockStore) -> list[dict[str, Any]]:
    """A TaskDef for every SIMPLE task name any definition uses (what workers poll for)."""
    seen: dict[str, dict[str, Any]] = {}
    for info in store.infos.values():
        for sdef, _ in info["flat"]:
            if sdef["type"] == "WORKER" and sdef["name"] not in seen:
                seen[sdef["name"]] = task_definition(sdef, info["defn"])
    return [seen[name] for name in sorted(seen)]


def task_definition(sdef: dict[str, Any], defn: dict[str, Any]) -> dict[str, Any]:
    linear = (sdef.get("configuration") or {}).get("errorPolicyName") == "retry_3_linear"
    return {
        "ownerApp": defn["namespace"], "createTime": defn["created"], "updateTime": defn["updated"],
        "createdBy": defn["createdBy"], "accessPolicy": {}, "name": sdef["name"],
        "description": f"worker task {sdef['name']}", "retryCount": 3, "timeoutSeconds": 3600,
        "inputKeys": [], "outputKeys": [], "runtimeMetadata": [], "timeoutPolicy": "TIME_OUT_WF",
        "retryLogic": "LINEAR_BACKOFF" if linear else "FIXED", "retryDelaySeconds": 60,
        "responseTimeoutSeconds": 600, "inputTemplate": {}, "rateLimitPerFrequency": 0,
        "rateLimitFrequencyInSeconds": 1, "ownerEmail": OWNER_EMAIL, "backoffScaleFactor": 1,
        "maxRetryDelaySeconds": 0, "backoffJitterMs": 0, "totalTimeoutSeconds": 0,
        "enforceSchema": False, "taskStatusListenerEnabled": True,
    }


# ----------------------------------------------------------------------------- workflows
def summary(store: MockStore, p: dict[str, Any]) -> dict[str, Any]:
    """A WorkflowSummary (search result row): times as ISO text, input/output as JSON text."""
    status = workflow_status(p)
    end = (p.get("_ended") or p["updated"]) if status in TERMINAL else None
    failed = _failed_ref(p, status)
    text_in, text_out = json.dumps(p["input"]), json.dumps(p["output"])
    return non_null({
        "workflowType": p["name"], "version": p["version"], "workflowId": workflow_id(p["processId"]),
        "correlationId": p["correlationId"], "startTime": iso(p["created"]),
        "updateTime": iso(p["updated"]), "endTime": iso(end), "status": status,
        "input": text_in, "output": text_out, "inputSize": len(text_in), "outputSize": len(text_out),
        "reasonForIncompletion": _error_of(p["output"]) if status in ("FAILED", "TIMED_OUT", "TERMINATED") else None,
        "executionTime": (end - p["created"]) if end else 0, "event": None,
        "failedReferenceTaskNames": ",".join(failed), "failedTaskNames": failed, "priority": 0,
        "createdBy": p["createdBy"], "taskToDomain": {}, "parentWorkflowId": "",
        "classifier": "workflow",
    })


def _workflow(p: dict[str, Any], wid: str, status: str, defn: dict[str, Any],
              tasks: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    ended = status in TERMINAL
    return non_null({
        "ownerApp": p["namespace"], "createTime": fields.pop("created", p["created"]),
        "updateTime": fields.pop("updated", p["updated"]), "createdBy": p["createdBy"],
        "status": status, "endTime": fields.pop("end", p.get("_ended") or p["updated"]) if ended else 0,
        "workflowId": wid, "tasks": tasks, "correlationId": p["correlationId"],
        "taskToDomain": {}, "workflowDefinition": defn, "priority": 0, "variables": {},
        "lastRetriedTime": state(p).get("lastRetried", 0), "history": [],
        "startTime": fields.pop("start", p["created"]), "workflowName": defn["name"],
        "workflowVersion": defn["version"], "rateLimited": False, **fields,
    })


def workflow(store: MockStore, p: dict[str, Any], include_tasks: bool) -> dict[str, Any]:
    """A Workflow (``GET /workflow/{id}``), its tasks only when asked."""
    from console.mock.conductor_tasks import tasks_of

    status = workflow_status(p)
    failed = _failed_ref(p, status)
    reason = _error_of(p["output"]) if status in ("FAILED", "TIMED_OUT", "TERMINATED") else None
    defn = definition(store, store.definition(p["namespace"], p["name"], p["version"]))
    return _workflow(p, workflow_id(p["processId"]), status, defn,
                     tasks_of(store, p) if include_tasks else [], input=p["input"] or {},
                     output=p["output"] or {}, reasonForIncompletion=reason,
                     failedReferenceTaskNames=failed, failedTaskNames=failed)


def child_workflow(p: dict[str, Any], parent_task: dict[str, Any], sdef: dict[str, Any],
                   tasks: list[dict[str, Any]]) -> dict[str, Any]:
    """The sub-workflow a SUB_WORKFLOW task started, as a Workflow of its own."""
    status = CHILD_STATUS[parent_task["status"]]
    failed = [t["referenceTaskName"] for t in tasks if t["status"] == "FAILED" and not t["retried"]]
    reason = parent_task.get("reasonForIncompletion")
    return _workflow(p, parent_task["subWorkflowId"], status, inline_definition(sdef), tasks,
                     created=parent_task["startTime"] or parent_task["scheduledTime"],
                     updated=parent_task["updateTime"], end=parent_task["endTime"],
                     start=parent_task["startTime"] or parent_task["scheduledTime"],
                     input=parent_task["inputData"], output=parent_task["outputData"],
                     reasonForIncompletion=reason if status != "COMPLETED" else None,
                     failedReferenceTaskNames=failed, failedTaskNames=failed,
                     parentWorkflowId=parent_task["workflowInstanceId"],
                     parentWorkflowTaskId=parent_task["taskId"])


def status_of(wf: dict[str, Any], include_output: bool, include_variables: bool) -> dict[str, Any]:
    """A WorkflowStatus (``GET /workflow/{id}/status``: org.conductoross...model.WorkflowStatus)."""
    return non_null({"workflowId": wf["workflowId"], "correlationId": wf.get("correlationId") or None,
                     "output": wf.get("output") if include_output else None,
                     "variables": wf.get("variables") if include_variables else None,
                     "status": wf["status"]})


# ----------------------------------------------------------------------------- task ids
def join_id(pid: int, fork_idx: int, generation: int) -> str:
    return task_id(pid, fork_idx, JOIN_ATTEMPT, generation)


def sub_workflow_id(pid: int, idx: int, attempt: int, generation: int) -> str:
    return child_id(pid, idx, attempt, generation)


def record_index(record: dict[str, Any]) -> int:
    return record["id"] % STEP_ID_FACTOR
