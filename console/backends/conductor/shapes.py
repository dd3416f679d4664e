"""Conductor's JSON shapes translated into meshdeck's models (see docs/backends.md).

Conductor ids are text (UUIDs); ``ProcessData`` / ``StepData`` keep ids in their wire type, so
everything else reads and shows them like any other process or step.

Statuses: a workflow keeps Conductor's status (RUNNING, COMPLETED, FAILED, TIMED_OUT, TERMINATED,
PAUSED); its ``ownerApp`` stands where a namespace would (Conductor has none). A task's type
is its definition's (a SIMPLE task's runtime ``taskType`` is its name). A task's status is put
in meshdeck's step words (IN_PROGRESS -> RUNNING, CANCELED ->
CANCELLED, FAILED_WITH_TERMINAL_ERROR -> FAILED, COMPLETED_WITH_ERRORS -> COMPLETED); the original
stays in the step's ``conductorStatus`` field.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from console.backends.responses import adapter_for, note_dropped, validate_leniently
from console.models import (
    ProcessData,
    ProcessDefinition,
    SearchQuery,
    StepData,
    StepDefinition,
    extract_error,
)

TASK_STATUS = {"IN_PROGRESS": "RUNNING", "CANCELED": "CANCELLED",
               "FAILED_WITH_TERMINAL_ERROR": "FAILED", "COMPLETED_WITH_ERRORS": "COMPLETED"}
#: meshdeck statuses asked for in a search -> Conductor's (REVIEWED has none).
SEARCH_STATUS = {"CANCELLED": "TERMINATED"}
#: What a search on Conductor can use.
FILTERS_HINT = "use name, status, correlation id, process id, time or text"
#: SearchQuery fields Conductor's search cannot express -> what to say.
UNSUPPORTED_FILTERS = {
    "namespace": "namespace (Conductor has none)",
    "trigger_types": "trigger type", "process_types": "process type",
    "step_names": "step name", "step_refs": "step ref", "request_ids": "request id",
    "tags": "tag",
}
_ITERATION = re.compile(r"__\d+$")
_PLAIN = re.compile(r"^[A-Za-z0-9_.:-]+$")


def epoch_ms(value: Any) -> Any:
    """Epoch ms from an int, a digit string or an ISO time (WorkflowSummary sends ISO text).
    Anything else is passed on as it came, so that the model leaves that field empty and names
    it (``dropped``) instead of it vanishing without a word."""
    if value is None or value == "" or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (int, float)):
        return int(value)
    text = value.strip()
    if text.lstrip("-").isdigit():
        return int(text) or None
    try:
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return value


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _with_reason(output: Any, reason: str | None) -> Any:
    """Conductor keeps why a task or workflow broke beside its output: show it as the error."""
    if not reason or extract_error(output):
        return output
    return {"error": reason, **output} if isinstance(output, dict) else {"error": reason}


def process(data: dict[str, Any], steps: list[StepData] | None = None) -> ProcessData:
    """A Workflow, WorkflowRun or WorkflowSummary as a process."""
    status = data.get("status")
    ended = epoch_ms(data.get("endTime"))
    out = _with_reason(_maybe_json(data.get("output")), data.get("reasonForIncompletion")
                       if status in ("FAILED", "TIMED_OUT", "TERMINATED") else None)
    row = validate_leniently(adapter_for(ProcessData), {
        "processId": data.get("workflowId"),
        "name": data.get("workflowName") or data.get("workflowType"),
        "version": data.get("workflowVersion") or data.get("version"),
        "namespace": data.get("ownerApp") or None,
        "processType": "STANDARD",
        "triggerType": "SUB_PROCESS" if data.get("parentWorkflowId") else None,
        "status": status, "correlationId": data.get("correlationId"),
        "requestId": data.get("requestId") or data.get("idempotencyKey"),
        "input": _maybe_json(data.get("input")), "output": out,
        "created": epoch_ms(data.get("startTime")) or epoch_ms(data.get("createTime")),
        "updated": ended or epoch_ms(data.get("updateTime")),
        "createdBy": data.get("createdBy"),
        "stepRecords": steps or [],
        "reasonForIncompletion": data.get("reasonForIncompletion"),
        "parentWorkflowId": data.get("parentWorkflowId"), "endTime": ended,
    })
    for step in steps or []:  # validated on their own: carry what they lost up to the row
        for name, sent in step.dropped.items():
            note_dropped(row, f"stepRecords.{name}", sent)
    return row


def _children(wt: dict[str, Any]) -> list[dict[str, Any]]:
    """The workflow tasks a container task (fork, switch, loop) holds directly."""
    kids: list[Any] = []
    for branch in wt.get("forkTasks") or []:
        kids.extend(branch or [])
    for case in (wt.get("decisionCases") or {}).values():
        kids.extend(case or [])
    kids.extend(wt.get("defaultCase") or [])
    kids.extend(wt.get("loopOver") or [])
    return [k for k in kids if isinstance(k, dict)]


def _child_refs(wt: dict[str, Any]) -> list[str]:
    """References of the tasks a container task (fork, switch, loop) holds directly."""
    return [k.get("taskReferenceName") for k in _children(wt)]


def steps(tasks: list[dict[str, Any]], parent_id: str | None = None) -> list[StepData]:
    """Tasks as steps: retried attempts folded into the last one's ``executionList``, and each
    task under its container (``parentTaskId``, else the container's ``workflowTask``)."""
    tasks = [t for t in tasks if isinstance(t, dict)]
    attempts: dict[str, list[dict[str, Any]]] = {}
    for t in tasks:
        attempts.setdefault(t.get("referenceTaskName") or t.get("taskId") or "", []).append(t)
    latest = [t for t in tasks if attempts[t.get("referenceTaskName") or t.get("taskId") or ""][-1] is t]
    container: dict[str, str] = {}
    for t in latest:
        for ref in _child_refs(t.get("workflowTask") or {}):
            if ref:
                container.setdefault(ref, t.get("taskId"))
    ref_of = {t.get("taskId"): t.get("referenceTaskName") for t in latest}
    out = []
    for t in latest:
        ref = t.get("referenceTaskName")
        parent = t.get("parentTaskId") or container.get(_ITERATION.sub("", ref or "")) or parent_id
        if parent == t.get("taskId"):
            parent = parent_id
        status = t.get("status")
        tries = attempts[ref or t.get("taskId") or ""]
        out.append(validate_leniently(adapter_for(StepData), {
            "id": t.get("taskId"), "processId": t.get("workflowInstanceId"), "ref": ref,
            "parentId": parent, "parentRef": ref_of.get(parent),
            "name": t.get("taskDefName") or (t.get("workflowTask") or {}).get("name") or ref,
            "type": (t.get("workflowTask") or {}).get("type") or t.get("taskType"),
            "status": TASK_STATUS.get(status, status),
            "input": t.get("inputData"),
            "output": _with_reason(t.get("outputData"), t.get("reasonForIncompletion")),
            "workerId": t.get("workerId"),
            "start": epoch_ms(t.get("startTime")) or epoch_ms(t.get("scheduledTime")),
            "schedule": epoch_ms(t.get("scheduledTime")),
            "updated": epoch_ms(t.get("endTime")) or epoch_ms(t.get("updateTime")),
            "optional": (t.get("workflowTask") or {}).get("optional"),
            "executionList": [{"scheduled": epoch_ms(a.get("scheduledTime")),
                               "start": epoch_ms(a.get("startTime")),
                               "updated": epoch_ms(a.get("endTime")) or epoch_ms(a.get("updateTime")),
                               "executor": a.get("workerId"), "ref": a.get("referenceTaskName"),
                               "runs": n, "output": a.get("outputData")}
                              for n, a in enumerate(tries, start=1)] if len(tries) > 1 else None,
            "conductorStatus": status, "retryCount": t.get("retryCount"),
            "subWorkflowId": t.get("subWorkflowId"),
        }))
    return out


def _step_definition(wt: dict[str, Any]) -> StepDefinition:
    return validate_leniently(adapter_for(StepDefinition), {
        "name": wt.get("name"), "ref": wt.get("taskReferenceName"), "type": wt.get("type"),
        "optional": wt.get("optional"), "description": wt.get("description"),
        "input": wt.get("inputParameters"),
        "children": [_step_definition(k) for k in _children(wt)],
    })


def definition(data: dict[str, Any]) -> ProcessDefinition:
    """A WorkflowDef as a process definition. Conductor has no namespaces: the owner app stands
    in (``Backend.NAMESPACE_LABEL``); its default input is ``inputTemplate``."""
    template = data.get("inputTemplate") if isinstance(data.get("inputTemplate"), dict) else {}
    return validate_leniently(adapter_for(ProcessDefinition), {
        "namespace": data.get("ownerApp") or None, "name": data.get("name"),
        "version": data.get("version"), "type": "STANDARD", "description": data.get("description"),
        "createdBy": data.get("createdBy"), "updatedBy": data.get("updatedBy"),
        "created": epoch_ms(data.get("createTime")), "updated": epoch_ms(data.get("updateTime")),
        "configuration": {"timeoutSeconds": data.get("timeoutSeconds"),
                          "timeoutPolicy": data.get("timeoutPolicy"),
                          "failureWorkflow": data.get("failureWorkflow"),
                          "restartable": data.get("restartable")},
        "steps": [_step_definition(t) for t in data.get("tasks") or [] if isinstance(t, dict)],
        "defaultInput": {**{k: None for k in data.get("inputParameters") or []}, **template},
        "ownerEmail": data.get("ownerEmail"),
    })


def _value(text: Any) -> str:
    text = str(text)
    return text if _PLAIN.match(text) else '"' + text.replace('"', '\\"') + '"'


def _in(field: str, values: list[str]) -> str:
    return f"{field} IN ({','.join(_value(v) for v in values)})"


def search_params(query: SearchQuery) -> dict[str, Any]:
    """``GET /workflow/search`` parameters for a meshdeck SearchQuery the client has checked
    (``ConductorClient.check_filters`` refuses what Conductor's search cannot express)."""
    clauses = []
    if query.names:
        clauses.append(_in("workflowType", query.names))
    if query.statuses:
        statuses = list(dict.fromkeys(SEARCH_STATUS.get(s, s) for s in query.statuses))
        clauses.append(_in("status", statuses))
    if query.correlation_ids:
        clauses.append(_in("correlationId", query.correlation_ids) if len(query.correlation_ids) > 1
                       else f"correlationId = {_value(query.correlation_ids[0])}")
    if query.process_ids:
        clauses.append(_in("workflowId", query.process_ids))
    if query.start_time_epoch is not None:
        clauses.append(f"startTime > {int(query.start_time_epoch) - 1}")
    if query.end_time_epoch is not None:
        clauses.append(f"startTime < {int(query.end_time_epoch) + 1}")
    params: dict[str, Any] = {"start": query.offset, "size": query.limit,
                              "freeText": query.full_text_search_query or "*",
                              "sort": "startTime:DESC"}
    if clauses:
        params["query"] = " AND ".join(clauses)
    return params
