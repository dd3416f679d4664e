"""Contract: every endpoint of ``meshdeck mock serve --dialect conductor`` (a subprocess, real
HTTP) answers with the method, status code and shape Conductor OSS's controllers have. Shapes
are the ones written down from the Conductor source in ``tests/conductor/shapes.py`` (each names
its source file); status codes and messages are ``WorkflowExecutorOps`` and
``ApplicationExceptionMapper``'s (see ``console/mock/conductor_ops.py``)."""

from __future__ import annotations

import httpx
import pytest

from tests.conductor import shapes as S


@pytest.fixture(scope="module")
def api(conductor_server):
    with httpx.Client(base_url=conductor_server + "/", timeout=10) as client:
        yield client


def ok(shape: S.Shape, value) -> None:
    problems = shape.problems(value)
    assert not problems, "\n".join(problems[:20])


def search(api, query: str, size: int = 5, v2: bool = False, **params) -> list[dict]:
    r = api.get("workflow/search-v2" if v2 else "workflow/search",
                params={"query": query, "size": size, **params})
    assert r.status_code == 200, r.text
    return r.json()["results"]


def one(api, status: str) -> dict:
    return api.get(f"workflow/{search(api, f'status IN ({status})', 1)[0]['workflowId']}").json()


def error(r: httpx.Response, status: int, message: str | None = None) -> dict:
    assert r.status_code == status, r.text
    ok(S.ERROR_RESPONSE, r.json())
    if message is not None:
        assert r.json()["message"] == message
    return r.json()


