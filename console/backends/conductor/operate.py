"""What ``ConductorClient`` sends to act on workflows: the bulk calls, and the operator features
Conductor users reach for (skip a task, rerun from a task, correlated workflows, running ids).

Each is a function of the client (which holds the transport and the auth); the client's own
methods are one line each. The calls and the rules the server applies are in docs/backends.md,
read off conductor-oss (``WorkflowResource``, ``WorkflowBulkResource``, ``WorkflowExecutorOps``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from console import errors
from console.backends.conductor import shapes
from console.models import ActionDetail, ProcessData

if TYPE_CHECKING:
    from console.backends.conductor.client import ConductorClient

_ENDED = frozenset({"COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED"})
#: Which Conductor workflow statuses each action applies to (None: any). Conductor would also
#: terminate a FAILED or TIMED_OUT workflow (it only relabels it); meshdeck does not offer that.
#: ``remove`` deletes for good (archiveWorkflow=false), so meshdeck keeps it to ended workflows.
APPLIES_TO: dict[str, frozenset[str] | None] = {
    "terminate": frozenset({"RUNNING", "PAUSED"}),
    "resume": frozenset({"PAUSED", "FAILED", "TIMED_OUT", "TERMINATED"}),
    "pause": frozenset({"RUNNING"}),
    "restart": _ENDED,
    "restart_latest": _ENDED,
    "remove": _ENDED,
    "rerun": None,
}
#: action -> (method, bulk path, query); resume is split into resume (PAUSED) and retry (the rest).
BULK: dict[str, tuple[str, str, dict[str, str]]] = {
    "terminate": ("POST", "workflow/bulk/terminate", {}),
    "pause": ("PUT", "workflow/bulk/pause", {}),
    "resume": ("PUT", "workflow/bulk/resume", {}),
    "retry": ("POST", "workflow/bulk/retry", {}),
    "restart": ("POST", "workflow/bulk/restart", {}),
    "restart_latest": ("POST", "workflow/bulk/restart", {"useLatestDefinitions": "true"}),
    "remove": ("DELETE", "workflow/bulk/remove", {"archiveWorkflow": "false"}),
}
DONE = {"terminate": "terminated", "pause": "paused", "resume": "resumed",
        "retry": "retried from the failed task", "restart": "restarted",
        "restart_latest": "restarted on the latest definition", "remove": "removed"}


def _path(value: str) -> str:
    return quote(value, safe="")


# ---- bulk actions ----------------------------------------------------------------------------

async def send_chunk(client: ConductorClient, action: str, ids: list[str], reason: str | None,
                     settled: dict[str, ActionDetail]) -> None:
    """One bulk call per chunk. ``resume`` means carry on: a PAUSED workflow is resumed
    (``bulk/resume``) and the ids that call refuses (not paused) are then retried from their
    failed task (``bulk/retry``); the resumed ones are settled before the retry is sent."""
    if action not in BULK or action == "retry":
        raise errors.BadRequest(client.unsupported(action) or f"no bulk call for {action!r}")
    if action == "remove":
        ids = await _finished_only(client, ids, settled)
        if not ids:
            return
    details = await _chunk(client, action, ids, reason)
    if action != "resume":
        settled.update(details)
        return
    refused = [i for i in ids if i in details and not details[i].ok]
    settled.update({i: d for i, d in details.items() if i not in refused})
    if not refused:
        return
    retried = await _chunk(client, "retry", refused, None)
    for pid, detail in retried.items():
        settled[pid] = detail if detail.ok else ActionDetail(
            id=pid, error=f"resume: {details[pid].error}; retry: {detail.error}")


async def _finished_only(client: ConductorClient, ids: list[str],
                         settled: dict[str, ActionDetail]) -> list[str]:
    """Conductor deletes a workflow without archiving whatever its status, even a RUNNING one
    (``ExecutionDAOFacade.removeWorkflow``): meshdeck removes only ended ones, so each id's
    status is read first and the others are settled as refused, unsent."""
    ended = []
    for fetched in await client.get_many(ids):
        status = fetched.process.status if fetched.process is not None else None
        if status in _ENDED:
            ended.append(fetched.id)
        elif fetched.error is not None and not isinstance(fetched.error, errors.NotFound):
            settled[fetched.id] = ActionDetail(
                id=fetched.id, error=f"not removed: its status could not be read ({fetched.error})")
        else:
            said = f"it is {status}" if status else "no such workflow"
            settled[fetched.id] = ActionDetail(
                id=fetched.id, error=f"not removed: {said} (meshdeck removes only COMPLETED, "
                                     "FAILED, TIMED_OUT or TERMINATED workflows; terminate it first)")
    return ended


async def _chunk(client: ConductorClient, action: str, chunk: list[str], reason: str | None
                 ) -> dict[str, ActionDetail]:
    """One bulk call: a detail per id the answer mentions (an id it leaves out is left out
    here too: its outcome is unknown)."""
    method, path, query = BULK[action]
    params = {**query, **({"reason": reason} if reason and action == "terminate" else {})}
    data = await client._json(method, path, params=params or None, json_body=chunk)
    if not isinstance(data, dict):
        raise errors.BadResponse(f"{client.base}/{path} did not send a bulk response", status=200)
    ok = {str(i) for i in data.get("bulkSuccessfulResults") or []}
    failed = {str(k): str(v) for k, v in (data.get("bulkErrorResults") or {}).items()}
    out = {}
    for pid in chunk:
        if pid in failed:
            out[pid] = ActionDetail(id=pid, message=failed[pid], error=failed[pid] or "failed")
        elif pid in ok:
            out[pid] = ActionDetail(id=pid, message=DONE[action])
    return out


# ---- operator features -----------------------------------------------------------------------

async def skip_step(client: ConductorClient, wid: str, ref: str,
                    step_input: dict[str, Any] | None, step_output: dict[str, Any] | None) -> None:
    """``PUT workflow/{id}/skiptask/{ref}`` with a SkipTaskRequest body. Conductor refuses with
    a 500 (an IllegalStateException) when the workflow is not RUNNING, the definition has no
    such reference name, or the task already exists: that is said as a refusal."""
    body = {"taskInput": step_input or {}, "taskOutput": step_output or {}}
    try:
        await client._request("PUT", f"workflow/{_path(wid)}/skiptask/{_path(ref)}", json_body=body)
    except errors.ServerError as exc:
        if not exc.server_message:
            raise
        raise errors.BadRequest(f"Conductor would not skip {ref} in {wid}: {exc.server_message} "
                                "(only a task that has not started, in a RUNNING workflow, can "
                                "be skipped)", url=exc.url, status=exc.status) from None


async def rerun_from_step(client: ConductorClient, wid: str, step_id: str,
                          step_input: dict[str, Any] | None) -> ProcessData:
    """``POST workflow/{id}/rerun`` with ``reRunFromTaskId`` (and ``taskInput``): the SAME
    workflow runs again from that task, which keeps its id; the tasks after it are dropped."""
    body: dict[str, Any] = {"reRunFromWorkflowId": wid, "reRunFromTaskId": step_id}
    if step_input is not None:
        body["taskInput"] = step_input
    response = await client._request("POST", f"workflow/{_path(wid)}/rerun", json_body=body)
    return await client.get_process(response.text.strip().strip('"') or wid)


async def correlated(client: ConductorClient, name: str, correlation_id: str,
                     include_finished: bool) -> list[ProcessData]:
    """``GET workflow/{name}/correlated/{correlationId}?includeClosed``: Conductor lists only
    RUNNING ones unless ``includeClosed`` (a PAUSED one is not RUNNING)."""
    data = await client._json("GET", f"workflow/{_path(name)}/correlated/{_path(correlation_id)}",
                              params={"includeClosed": str(include_finished).lower(),
                                      "includeTasks": "false"})
    if not isinstance(data, list):
        raise errors.BadResponse(f"{client.base}/workflow/{name}/correlated did not send a list")
    found = [shapes.process(w) for w in data if isinstance(w, dict)]
    return sorted(found, key=lambda p: p.created or 0, reverse=True)


async def running_ids(client: ConductorClient, name: str, version: int | None) -> list[str]:
    """``GET workflow/running/{name}?version``: the ids of one version's unfinished (RUNNING or
    PAUSED) workflows. Conductor's version defaults to 1, not the latest, so without a version
    every version the server lists is asked for."""
    versions = [version] if version is not None else await client.definition_versions("", name)
    out: dict[str, None] = {}
    for v in versions:
        data = await client._json("GET", f"workflow/running/{_path(name)}", params={"version": v})
        if not isinstance(data, list):
            raise errors.BadResponse(f"{client.base}/workflow/running/{name} did not send a list")
        out.update((str(i), None) for i in data)
    return list(out)
