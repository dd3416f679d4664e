"""A stored process's tasks as Conductor has them: one task per attempt, JOINs, skips, sub-workflows.

``build(store, p)`` turns the store's step records (``console.mock.steps``) and what
Conductor-dialect actions recorded on the process (``p["_c"]``, see ``console.mock.conductor_ops``)
into Conductor Tasks (``common/.../metadata/tasks/Task.java``), grouped by the workflow that holds
them: the process itself, or the sub-workflow a SUB_WORKFLOW task started. Rules, as
conductor-oss has them:

- every attempt of a step is a task: the earlier ones ``retried`` and ``executed``, each next
  one with a new id, ``retriedTaskId`` and ``retryCount + 1`` (``WorkflowExecutorOps
  .taskToBeRescheduled``); attempts kept by a workflow retry come first (``_c["old"]``);
- a step skipped while its workflow ran is one SKIPPED task with the skip's input and output
  and ``taskType`` = the task's name (``WorkflowExecutorOps.skipTaskFromWorkflow``);
- a FORK completes at once and a JOIN follows its branches; a SWITCH's untaken cases have no
  task; a SIMPLE task's ``taskType`` is its name (``SimpleTaskMapper``);
- tasks are listed in definition order and numbered (``seq``) in that order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from console.mock import conductor_dialect as cd
from console.mock.conductor_ids import task_id, workflow_id
from console.mock.store import MockStore

_CONTAINER_DONE = {"PARALLEL", "SWITCH"}  # complete as soon as they have scheduled their children


@dataclass
class Built:
    """Every task of one process: per holding workflow, and the sub-workflows by id."""

    #: SUB_PROCESS step index of the sub-workflow holding them (-1: the process itself) -> tasks.
    scopes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    #: sub-workflow id -> (its SUB_PROCESS step index, the SUB_WORKFLOW task that started it).
    subs: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)

    def all_tasks(self) -> list[dict[str, Any]]:
        return [t for tasks in self.scopes.values() for t in tasks]


def owners(flat: list[tuple[dict[str, Any], int]]) -> list[int]:
    """For each step index, the SUB_PROCESS step whose sub-workflow holds it (-1: none)."""
    out = []
    for sdef, parent in flat:
        holder, a = -1, parent
        while a >= 0:
            if flat[a][0]["type"] == "SUB_PROCESS":
                holder = a
                break
            a = flat[a][1]
        out.append(holder)
    return out


def subtree_end(flat: list[tuple[dict[str, Any], int]], root: int) -> int:
    """The last step index inside ``root``'s subtree (flat is depth-first)."""
    end = root
    for j in range(root + 1, len(flat)):
        a = flat[j][1]
        while a > root:
            a = flat[a][1]
        if a != root:
            break
        end = j
    return end


def runtime_type(sdef: dict[str, Any]) -> str:
    kind = cd.TASK_TYPE.get(sdef.get("type") or "", "SIMPLE")
    return sdef["name"] if kind == "SIMPLE" else "FORK" if kind == "FORK_JOIN" else kind


def base_task(p: dict[str, Any], wid: str, tid: str, ref: str, task_type: str, status: str,
              **fields: Any) -> dict[str, Any]:
    """A Task with Conductor's defaults; ``fields`` override them."""
    task = {"taskType": task_type, "status": status, "inputData": {}, "referenceTaskName": ref,
            "retryCount": 0, "seq": 0, "correlationId": p["correlationId"], "pollCount": 0,
            "taskDefName": task_type, "scheduledTime": 0, "startTime": 0, "endTime": 0,
            "updateTime": 0, "startDelayInSeconds": 0, "retried": False, "executed": False,
            "callbackFromWorker": True, "responseTimeoutSeconds": 0, "workflowInstanceId": wid,
            "taskId": tid, "callbackAfterSeconds": 0, "outputData": {},
            "rateLimitPerFrequency": 0, "rateLimitFrequencyInSeconds": 0, "workflowPriority": 0,
            "iteration": 0, "subworkflowChanged": False, "loopOverTask": False,
            "queueWaitTime": 0, "firstStartTime": 0, "runtimeMetadata": {}, **fields}
    if task["startTime"] and task["scheduledTime"]:
        task["queueWaitTime"] = max(task["startTime"] - task["scheduledTime"], 0)
    return cd.non_null(task)


