"""What Conductor OSS does to a workflow when asked: pause, resume, terminate, retry, restart,
rerun, skip a task, remove, single and in bulk, with Conductor's refusals and their status codes.

Read off conductor-oss ``core/.../execution/WorkflowExecutorOps.java`` (the rules),
``service/WorkflowBulkServiceImpl.java`` (bulk: one result per id, the exception's message as the
error), ``core/.../dal/ExecutionDAOFacade.java`` (remove) and ``rest/.../ApplicationExceptionMapper
.java`` (NotFoundException 404, ConflictException 409, IllegalArgumentException 400, anything
else, such as IllegalStateException, 500):

=========  =========================================================================  =====
action     refused when (message)                                                      code
=========  =========================================================================  =====
pause      ended: COMPLETED, FAILED, TIMED_OUT, TERMINATED ("... has ended, status      409
           cannot be updated."); PAUSED already: nothing happens, 200
resume     not PAUSED ("... is not PAUSED so cannot resume. Current status is X")       500
terminate  COMPLETED ("Cannot terminate a COMPLETED workflow."); TERMINATED already:    409
           nothing happens, 200; RUNNING, PAUSED, FAILED, TIMED_OUT -> TERMINATED
retry      RUNNING, PAUSED ("Workflow is still running.  status=X")                    404
           COMPLETED ("There are no retryable tasks! Use restart ...")                 409
restart    not terminal ("Workflow: N.V/ID.STATUS is not in terminal state, unable     409
           to restart.")
rerun      not terminal (same words, "rerun"); a reRunFromTaskId it does not have       409/400
           ("Task X not found")
skip       not RUNNING, a reference name the definition lacks, or one that already     500
           has a task (IllegalStateException)
remove     archiveWorkflow=true (the default) and not terminal ("Cannot archive        400
           workflow: ID with status: X"); without archiving any status goes
=========  =========================================================================  =====

Retry keeps the failed task (``retried``) and appends a new attempt (new id, ``retriedTaskId``,
``retryCount + 1``); a failed SUB_WORKFLOW task's retry starts a new sub-workflow. Restart and a
whole rerun rebuild the task list with new ids; a rerun from a task keeps that task's id, sets
its input (``taskInput``) and drops every task after it. Removing with archiving keeps the
workflow readable and searchable (Conductor keeps it in its index); without, it is gone.
The mock keeps a restarted workflow's start time (its search index is by creation time).
"""

from __future__ import annotations

from typing import Any

from console.mock import conductor_dialect as cd
from console.mock.conductor_ids import MAX_ATTEMPTS, parse_child_id, parse_workflow_id, workflow_id
from console.mock.conductor_tasks import build, child_workflow, subtree_end
from console.mock.seed import search_text
from console.mock.steps import current_index
from console.mock.store import BadRequest, MockStore, NotFound


class Conflict(Exception):
    """Conductor's ConflictException: the action does not apply to the workflow's state (409)."""


class IllegalState(Exception):
    """Conductor's IllegalStateException, which its REST layer answers with a 500."""


#: Errors a bulk call reports per id (anything else is the mock's own bug and should show).
PER_ID = (NotFound, Conflict, IllegalState, BadRequest)
BULK_MAX = 1000


def lookup(store: MockStore, wid: Any) -> tuple[dict[str, Any], str | None]:
    """The stored process of a workflow id, and the sub-workflow id when it names one."""
    pid = parse_workflow_id(wid)
    key = parse_child_id(wid) if pid is None else None
    p = store.processes.get(pid if key is None else key.pid) if (pid or key) else None
    if p is not None and key is not None and child_workflow(store, p, str(wid)) is None:
        p = None
    if p is None:
        raise NotFound(f"No such workflow found by id: {wid}")
    return p, None if key is None else str(wid).strip().lower()


def describe(p: dict[str, Any], with_status: bool = True) -> str:
    """``name.version/id.STATUS`` as Conductor's WorkflowModel.toString writes it."""
    text = f"{p['name']}.{p['version']}/{workflow_id(p['processId'])}"
    return f"{text}.{cd.workflow_status(p)}" if with_status else text


def _c(p: dict[str, Any]) -> dict[str, Any]:
    """The Conductor-dialect record of ``p`` (``cd.state``), created on first write."""
    return p.setdefault("_c", {})


