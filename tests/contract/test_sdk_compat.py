"""Compatibility: the official ``unmeshed-sdk`` 1.3.3 runs every call of its README against
``meshdeck mock serve`` (a subprocess, real HTTP, auth required) and gets what the README implies.

The SDK is used as its README shows, minus ``start()``: no worker is registered and results
submission is switched off, so it starts no poller or submit threads and the test ends cleanly.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest

from tests.served import mock_server

CLIENT_ID, TOKEN = "cid", "tok"
README_INPUT = {"test1": "value", "test2": 100, "test3": 100.0}


@pytest.fixture(scope="module")
def server_port():
    with mock_server("--require-auth", f"{CLIENT_ID}:{TOKEN}") as port:
        yield port


@pytest.fixture(scope="module")
def sdk(server_port):
    """The SDK module namespace, imported without letting it take over the root logger."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        from unmeshed.sdk.common import api_call_type, process_request_data, process_search_request
        from unmeshed.sdk.common import tag_value, unmeshed_constants
        from unmeshed.sdk.configs.client_config import ClientConfig
        from unmeshed.sdk.unmeshed_client import UnmeshedClient
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        for handler in handlers:
            if handler not in root.handlers:
                root.addHandler(handler)
        root.setLevel(level)

    class SDK:
        ApiCallType = api_call_type.ApiCallType
        ProcessRequestData = process_request_data.ProcessRequestData
        ProcessSearchRequest = process_search_request.ProcessSearchRequest
        TagValue = tag_value.TagValue
        ProcessStatus = unmeshed_constants.ProcessStatus
        ProcessType = unmeshed_constants.ProcessType
        ProcessTriggerType = unmeshed_constants.ProcessTriggerType

        @staticmethod
        def client(token: str = TOKEN):
            config = ClientConfig()
            config.set_client_id(CLIENT_ID)
            config.set_auth_token(token)
            config.set_port(server_port)
            config.set_base_url("http://127.0.0.1")
            config.set_enable_results_submission(False)  # no submit threads; we never start()
            return UnmeshedClient(config)

    return SDK


@pytest.fixture(scope="module")
def client(sdk):
    before = {t for t in threading.enumerate() if not t.daemon}
    yield sdk.client()
    started = {t for t in threading.enumerate() if not t.daemon} - before
    assert not started, f"the SDK left threads running: {started}"


def readme_request(sdk, **kw):
    fields = dict(namespace="default", name="test_process", version=1, requestId="req001",
                  correlationId="corr001", input=README_INPUT)
    return sdk.ProcessRequestData(**(fields | kw))


def details_by_id(response) -> dict[str, dict]:
    return {str(d["id"]): d for d in response.details}


def test_run_sync_async_get_with_and_without_steps_and_get_step(sdk, client):
    process_data = client.run_process_sync(readme_request(sdk))
    assert process_data.status == "COMPLETED" and process_data.output
    assert process_data.processId > 0 and process_data.requestId == "req001"
    assert process_data.correlationId == "corr001" and process_data.input["test2"] == 100
    assert "COMPLETED" in process_data.to_json()

    process_data2 = client.run_process_async(readme_request(sdk))
    assert process_data2.status == "RUNNING" and process_data2.processId != process_data.processId
    assert process_data2.to_json()

    retrieved1 = client.get_process_data(process_data.processId)
    assert retrieved1.processId == process_data.processId and retrieved1.status == "COMPLETED"
    assert len(retrieved1.stepRecords) == 0  # the README's len() on a fetch without steps
    assert retrieved1.steps and retrieved1.to_json()

    retrieved2 = client.get_process_data(process_data.processId, include_steps=True)
    assert len(retrieved2.stepRecords) > 0
    assert all(s["status"] == "COMPLETED" for s in retrieved2.stepRecords)

    step_data1 = client.get_step_data(retrieved2.steps[0].get("id"))
    assert step_data1.processId == process_data.processId
    assert step_data1.id == retrieved2.steps[0]["id"] and step_data1.ref
    assert step_data1.to_json()


def test_search_process_executions_with_its_filters(sdk, client):
    mine = client.run_process_sync(readme_request(sdk, requestId="req-search",
                                                  correlationId="corr-search"))
    request = sdk.ProcessSearchRequest()
    request.names = ["test_process"]
    request.limit = 20
    request.namespace = "default"
    results = client.search_process_executions(request)
    assert 0 < len(results) <= 20
    assert all(p.name == "test_process" and p.namespace == "default" for p in results)
    assert results[0].processId == mine.processId  # newest first, within the last 24 h
    created = [p.created for p in results]
    assert created == sorted(created, reverse=True)

    exact = sdk.ProcessSearchRequest(processIds=[mine.processId], correlationIds=["corr-search"],
                                     requestIds=["req-search"],
                                     statuses=[sdk.ProcessStatus.COMPLETED],
                                     processTypes=[sdk.ProcessType.STANDARD],
                                     triggerTypes=[sdk.ProcessTriggerType.API],
                                     tags=[sdk.TagValue("env", "prod")],
                                     stepNames=["test_worker"], stepRefs=["validate_input"],
                                     fullTextSearchQuery="REQ-SEARCH",
                                     endTimeEpoch=int(time.time() * 1000) + 60_000)
    assert [p.processId for p in client.search_process_executions(exact)] == [mine.processId]

    failed = client.search_process_executions(sdk.ProcessSearchRequest(
        statuses=[sdk.ProcessStatus.FAILED, sdk.ProcessStatus.TIMED_OUT], limit=15))
    assert failed and all(p.status in ("FAILED", "TIMED_OUT") for p in failed)
    webhooks = client.search_process_executions(sdk.ProcessSearchRequest(
        triggerTypes=[sdk.ProcessTriggerType.WEBHOOK], processTypes=[sdk.ProcessType.INTERNAL,
                                                                     sdk.ProcessType.STANDARD]))
    assert webhooks and all(p.triggerType == "WEBHOOK" for p in webhooks)
    assert all(p.processType in ("INTERNAL", "STANDARD") for p in webhooks)
    paged = client.search_process_executions(sdk.ProcessSearchRequest(limit=5, offset=5))
    first = client.search_process_executions(sdk.ProcessSearchRequest(limit=10))
    assert [p.processId for p in paged] == [p.processId for p in first[5:]]
    assert client.search_process_executions(sdk.ProcessSearchRequest(
        startTimeEpoch=0, endTimeEpoch=1)) == []


