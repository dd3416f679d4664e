"""The Conductor mock's metadata and task routes (``MetadataResource.java``, ``TaskResource.java``).

- ``GET /api/metadata/workflow``: every version of every definition (``MetadataServiceImpl
  .getWorkflowDefs``); ``/latest-versions``: the latest of each; ``/{name}?version``: one (404
  "No such workflow found by name: N, version: V" — V is ``null`` when not asked for).
- ``GET /api/metadata/taskdefs`` and ``/{name}``: the SIMPLE tasks' TaskDefs (404 "No such
  taskType found by name: N").
- ``GET /api/tasks/{taskId}``: one task (404 "Task not found for taskId: ID"); ``GET
  /api/tasks/{taskId}/log``: its TaskExecLogs, or 204 with no body when it has none (an unknown
  id too, as in Conductor); ``POST`` adds one (the body is the text).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from console.mock import conductor_dialect as cd
from console.mock.conductor_dialect import java_text as _java
from console.mock.conductor_ids import parse_task_id
from console.mock.conductor_tasks import find_task
from console.mock.http import Routes, store_of, to_int
from console.mock.store import MockStore, NotFound

routes = Routes()


@routes.get("/api/metadata/workflow")
async def list_definitions(request: Request) -> Response:
    store = store_of(request)
    return JSONResponse([cd.definition(store, store.definition(ns, name, v))
                         for (ns, name), versions in store.definitions.items()
                         for v in sorted(versions)])


@routes.get("/api/metadata/workflow/latest-versions")
async def latest_definitions(request: Request) -> Response:
    store = store_of(request)
    return JSONResponse([cd.definition(store, d) for d in store.list_definitions()])


@routes.get("/api/metadata/workflow/{name}")
async def get_definition(request: Request) -> Response:
    store = store_of(request)
    name = request.path_params["name"]
    version = to_int(request.query_params.get("version"), "version", None)
    namespace = next((ns for ns, n in store.definitions if n == name), None)
    if namespace is None or (version is not None and version not in store.definitions[(namespace, name)]):
        raise NotFound(f"No such workflow found by name: {name}, version: {_java(version)}")
    return JSONResponse(cd.definition(store, store.definition(namespace, name, version)))


@routes.get("/api/metadata/taskdefs")
async def task_definitions(request: Request) -> Response:
    return JSONResponse(cd.task_definitions(store_of(request)))


@routes.get("/api/metadata/taskdefs/{name}")
async def task_definition(request: Request) -> Response:
    name = request.path_params["name"]
    found = next((t for t in cd.task_definitions(store_of(request)) if t["name"] == name), None)
    if found is None:
        raise NotFound(f"No such taskType found by name: {name}")
    return JSONResponse(found)


def _task(store: MockStore, tid: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(the stored process, the task) of a task id; (None, None) when it names none."""
    key = parse_task_id(tid)
    p = store.processes.get(key.pid) if key is not None else None
    if p is None:
        return None, None
    store.tick()
    return p, find_task(store, p, tid)


@routes.get("/api/tasks/{tid}")
async def get_task(request: Request) -> Response:
    _, task = _task(store_of(request), request.path_params["tid"])
    if task is None:
        raise NotFound(f"Task not found for taskId: {request.path_params['tid']}")
    return JSONResponse(task)


def task_logs(p: dict[str, Any], task: dict[str, Any]) -> list[dict[str, Any]]:
    """What a worker would have logged on a SIMPLE task, then what clients added."""
    tid = task["taskId"]
    logs = []
    if task["taskType"] == task.get("taskDefName") and task.get("workerId") and task["startTime"]:
        logs.append({"log": f"{task['workerId']} picked up {task['referenceTaskName']} "
                            f"(attempt {task['retryCount'] + 1})", "taskId": tid,
                     "createdTime": task["startTime"]})
        if task.get("reasonForIncompletion"):
            logs.append({"log": f"error: {task['reasonForIncompletion']}", "taskId": tid,
                         "createdTime": task["endTime"] or task["updateTime"]})
    return logs + list((cd.state(p).get("logs") or {}).get(tid, []))


@routes.get("/api/tasks/{tid}/log")
async def get_task_log(request: Request) -> Response:
    p, task = _task(store_of(request), request.path_params["tid"])
    logs = task_logs(p, task) if p is not None and task is not None else []
    return JSONResponse(logs) if logs else Response(status_code=204)


@routes.post("/api/tasks/{tid}/log")
async def add_task_log(request: Request) -> Response:
    store = store_of(request)
    p, task = _task(store, request.path_params["tid"])
    if p is not None and task is not None:
        text = (await request.body()).decode("utf-8", "replace")
        p.setdefault("_c", {}).setdefault("logs", {}).setdefault(task["taskId"], []).append(
            {"log": text, "taskId": task["taskId"], "createdTime": store.clock()})
    return Response(status_code=200)