def _restart_from(store: MockStore, p: dict[str, Any], idx: int, now: int) -> None:
    p["_prev"], p["_final"], p["output"] = None, "COMPLETED", {}
    store._run_from(p, max(idx, 0), now)


def _renew_after(p: dict[str, Any], idx: int) -> None:
    """Tasks of steps after ``idx`` are dropped: forget what actions recorded on them, and give
    them new ids when they run again."""
    c = _c(p)
    gens = c.setdefault("gen", {})
    for j in range(idx + 1, 100):
        gens[j] = gens.get(j, 0) + 1
    for key in ("old", "base", "skipped", "input"):
        c[key] = {j: v for j, v in (c.get(key) or {}).items() if j <= idx}


def _start_over(p: dict[str, Any]) -> None:
    """Every task is dropped (restart, a whole rerun): new ids for all of them."""
    c = _c(p)
    c["gen0"] = c.get("gen0", 0) + 1
    for key in ("gen", "old", "base", "skipped", "input", "children"):
        c.pop(key, None)
    p["_fail"], p["_outs"] = -1, None


# ----------------------------------------------------------------------------- the actions
def pause(store: MockStore, p: dict[str, Any], now: int) -> None:
    status = cd.workflow_status(p)
    if status in cd.TERMINAL:
        raise Conflict(f"Workflow {describe(p, False)} has ended, status cannot be updated.")
    if status == "PAUSED":
        return
    p["_fail"] = current_index(p, len(store.info(p)["flat"]), now)
    p["_run"], p["updated"] = None, now
    store._set_status(p, "PAUSED")


def resume(store: MockStore, p: dict[str, Any], now: int) -> None:
    status = cd.workflow_status(p)
    if status != "PAUSED":
        raise IllegalState(f"The workflow {workflow_id(p['processId'])} is not PAUSED so cannot "
                           f"resume. Current status is {status}")
    _c(p)["lastRetried"] = now
    store._run_from(p, max(p["_fail"], 0), now)


def terminate(store: MockStore, p: dict[str, Any], now: int, reason: str | None) -> None:
    status = cd.workflow_status(p)
    if status == "COMPLETED":
        raise Conflict("Cannot terminate a COMPLETED workflow.")
    if status == "TERMINATED":
        return
    if status == "RUNNING":
        store.terminate([p["processId"]], reason)
        return
    if status in ("FAILED", "TIMED_OUT"):
        p["_prev"] = status  # its failed task stays FAILED (only unfinished ones are cancelled)
    kept = {k: v for k, v in (p["output"] or {}).items() if k != "error"}
    p["output"] = {**kept, "reason": reason or "terminated"}
    p["updated"] = now
    store._set_status(p, "TERMINATED")


def retry(store: MockStore, p: dict[str, Any], now: int) -> None:
    status = cd.workflow_status(p)
    if status not in cd.TERMINAL:
        raise NotFound(f"Workflow is still running.  status={status}")
    if status == "COMPLETED" or p["_fail"] < 0:
        raise Conflict("There are no retryable tasks! Use restart if you want to attempt entire "
                       "workflow execution again.")
    flat = store.info(p)["flat"]
    idx = p["_fail"]
    a = flat[idx][1]  # a failed task inside a sub-workflow: retry its SUB_WORKFLOW task
    while a >= 0:
        if flat[a][0]["type"] == "SUB_PROCESS":
            idx = a
        a = flat[a][1]
    _keep_attempts(store, p, idx)
    if flat[idx][0]["type"] == "SUB_PROCESS":  # the new sub-workflow's tasks get new ids
        _renew_range(p, idx + 1, subtree_end(flat, idx))
    _c(p)["lastRetried"] = now
    _restart_from(store, p, idx, now)