def test_rerun_gives_a_new_process_and_leaves_the_original(sdk, client):
    process_data1 = client.run_process_sync(readme_request(sdk))
    rerun_process_data = client.rerun(process_id=process_data1.processId, version=1)
    assert rerun_process_data.processId != process_data1.processId
    assert rerun_process_data.name == "test_process" and rerun_process_data.version == 1
    assert rerun_process_data.status == "RUNNING" and rerun_process_data.to_json()
    assert client.get_process_data(process_data1.processId).status == "COMPLETED"


def test_bulk_terminate_resume_and_reviewed_report_per_id(sdk, client):
    process_data1 = client.run_process_async(readme_request(sdk))
    pid = process_data1.processId
    action_response = client.bulk_terminate(process_ids=[pid, 1, 2])
    details = details_by_id(action_response)
    assert action_response.count == 1 and set(details) == {str(pid), "1", "2"}
    assert not details[str(pid)]["error"] and details["1"]["error"] and details["2"]["error"]
    assert client.get_process_data(pid).status == "TERMINATED"

    action_response = client.bulk_resume(process_ids=[pid, 1, 2])
    details = details_by_id(action_response)
    assert action_response.count == 1 and not details[str(pid)]["error"]
    assert details["1"]["error"] and details["2"]["error"]
    assert client.get_process_data(pid).status == "RUNNING"

    again = client.bulk_terminate(process_ids=[pid], reason="stopping the demo")
    assert again.count == 1
    failed = client.search_process_executions(sdk.ProcessSearchRequest(
        statuses=[sdk.ProcessStatus.FAILED], limit=1))[0]
    action_response = client.bulk_reviewed(process_ids=[pid, failed.processId, 1, 2])
    details = details_by_id(action_response)
    assert action_response.count == 2 and len(action_response.details) == 4
    assert not details[str(pid)]["error"] and not details[str(failed.processId)]["error"]
    assert details["1"]["error"] and details["2"]["error"]
    assert client.get_process_data(failed.processId).status == "REVIEWED"
    assert client.get_process_data(pid).status == "REVIEWED"

    completed = client.run_process_sync(readme_request(sdk))  # wrong status: an error detail
    refused = client.bulk_reviewed(process_ids=[completed.processId], reason="nothing to see")
    assert refused.count == 0 and "COMPLETED" in refused.details[0]["error"]
    assert client.get_process_data(completed.processId).status == "COMPLETED"


def test_invoke_api_mapping_get_and_post(sdk, client):
    response = client.invoke_api_mapping_get(endpoint="test_process_endpoint",
                                             correlation_id="correl_id--1", _id="req_id--1",
                                             api_call_type=sdk.ApiCallType.SYNC)
    assert isinstance(response, dict) and response["status"] == "COMPLETED" and response["output"]
    assert response["correlationId"] == "correl_id--1" and response["requestId"] == "req_id--1"

    response = client.invoke_api_mapping_post(endpoint="test_process_endpoint",
                                              correlation_id="correl_id--1", _id="req_id--1",
                                              api_call_type=sdk.ApiCallType.SYNC,
                                              _input={"test": "value"})
    assert response["status"] == "COMPLETED" and response["input"]["test"] == "value"

    queued = client.invoke_api_mapping_post(endpoint="test_process_endpoint",
                                            _input={"test": "later"})  # ASYNC by default
    assert queued["status"] == "RUNNING"
    assert client.get_process_data(queued["processId"]).input["test"] == "later"


def test_definitions_through_the_sdk(client):
    definitions = client.get_all_process_definitions()
    assert len(definitions) >= 20
    latest = client.get_process_definition_latest_or_version("default", "test_process", None)
    versions = client.get_process_definition_versions("default", "test_process")
    assert latest.name == "test_process" and latest.version == max(versions)
    assert client.get_process_definition_latest_or_version("default", "test_process",
                                                           1).version == 1


def test_a_wrong_token_is_refused_with_401(sdk, client):
    stranger = sdk.client(token="not-the-token")
    with pytest.raises(RuntimeError) as info:
        stranger.get_process_data(1_000_000)
    assert "401" in str(info.value)
    with pytest.raises(RuntimeError) as info:
        stranger.bulk_terminate(process_ids=[1_000_000])
    assert "401" in str(info.value)
