"""The official conductor-python 2.0.0 client's workflow, bulk and metadata calls against
``meshdeck mock serve --dialect conductor`` (a subprocess, real HTTP)."""

from __future__ import annotations

import pytest

conductor = pytest.importorskip("conductor.client.orkes_clients")

from conductor.client.configuration.configuration import Configuration  # noqa: E402
from conductor.client.http.api.workflow_bulk_resource_api import WorkflowBulkResourceApi  # noqa: E402
from conductor.client.http.api_client import ApiClient  # noqa: E402
from conductor.client.http.models.rerun_workflow_request import RerunWorkflowRequest  # noqa: E402
from conductor.client.http.models.start_workflow_request import StartWorkflowRequest  # noqa: E402
from conductor.client.orkes_clients import OrkesClients  # noqa: E402


@pytest.fixture(scope="module")
def sdk(conductor_server):
    config = Configuration(server_api_url=conductor_server)
    clients = OrkesClients(configuration=config)
    return clients.get_workflow_client(), WorkflowBulkResourceApi(ApiClient(config)), clients


def test_search_get_with_tasks(sdk):
    workflows, _, _ = sdk
    found = workflows.search(start=0, size=5, query="status IN (FAILED)")
    assert len(found.results) == 5 and {r.status for r in found.results} == {"FAILED"}
    wf = workflows.get_workflow(found.results[0].workflow_id, include_tasks=True)
    assert wf.status == "FAILED" and wf.workflow_id == found.results[0].workflow_id
    assert wf.tasks and wf.tasks[-1].status == "FAILED" and wf.tasks[-1].reason_for_incompletion
    assert all(t.workflow_instance_id == wf.workflow_id for t in wf.tasks)


def test_start_pause_resume_terminate_retry_restart_rerun(sdk):
    workflows, _, _ = sdk
    wid = workflows.start_workflow_by_name("charge_card", {"amount": 3}, correlationId="sdk-1")
    wf = workflows.get_workflow(wid)
    assert wf.status == "RUNNING" and wf.correlation_id == "sdk-1" and wf.input["amount"] == 3
    workflows.pause_workflow(wid)
    assert workflows.get_workflow(wid).status == "PAUSED"
    workflows.resume_workflow(wid)
    assert workflows.get_workflow(wid).status == "RUNNING"
    workflows.terminate_workflow(wid, reason="sdk test")
    assert workflows.get_workflow(wid).status == "TERMINATED"
    workflows.retry_workflow(wid)
    assert workflows.get_workflow(wid).status == "RUNNING"
    workflows.terminate_workflow(wid)
    workflows.restart_workflow(wid)
    assert workflows.get_workflow(wid).status == "RUNNING"
    workflows.terminate_workflow(wid)
    assert workflows.rerun_workflow(wid, RerunWorkflowRequest(re_run_from_workflow_id=wid)) == wid
    assert workflows.get_workflow(wid).status == "RUNNING"


def test_a_refused_action_is_an_api_error(sdk):
    from conductor.client.http.rest import ApiException

    workflows, _, _ = sdk
    done = workflows.search(size=1, query="status IN (COMPLETED)").results[0].workflow_id
    with pytest.raises(ApiException) as info:
        workflows.pause_workflow(done)
    assert info.value.status == 409


def test_start_request_and_execute(sdk):
    workflows, _, _ = sdk
    request = StartWorkflowRequest(name="charge_card", version=3, input={"a": 1})
    wid = workflows.start_workflow(request)
    assert workflows.get_workflow(wid).workflow_version == 3
    run = workflows.execute_workflow(request, "req-1")
    assert run.status == "COMPLETED" and run.workflow_id and run.tasks


def test_bulk_terminate_and_retry_report_per_id(sdk):
    workflows, bulk, _ = sdk
    a = workflows.start_workflow_by_name("send_email", {})
    b = workflows.start_workflow_by_name("send_email", {})
    answer = bulk.terminate([a, b, "nope"], reason="bulk test")
    assert sorted(answer.bulk_successful_results) == sorted([a, b])
    assert "nope" in answer.bulk_error_results
    answer = bulk.retry([a, b])
    assert sorted(answer.bulk_successful_results) == sorted([a, b])
    assert workflows.get_workflow(a).status == "RUNNING"
    answer = bulk.pause_workflow([a])
    assert answer.bulk_successful_results == [a]
    assert bulk.resume_workflow([a, b]).bulk_error_results.keys() == {b}
    bulk.terminate([a, b])
    assert sorted(bulk.restart([a, b]).bulk_successful_results) == sorted([a, b])