def _keep_attempts(store: MockStore, p: dict[str, Any], idx: int) -> None:
    """Before a retry: the tasks of step ``idx`` become kept attempts, the last one ``retried``;
    a SUB_WORKFLOW task's sub-workflow is kept as it ended."""
    built = build(store, p)
    ref = store.info(p)["flat"][idx][0]["ref"]
    mine = [t for tasks in built.scopes.values() for t in tasks if t["referenceTaskName"] == ref
            and t["taskType"] != "JOIN"]
    if not mine:
        return
    last = mine[-1]
    if last["retryCount"] + 1 >= MAX_ATTEMPTS:
        raise Conflict(f"the mock keeps at most {MAX_ATTEMPTS} attempts of task {ref}")
    if last.get("subWorkflowId") in built.subs:
        _c(p).setdefault("children", {})[last["subWorkflowId"]] = child_workflow(
            store, p, last["subWorkflowId"])
    mine[-1] = {**last, "retried": True, "executed": True}
    c = _c(p)
    c.setdefault("old", {})[idx] = mine
    c.setdefault("base", {})[idx] = last["retryCount"] + 1
    c.get("input", {}).pop(idx, None)


def _renew_range(p: dict[str, Any], first: int, last: int) -> None:
    gens = _c(p).setdefault("gen", {})
    for j in range(first, last + 1):
        gens[j] = gens.get(j, 0) + 1


def restart(store: MockStore, p: dict[str, Any], now: int, use_latest: bool = False) -> None:
    if cd.workflow_status(p) not in cd.TERMINAL:
        raise Conflict(f"Workflow: {describe(p)} is not in terminal state, unable to restart.")
    if use_latest:
        p["version"] = max(store.definitions[(p["namespace"], p["name"])])
    _start_over(p)
    _c(p)["lastRetried"] = 0
    _restart_from(store, p, 0, now)


def rerun(store: MockStore, p: dict[str, Any], now: int, request: dict[str, Any],
          child: str | None = None) -> None:
    if cd.workflow_status(p) not in cd.TERMINAL:
        raise Conflict(f"Workflow: {describe(p)} is not in terminal state, unable to rerun.")
    task_id = request.get("reRunFromTaskId")
    if task_id is None and child is not None:
        raise BadRequest(f"the mock reruns sub-workflow {child} from one of its tasks only "
                         "(give reRunFromTaskId), or rerun its parent")
    found = None
    if task_id is not None:
        tid = str(task_id).strip().lower()
        found = next((t for t in build(store, p).all_tasks() if t["taskId"] == tid), None)
        if found is None:
            raise BadRequest(f"Task {task_id} not found")
    if isinstance(request.get("workflowInput"), dict) and child is None:
        p["input"] = request["workflowInput"]
    if request.get("correlationId") is not None and child is None:
        _set_correlation(store, p, str(request["correlationId"]))
    if found is None:
        _start_over(p)
        _restart_from(store, p, 0, now)
        return
    _rerun_from(store, p, found, request.get("taskInput"), now)


def _rerun_from(store: MockStore, p: dict[str, Any], task: dict[str, Any], task_input: Any,
                now: int) -> None:
    flat = store.info(p)["flat"]
    idx = next(i for i, (s, _) in enumerate(flat) if s["ref"] == task["referenceTaskName"])
    built = build(store, p)
    earlier = [t for t in built.all_tasks() if t["referenceTaskName"] == task["referenceTaskName"]
               and t["retryCount"] < task["retryCount"] and t["taskType"] != "JOIN"]
    c = _c(p)
    c.setdefault("old", {})[idx] = earlier
    c.setdefault("base", {})[idx] = task["retryCount"]
    c.setdefault("skipped", {}).pop(idx, None)
    if isinstance(task_input, dict):
        c.setdefault("input", {})[idx] = task_input
    else:
        c.get("input", {}).pop(idx, None)
    _renew_after(p, idx)
    p["_fail"] = -1
    p["_outs"] = {j: out for j, out in (p["_outs"] or {}).items() if j < idx} or None
    _restart_from(store, p, idx, now)


def _set_correlation(store: MockStore, p: dict[str, Any], correlation: str) -> None:
    old = p["correlationId"]
    if old in store.by_correlation:
        store.by_correlation[old].discard(p["processId"])
    p["correlationId"] = correlation
    store.by_correlation[correlation].add(p["processId"])