def start(api, name: str = "charge_card", body: dict | None = None, **params) -> str:
    r = api.post(f"workflow/{name}", json=body or {}, params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain"), r.text
    return r.text


# ---- reading --------------------------------------------------------------------------------

def test_search_is_a_search_result_of_summaries(api):
    r = api.get("workflow/search", params={"size": 7})
    ok(S.SEARCH_SUMMARIES, r.json())
    assert len(r.json()["results"]) == 7 and r.json()["totalHits"] >= 7


def test_search_v2_gives_whole_workflows_without_tasks_and_sorts(api):
    r = api.get("workflow/search-v2", params={"size": 5, "query": "status IN (COMPLETED)"})
    ok(S.SEARCH_WORKFLOWS, r.json())
    rows = r.json()["results"]
    assert all(w["tasks"] == [] and w["status"] == "COMPLETED" and "ownerApp" in w for w in rows)
    up = search(api, "status IN (COMPLETED)", 5, v2=True, sort="startTime:ASC")
    down = search(api, "status IN (COMPLETED)", 5, v2=True, sort="startTime:DESC")
    assert [w["startTime"] for w in up] == sorted(w["startTime"] for w in up)
    assert up[0]["startTime"] < down[0]["startTime"]
    by_name = search(api, "", 20, v2=True, sort="workflowType|startTime:DESC")
    assert [w["workflowName"] for w in by_name] == sorted(w["workflowName"] for w in by_name)
    error(api.get("workflow/search", params={"sort": "colour:UP"}), 400)


def test_get_workflow_with_and_without_tasks(api):
    wf = one(api, "FAILED")
    ok(S.WORKFLOW, wf)
    assert wf["tasks"] and wf["workflowDefinition"]["name"] == wf["workflowName"]
    assert wf["tasks"][-1]["status"] == "FAILED" and wf["reasonForIncompletion"]
    bare = api.get(f"workflow/{wf['workflowId']}", params={"includeTasks": "false"}).json()
    assert bare["tasks"] == [] and bare["workflowId"] == wf["workflowId"]
    error(api.get("workflow/00000001-0000-4000-8000-000000000000"), 404,
          "No such workflow found by id: 00000001-0000-4000-8000-000000000000")


def test_status_summary_and_its_options(api):
    wf = one(api, "COMPLETED")
    r = api.get(f"workflow/{wf['workflowId']}/status")
    ok(S.WORKFLOW_STATUS, r.json())
    assert r.json()["status"] == "COMPLETED" and "output" not in r.json()
    full = api.get(f"workflow/{wf['workflowId']}/status",
                   params={"includeOutput": "true", "includeVariables": "true"}).json()
    assert full["output"] == wf["output"] and full["variables"] == {}


def test_tasks_of_a_workflow_in_pages(api):
    wf = one(api, "COMPLETED")
    r = api.get(f"workflow/{wf['workflowId']}/tasks", params={"start": 1, "count": 2})
    ok(S.SEARCH_TASKS, r.json())
    assert r.json()["totalHits"] == len(wf["tasks"])
    assert [t["taskId"] for t in r.json()["results"]] == [t["taskId"] for t in wf["tasks"][1:3]]


def test_correlated_running_unless_closed_asked_for(api):
    cid = "contract-corr-1"
    running = start(api, "send_sms", correlationId=cid)
    done = start(api, "send_sms", correlationId=cid)
    assert api.delete(f"workflow/{done}", params={"reason": "contract"}).status_code == 200
    r = api.get(f"workflow/send_sms/correlated/{cid}")
    assert r.status_code == 200 and isinstance(r.json(), list)
    for w in r.json():
        ok(S.WORKFLOW, w)
    assert [w["workflowId"] for w in r.json()] in ([running], [])  # [] once it has finished
    closed = api.get(f"workflow/send_sms/correlated/{cid}", params={"includeClosed": "true",
                                                                    "includeTasks": "true"}).json()
    assert {w["workflowId"] for w in closed} == {running, done} and all(w["tasks"] for w in closed)
    many = api.post("workflow/send_sms/correlated", json=[cid, "nobody"],
                    params={"includeClosed": "true"}).json()
    assert set(many) == {cid, "nobody"} and many["nobody"] == [] and len(many[cid]) == 2


def test_running_ids_of_a_version(api):
    wid = start(api, "send_email", version=3)
    r = api.get("workflow/running/send_email", params={"version": 3})
    assert r.status_code == 200 and all(isinstance(i, str) for i in r.json())
    for i in r.json()[:5]:
        assert api.get(f"workflow/{i}/status").json()["status"] in ("RUNNING", "PAUSED")
    assert wid in r.json() or api.get(f"workflow/{wid}/status").json()["status"] != "RUNNING"
    assert wid not in api.get("workflow/running/send_email", params={"version": 1}).json()


# ---- starting -------------------------------------------------------------------------------

def test_start_answers_the_id_as_text_and_input_is_what_was_sent_plus_the_template(api):
    defn = api.get("metadata/workflow/charge_card").json()
    wid = start(api, "charge_card", {"amount": 3, "priority": "high"}, correlationId="c-1")
    wf = api.get(f"workflow/{wid}").json()
    assert wf["input"] == {**defn["inputTemplate"], "amount": 3, "priority": "high"}
    assert wf["correlationId"] == "c-1" and wf["workflowVersion"] == defn["version"]
    r = api.post("workflow", json={"name": "charge_card", "version": 1, "input": {"a": 1}})
    assert r.status_code == 200 and api.get(f"workflow/{r.text}").json()["workflowVersion"] == 1
    error(api.post("workflow/no_such_flow", json={}), 404)


# ---- acting on one --------------------------------------------------------------------------

def test_single_actions_have_conductors_codes(api):
    wid = start(api)
    short = f"charge_card.3/{wid}"
    for method, path, code in [("PUT", "pause", 200), ("PUT", "pause", 200), ("PUT", "resume", 200)]:
        r = api.request(method, f"workflow/{wid}/{path}")
        assert (r.status_code, r.content) == (code, b"")
    error(api.post(f"workflow/{wid}/retry"), 404, "Workflow is still running.  status=RUNNING")
    error(api.post(f"workflow/{wid}/restart"), 409,
          f"Workflow: {short}.RUNNING is not in terminal state, unable to restart.")
    error(api.put(f"workflow/{wid}/resume"), 500,
          f"The workflow {wid} is not PAUSED so cannot resume. Current status is RUNNING")
    assert api.delete(f"workflow/{wid}", params={"reason": "contract"}).status_code == 200
    assert api.delete(f"workflow/{wid}").status_code == 200  # TERMINATED already: nothing
    error(api.put(f"workflow/{wid}/pause"), 409,
          f"Workflow {short} has ended, status cannot be updated.")
    r = api.post(f"workflow/{wid}/retry")
    assert (r.status_code, r.content) == (204, b"")
    api.delete(f"workflow/{wid}")
    assert api.post(f"workflow/{wid}/restart").status_code == 204
    api.delete(f"workflow/{wid}")
    r = api.post(f"workflow/{wid}/rerun", json={"reRunFromWorkflowId": wid})
    assert (r.status_code, r.text) == (200, wid)
    done = one(api, "COMPLETED")
    error(api.delete(f"workflow/{done['workflowId']}"), 409, "Cannot terminate a COMPLETED workflow.")
    error(api.post(f"workflow/{done['workflowId']}/retry"), 409,
          "There are no retryable tasks! Use restart if you want to attempt entire workflow "
          "execution again.")


def test_retry_keeps_the_failed_task_and_appends_a_new_attempt(api):
    wf = one(api, "FAILED")
    failed = wf["tasks"][-1]
    assert api.post(f"workflow/{wf['workflowId']}/retry").status_code == 204
    after = api.get(f"workflow/{wf['workflowId']}").json()
    ok(S.WORKFLOW, after)
    kept = next(t for t in after["tasks"] if t["taskId"] == failed["taskId"])
    assert kept["status"] == "FAILED" and kept["retried"] is True
    new = after["tasks"][after["tasks"].index(kept) + 1]
    assert new["referenceTaskName"] == failed["referenceTaskName"]
    assert new["taskId"] != failed["taskId"] and new["retriedTaskId"] == failed["taskId"]
    assert new["retryCount"] == failed["retryCount"] + 1 and not new["retried"]


def test_restart_with_the_latest_definitions(api):
    old = search(api, "workflowType IN (charge_card) AND version IN (1) AND status IN "
                      "(COMPLETED,FAILED,TIMED_OUT,TERMINATED)", 1)[0]
    r = api.post(f"workflow/{old['workflowId']}/restart", params={"useLatestDefinitions": "true"})
    assert r.status_code == 204
    wf = api.get(f"workflow/{old['workflowId']}").json()
    assert wf["workflowVersion"] == 3 == wf["workflowDefinition"]["version"]
    assert wf["status"] in ("RUNNING", "COMPLETED")


def test_rerun_from_a_task_keeps_its_id_sets_its_input_and_drops_the_later_ones(api):
    wf = one(api, "COMPLETED")
    target = wf["tasks"][1]
    r = api.post(f"workflow/{wf['workflowId']}/rerun",
                 json={"reRunFromWorkflowId": wf["workflowId"], "reRunFromTaskId": target["taskId"],
                       "taskInput": {"edited": True}})
    assert (r.status_code, r.text) == (200, wf["workflowId"])
    after = api.get(f"workflow/{wf['workflowId']}").json()
    again = next(t for t in after["tasks"] if t["taskId"] == target["taskId"])
    assert again["inputData"] == {"edited": True}
    assert after["tasks"][0]["taskId"] == wf["tasks"][0]["taskId"]
    later = {t["taskId"] for t in wf["tasks"][2:]}
    assert not later & {t["taskId"] for t in after["tasks"]}
    error(api.post(f"workflow/{one(api, 'FAILED')['workflowId']}/rerun",
                   json={"reRunFromTaskId": "nope"}), 400, "Task nope not found")


def test_skip_a_task_that_has_not_started(api):
    wf = one(api, "RUNNING")
    started = {t["referenceTaskName"] for t in wf["tasks"]}
    ref = next(t["taskReferenceName"] for t in wf["workflowDefinition"]["tasks"]
               if t["taskReferenceName"] not in started and t["type"] != "JOIN")
    r = api.put(f"workflow/{wf['workflowId']}/skiptask/{ref}", json={"taskOutput": {"ok": 1}})
    assert (r.status_code, r.content) == (200, b"")
    skipped = next(t for t in api.get(f"workflow/{wf['workflowId']}").json()["tasks"]
                   if t["referenceTaskName"] == ref)
    ok(S.TASK, skipped)
    assert skipped["status"] == "SKIPPED" and skipped["outputData"] == {"ok": 1}
    error(api.put(f"workflow/{wf['workflowId']}/skiptask/{ref}"), 500,
          f"The task referenced {ref} has already been processed, cannot be skipped")
    failed = one(api, "FAILED")["workflowId"]
    error(api.put(f"workflow/{failed}/skiptask/{ref}"), 500,
          f"The workflow {failed} is not running so the task referenced by {ref} cannot be skipped")


def test_remove_archives_by_default_and_deletes_without(api):
    running = start(api)
    error(api.delete(f"workflow/{running}/remove"), 400,
          f"Cannot archive workflow: {running} with status: RUNNING")
    done = one(api, "COMPLETED")["workflowId"]
    assert api.delete(f"workflow/{done}/remove").status_code == 200
    assert api.get(f"workflow/{done}").status_code == 200  # archived: still in the index
    r = api.delete(f"workflow/{done}/remove", params={"archiveWorkflow": "false"})
    assert (r.status_code, r.content) == (200, b"")
    error(api.get(f"workflow/{done}"), 404, f"No such workflow found by id: {done}")
    assert not search(api, f"workflowId IN ({done})")


def test_routes_do_not_swallow_each_other(api):
    wid = one(api, "COMPLETED")["workflowId"]
    assert api.get(f"workflow/{wid}/status").json()["workflowId"] == wid
    error(api.put(f"workflow/{wid}/status"), 405)
    error(api.get(f"workflow/{wid}/pause"), 405)
    error(api.post("workflow/bulk/pause", json=[wid]), 405)
    assert api.get("workflow/search-v2").json()["totalHits"] > 0
    assert isinstance(api.get("workflow/running/charge_card").json(), list)


# ---- bulk -----------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path,params,status,said", [
    ("PUT", "pause", {}, "COMPLETED", "has ended, status cannot be updated."),
    ("PUT", "resume", {}, "COMPLETED", "is not PAUSED so cannot resume"),
    ("POST", "retry", {}, "COMPLETED", "There are no retryable tasks!"),
    ("POST", "restart", {"useLatestDefinitions": "true"}, "RUNNING", "is not in terminal state"),
    ("POST", "terminate", {"reason": "bulk"}, "COMPLETED", "Cannot terminate a COMPLETED workflow."),
    ("DELETE", "remove", {}, "RUNNING", "Cannot archive workflow"),
])
def test_bulk_calls_answer_per_id(api, method, path, params, status, said):
    refused = one(api, status)["workflowId"]
    r = api.request(method, f"workflow/bulk/{path}", json=[refused, "nope"], params=params)
    assert r.status_code == 200, r.text
    ok(S.BULK_RESPONSE, r.json())
    assert r.json()["bulkSuccessfulResults"] == []
    assert said in r.json()["bulkErrorResults"][refused]
    assert r.json()["bulkErrorResults"]["nope"] == "No such workflow found by id: nope"
    error(api.request(method, f"workflow/bulk/{path}", json=[]), 400)