class _Builder:
    def __init__(self, store: MockStore, p: dict[str, Any]) -> None:
        self.store, self.p = store, p
        self.pid = p["processId"]
        self.flat = store.info(p)["flat"]
        self.c = cd.state(p)
        self.status = cd.workflow_status(p)
        self.owner = owners(self.flat)
        self.built = Built()
        #: scope -> (workflow id, workflow name, its status)
        self.scope_of: dict[int, tuple[str, str, str]] = {
            -1: (workflow_id(self.pid), p["name"], self.status)}

    def run(self) -> Built:
        records = self.store.public(self.p, include_steps=True)["stepRecords"]
        by_idx = {cd.record_index(r): r for r in records if r["status"] != "SKIPPED"}
        skips = self.c.get("skipped") or {}
        hidden = [(i, subtree_end(self.flat, i)) for i in skips]  # inside a skipped container
        pairs: dict[int, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for idx in sorted(set(by_idx) | set(skips)):
            scope = self.owner[idx]
            if scope not in self.scope_of or any(a < idx <= b for a, b in hidden):
                continue  # its sub-workflow has not started, or its container was skipped
            if idx in skips:
                pairs[scope].append((idx, self.skipped(idx, skips[idx], scope)))
                continue
            for task in self.attempts(idx, by_idx[idx], scope):
                pairs[scope].append((idx, task))
        for scope, found in pairs.items():
            tasks = self.with_joins(scope, found)
            for seq, task in enumerate(tasks, start=1):
                task["seq"] = seq
            self.built.scopes[scope] = tasks
        return self.built

    # ---- one step -----------------------------------------------------------------------
    def attempts(self, idx: int, r: dict[str, Any], scope: int) -> list[dict[str, Any]]:
        sdef = self.flat[idx][0]
        wid, wf_name, _ = self.scope_of[scope]
        g = cd.gen(self.p, idx)
        old = list((self.c.get("old") or {}).get(idx, []))
        base = (self.c.get("base") or {}).get(idx, 0)
        execs = r.get("executionList") or []
        status = cd.TASK_STATUS.get(r["status"] or "", "SCHEDULED")
        if self.status == "PAUSED" and status in ("FAILED", "CANCELED"):
            status = "IN_PROGRESS"  # paused: the task it stopped on is still in progress
        if sdef["type"] in _CONTAINER_DONE:
            status = "COMPLETED"
        done = status not in ("SCHEDULED", "IN_PROGRESS")
        kind = cd.TASK_TYPE.get(sdef["type"], "SIMPLE")
        common = {"correlationId": self.p["correlationId"], "taskDefName": sdef["name"],
                  "workflowType": wf_name, "workflowTask": cd.workflow_task(sdef),
                  "responseTimeoutSeconds": 600 if kind == "SIMPLE" else 0}
        out = list(old)
        prev = old[-1]["taskId"] if old else None
        for k, a in enumerate(execs[:-1]):
            attempt = base + k
            tid = task_id(self.pid, idx, attempt, g)
            task = base_task(self.p, wid, tid, sdef["ref"], runtime_type(sdef), "FAILED",
                             inputData=r.get("input") or {}, outputData=a.get("output") or {},
                             retryCount=attempt, retriedTaskId=prev, retried=True, executed=True,
                             scheduledTime=a.get("scheduled") or 0, startTime=a.get("start") or 0,
                             endTime=a.get("updated") or 0, updateTime=a.get("updated") or 0,
                             pollCount=1 if kind == "SIMPLE" else 0,
                             workerId=a.get("executor") if kind == "SIMPLE" else None,
                             reasonForIncompletion=cd._error_of(a.get("output")), **common)
            if kind == "SUB_WORKFLOW":
                task["subWorkflowId"] = cd.sub_workflow_id(self.pid, idx, attempt, g)
            out.append(task)
            prev = tid
        attempt = base + max(len(execs) - 1, 0)
        tid = task_id(self.pid, idx, attempt, g)
        inp = (self.c.get("input") or {}).get(idx, r.get("input") or {})
        started = r.get("start") or 0
        task = base_task(
            self.p, wid, tid, sdef["ref"], runtime_type(sdef), status, inputData=inp,
            outputData=r.get("output") or {} if status != "SCHEDULED" else {},
            retryCount=attempt, retriedTaskId=prev, executed=done,
            scheduledTime=(execs[-1].get("scheduled") if execs else None) or r.get("schedule") or 0,
            startTime=started if status != "SCHEDULED" else 0,
            endTime=(r.get("updated") or 0) if done else 0, updateTime=r.get("updated") or 0,
            pollCount=1 if kind == "SIMPLE" and started and status != "SCHEDULED" else 0,
            workerId=r.get("workerId") if kind == "SIMPLE" else None,
            reasonForIncompletion=cd._error_of(r.get("output")) if status in ("FAILED", "TIMED_OUT") else None,
            **common)
        if kind == "SUB_WORKFLOW" and status != "SCHEDULED":
            cid = cd.sub_workflow_id(self.pid, idx, attempt, g)
            task["subWorkflowId"] = cid
            task["inputData"] = {**task["inputData"], "subWorkflowName": sdef["name"],
                                 "subWorkflowVersion": 1}
            task["outputData"] = {**task["outputData"], "subWorkflowId": cid}
            self.scope_of[idx] = (cid, sdef["name"], cd.CHILD_STATUS.get(status, "RUNNING"))
            self.built.subs[cid] = (idx, task)
        out.append(task)
        return out

    def skipped(self, idx: int, skip: dict[str, Any], scope: int) -> dict[str, Any]:
        sdef = self.flat[idx][0]
        wid = self.scope_of[scope][0]
        return base_task(self.p, wid, task_id(self.pid, idx, 0, cd.gen(self.p, idx)), sdef["ref"],
                         sdef["name"], "SKIPPED", inputData=skip.get("input") or {},
                         outputData=skip.get("output") or {}, endTime=skip["at"])

    # ---- joins ---------------------------------------------------------------------------
    def with_joins(self, scope: int, pairs: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
        """The tasks with a JOIN after the last task of each FORK's branches."""
        tasks = [t for _, t in pairs]
        forks = [(i, t) for i, t in pairs if t["taskType"] == "FORK"]
        for f, fork in reversed(forks):
            end = subtree_end(self.flat, f)
            inside = [n for n, (i, _) in enumerate(pairs) if f <= i <= end]
            after = any(i > end for i, _ in pairs)
            join = self.join(f, fork, [t for i, t in pairs if f < i <= end], after, scope)
            at = inside[-1] + 1
            pairs.insert(at, (f, join))
            tasks.insert(at, join)
        return tasks

    def join(self, f: int, fork: dict[str, Any], branch: list[dict[str, Any]], moved_on: bool,
             scope: int) -> dict[str, Any]:
        sdef = self.flat[f][0]
        wt = cd.join_task(sdef)
        scope_status = self.scope_of[scope][2]
        if moved_on or scope_status == "COMPLETED":
            status = "COMPLETED"
        elif scope_status in ("RUNNING", "PAUSED"):
            status = "IN_PROGRESS"
        else:
            status = "CANCELED"
        live = {t["referenceTaskName"]: t for t in branch if not t["retried"]}
        ends = [t["endTime"] for t in branch if t["endTime"]]
        done = status == "COMPLETED"
        return base_task(
            self.p, fork["workflowInstanceId"], cd.join_id(self.pid, f, cd.gen(self.p, f)),
            wt["taskReferenceName"], "JOIN", status, taskDefName=wt["name"],
            inputData={"joinOn": wt["joinOn"]}, workflowType=fork.get("workflowType"),
            outputData={ref: live[ref]["outputData"] for ref in wt["joinOn"] if ref in live}
            if done else {}, scheduledTime=fork["scheduledTime"], startTime=fork["startTime"],
            endTime=max(ends) if done and ends else 0,
            updateTime=max(ends, default=fork["updateTime"]), executed=done,
            workflowTask=wt)


def build(store: MockStore, p: dict[str, Any]) -> Built:
    """Every task of ``p`` and its sub-workflows (see the module docstring)."""
    return _Builder(store, p).run()


def tasks_of(store: MockStore, p: dict[str, Any]) -> list[dict[str, Any]]:
    """The tasks of the workflow ``p`` itself (its sub-workflows' tasks are theirs)."""
    return build(store, p).scopes.get(-1, [])


def find_task(store: MockStore, p: dict[str, Any], tid: str) -> dict[str, Any] | None:
    """The task ``tid`` of ``p`` or of one of its sub-workflows (kept ones included)."""
    tid = tid.strip().lower()
    built = build(store, p)
    found = next((t for t in built.all_tasks() if t["taskId"] == tid), None)
    if found is None:
        for child in (cd.state(p).get("children") or {}).values():
            found = next((t for t in child["tasks"] if t["taskId"] == tid), found)
    return found


def child_workflow(store: MockStore, p: dict[str, Any], cid: str) -> dict[str, Any] | None:
    """The sub-workflow ``cid`` of ``p``, live or kept from an earlier attempt; None if none."""
    cid = cid.strip().lower()
    built = build(store, p)
    if cid in built.subs:
        idx, task = built.subs[cid]
        return cd.child_workflow(p, task, store.info(p)["flat"][idx][0], built.scopes.get(idx, []))
    kept = (cd.state(p).get("children") or {}).get(cid)
    if kept is not None:
        return kept
    for task in built.all_tasks():  # an earlier automatic attempt: its run kept no tasks here
        if task.get("subWorkflowId") == cid:
            idx = next(i for i, (s, _) in enumerate(store.info(p)["flat"])
                       if s["ref"] == task["referenceTaskName"])
            return cd.child_workflow(p, task, store.info(p)["flat"][idx][0], [])
    return None