def skip(store: MockStore, p: dict[str, Any], now: int, ref: str, request: dict[str, Any],
         child: str | None = None) -> None:
    wid = child or workflow_id(p["processId"])
    built = build(store, p)
    scope = -1 if child is None else built.subs[child][0]
    status = cd.workflow_status(p) if child is None else cd.CHILD_STATUS[built.subs[child][1]["status"]]
    if status != "RUNNING":
        raise IllegalState(f"The workflow {wid} is not running so the task referenced by {ref} "
                           "cannot be skipped")
    flat = store.info(p)["flat"]
    from console.mock.conductor_tasks import owners

    holder = owners(flat)
    idx = next((i for i, (s, _) in enumerate(flat) if s["ref"] == ref and holder[i] == scope), None)
    if idx is None:
        name = p["name"] if child is None else flat[scope][0]["name"]
        raise IllegalState(f"The task referenced by {ref} does not exist in the "
                           f"WorkflowDefinition {name}")
    if any(t["referenceTaskName"] == ref for t in built.scopes.get(scope, [])):
        raise IllegalState(f"The task referenced {ref} has already been processed, cannot be "
                           "skipped")
    _c(p).setdefault("skipped", {})[idx] = {"input": _map(request.get("taskInput")),
                                            "output": _map(request.get("taskOutput")), "at": now}
    info = store.info(p)
    frm = p["_run"][2] if p["_run"] else 0
    cands = [i for i in info["failable"] if i >= frm] or info["failable"]
    if p["_final"] != "COMPLETED" and idx <= cands[(p["_r"] >> 58) % len(cands)] <= subtree_end(flat, idx):
        p["_final"] = "COMPLETED"  # the task it would have failed on is skipped


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def remove(store: MockStore, p: dict[str, Any], archive: bool) -> None:
    status = cd.workflow_status(p)
    if archive:
        if status not in cd.TERMINAL:
            raise BadRequest(f"Cannot archive workflow: {workflow_id(p['processId'])} with "
                             f"status: {status}")
        _c(p)["archived"] = True  # out of the execution store, still in the index
        return
    store.remove(p["processId"])


# ----------------------------------------------------------------------------- dispatch
#: Actions a sub-workflow id takes (the mock runs a sub-workflow inside its parent's record).
CHILD_ACTIONS = {"retry", "rerun", "skip"}


def act(store: MockStore, action: str, wid: Any, **kw: Any) -> str:
    """Do ``action`` to one workflow (keywords: reason, use_latest, request, ref, archive);
    returns its id. Raises NotFound, Conflict, IllegalState or BadRequest as Conductor would."""
    p, child = lookup(store, wid)
    now = store.tick()
    if child is not None and action not in CHILD_ACTIONS:
        raise BadRequest(f"the mock does not {action} a sub-workflow on its own: act on its "
                         f"parent workflow {workflow_id(p['processId'])}")
    if action == "pause":
        pause(store, p, now)
    elif action == "resume":
        resume(store, p, now)
    elif action == "terminate":
        terminate(store, p, now, kw.get("reason"))
    elif action == "retry":
        retry(store, p, now)
    elif action == "restart":
        restart(store, p, now, bool(kw.get("use_latest")))
    elif action == "rerun":
        rerun(store, p, now, kw.get("request") or {}, child)
    elif action == "skip":
        skip(store, p, now, kw["ref"], kw.get("request") or {}, child)
    elif action == "remove":
        remove(store, p, bool(kw.get("archive", True)))
        return str(wid)
    else:
        raise ValueError(action)
    p["_text"] = search_text(p)
    return child or workflow_id(p["processId"])


def bulk(store: MockStore, action: str, ids: Any, **kw: Any) -> dict[str, Any]:
    """A BulkResponse: the ids that worked, and the error message of each id that did not."""
    if not isinstance(ids, list):
        raise BadRequest("body must be a JSON list of workflow ids")
    if not ids:
        raise BadRequest("WorkflowIds list cannot be null.")
    if len(ids) > BULK_MAX:
        raise BadRequest(f"Cannot process more than {BULK_MAX} workflows. Please use multiple "
                         "requests.")
    ok: list[str] = []
    failed: dict[str, str] = {}
    for raw in ids:
        try:
            act(store, action, raw, **kw)
            ok.append(str(raw))
        except PER_ID as exc:
            failed[str(raw)] = str(exc)
    return {"bulkErrorResults": failed, "bulkSuccessfulResults": ok,
            "message": "Bulk Request has been processed."}