def test_bulk_remove_without_archive(api):
    wids = [w["workflowId"] for w in search(api, "status IN (TERMINATED)", 2)]
    r = api.request("DELETE", "workflow/bulk/remove", json=wids, params={"archiveWorkflow": "false"})
    assert sorted(r.json()["bulkSuccessfulResults"]) == sorted(wids)
    assert all(api.get(f"workflow/{w}").status_code == 404 for w in wids)


# ---- metadata and tasks ---------------------------------------------------------------------

def test_workflow_definitions_every_version_latest_and_one(api):
    every = api.get("metadata/workflow").json()
    latest = api.get("metadata/workflow/latest-versions").json()
    for d in every + latest:
        ok(S.WORKFLOW_DEF, d)
    assert len(every) > len(latest) == len({d["name"] for d in every})
    assert sorted(d["version"] for d in every if d["name"] == "charge_card") == [1, 2, 3]
    assert next(d for d in latest if d["name"] == "charge_card")["version"] == 3
    v1 = api.get("metadata/workflow/charge_card", params={"version": 1}).json()
    assert v1["version"] == 1 and v1["inputTemplate"] == {"source": "meshdeck-mock",
                                                          "priority": "normal"}
    error(api.get("metadata/workflow/nope"), 404, "No such workflow found by name: nope, version: null")
    fork = next(d for d in latest if d["name"] == "dispute_chargeback")["tasks"]
    at = [t["type"] for t in fork].index("FORK_JOIN")
    assert fork[at + 1]["type"] == "JOIN" and fork[at + 1]["joinOn"]


