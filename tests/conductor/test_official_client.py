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