def test_metadata(sdk):
    _, _, clients = sdk
    metadata = clients.get_metadata_client()
    names = {d.name for d in metadata.get_all_workflow_defs()}
    assert "charge_card" in names
    definition = metadata.get_workflow_def("charge_card")
    assert definition.name == "charge_card" and definition.tasks


def _search_v2(clients, query: str, size: int = 5):
    """conductor-python 2.0.0 has no search-v2 method; its ApiClient calls the path and reads
    the answer into its own SearchResultWorkflow model, as a newer client would."""
    api = clients.get_workflow_client().workflowResourceApi.api_client
    return api.call_api("/workflow/search-v2", "GET", query_params=[("query", query), ("size", size),
                                                                     ("sort", "startTime:DESC")],
                        header_params={"Accept": "application/json"},
                        response_type="SearchResultWorkflow", auth_settings=[],
                        _return_http_data_only=True)


def test_search_v2_status_and_task_logs(sdk):
    workflows, _, clients = sdk
    found = _search_v2(clients, "status IN (FAILED)", 3)
    assert found.total_hits >= 3 and len(found.results) == 3
    first = found.results[0]
    assert first.status == "FAILED" and first.workflow_id and first.tasks == []
    assert first.workflow_definition.name == first.workflow_name
    status = workflows.get_workflow_status(first.workflow_id, include_output=True,
                                           include_variables=True)
    assert status.status == "FAILED" and status.workflow_id == first.workflow_id
    assert status.output == first.output
    done = _search_v2(clients, "status IN (COMPLETED) AND workflowType IN (charge_card)", 1)
    wf = workflows.get_workflow(done.results[0].workflow_id, include_tasks=True)
    simple = next(t for t in wf.tasks if t.workflow_task.type == "SIMPLE")
    assert simple.task_type == simple.task_def_name
    logs = clients.get_task_client().get_task_logs(simple.task_id)
    assert logs and logs[0].task_id == simple.task_id


def test_remove_for_good(sdk):
    from conductor.client.http.rest import ApiException

    workflows, _, _ = sdk
    wid = workflows.start_workflow_by_name("send_sms", {})
    workflows.terminate_workflow(wid, reason="to remove")
    workflows.delete_workflow(wid, archive_workflow=False)
    with pytest.raises(ApiException) as info:
        workflows.get_workflow(wid)
    assert info.value.status == 404


def test_skip_a_task_of_a_running_workflow(sdk):
    from conductor.client.http.models.skip_task_request import SkipTaskRequest

    workflows, _, _ = sdk
    wid = workflows.start_workflow_by_name("create_order", {"orderId": "o-1"})
    wf = workflows.get_workflow(wid, include_tasks=True)
    started = {t.reference_task_name for t in wf.tasks}
    assert "send_confirmation" not in started
    workflows.skip_task_from_workflow(wid, "send_confirmation", SkipTaskRequest())
    skipped = [t for t in workflows.get_workflow(wid).tasks
               if t.reference_task_name == "send_confirmation"]
    assert [t.status for t in skipped] == ["SKIPPED"]


def test_correlated_workflows(sdk):
    workflows, _, clients = sdk
    a = workflows.start_workflow_by_name("send_sms", {}, correlationId="sdk-corr")
    b = workflows.start_workflow_by_name("send_sms", {}, correlationId="sdk-corr")
    workflows.terminate_workflow(b)
    found = workflows.get_by_correlation_ids("send_sms", ["sdk-corr"], include_completed=True)
    assert {w.workflow_id for w in found["sdk-corr"]} == {a, b}
    api = workflows.workflowResourceApi
    running = api.get_workflows2("send_sms", "sdk-corr")
    assert {w.workflow_id for w in running} <= {a}
    assert b not in api.get_running_workflow("send_sms", version=1)


def test_rerun_from_a_task_with_a_new_input(sdk):
    workflows, _, clients = sdk
    failed = _search_v2(clients, "status IN (FAILED) AND workflowType IN (charge_card)", 1).results[0]
    wf = workflows.get_workflow(failed.workflow_id, include_tasks=True)
    last = wf.tasks[-1]
    request = RerunWorkflowRequest(re_run_from_workflow_id=wf.workflow_id,
                                   re_run_from_task_id=last.task_id, task_input={"amount": 10})
    assert workflows.rerun_workflow(wf.workflow_id, request) == wf.workflow_id
    again = workflows.get_workflow(wf.workflow_id, include_tasks=True)
    rerun = next(t for t in again.tasks if t.task_id == last.task_id)
    assert again.status == "RUNNING" and rerun.input_data == {"amount": 10}
    assert rerun.status in ("SCHEDULED", "IN_PROGRESS", "COMPLETED")