def test_task_definitions(api):
    defs = api.get("metadata/taskdefs").json()
    for d in defs:
        ok(S.TASK_DEF, d)
    assert api.get(f"metadata/taskdefs/{defs[0]['name']}").json() == defs[0]
    error(api.get("metadata/taskdefs/nope"), 404, "No such taskType found by name: nope")


def test_tasks_logs_and_runtime_types(api):
    wf = one(api, "COMPLETED")
    for t in wf["tasks"]:
        ok(S.TASK, api.get(f"tasks/{t['taskId']}").json())
        kind = t["workflowTask"]["type"]
        assert t["taskType"] == {"SIMPLE": t["taskDefName"], "FORK_JOIN": "FORK"}.get(kind, kind)
    simple = next((t for t in wf["tasks"] if t["workflowTask"]["type"] == "SIMPLE"), None)
    if simple is not None:
        logs = api.get(f"tasks/{simple['taskId']}/log")
        assert logs.status_code == 200 and logs.json()
        for entry in logs.json():
            ok(S.TASK_EXEC_LOG, entry)
    system = next(t for t in wf["tasks"] if t["workflowTask"]["type"] != "SIMPLE")
    assert (api.get(f"tasks/{system['taskId']}/log").status_code,) == (204,)
    error(api.get("tasks/nope"), 404, "Task not found for taskId: nope")


def test_forks_join_and_sub_workflows_are_their_own(api):
    wf = api.get(f"workflow/{search(api, 'workflowType IN (create_order) AND status IN (COMPLETED)', 1)[0]['workflowId']}").json()
    types = [t["taskType"] for t in wf["tasks"]]
    assert types.index("FORK") < types.index("JOIN")
    sub = next(t for t in wf["tasks"] if t["taskType"] == "SUB_WORKFLOW")
    child = api.get(f"workflow/{sub['subWorkflowId']}").json()
    ok(S.WORKFLOW, child)
    assert child["parentWorkflowId"] == wf["workflowId"] and child["parentWorkflowTaskId"] == sub["taskId"]
    assert child["tasks"] and not {t["taskId"] for t in child["tasks"]} & {t["taskId"] for t in wf["tasks"]}
    assert sub["workflowTask"]["subWorkflowParam"]["workflowDefinition"]["name"] == child["workflowName"]


def test_the_shape_check_itself_finds_what_is_wrong():
    row = {"workflowType": "x", "version": "2", "colour": "red", "executionTime": 0,
           "failedReferenceTaskNames": "", "priority": 0, "failedTaskNames": [],
           "taskToDomain": {}, "parentWorkflowId": "", "inputSize": 0}
    assert S.WORKFLOW_SUMMARY.problems(row) == [
        "WorkflowSummary.colour: not a field of WorkflowSummary "
        "(common/src/main/java/com/netflix/conductor/common/run/WorkflowSummary.java)",
        "WorkflowSummary.outputSize: always written by WorkflowSummary, missing",
        "WorkflowSummary.version: str, WorkflowSummary has int"]
