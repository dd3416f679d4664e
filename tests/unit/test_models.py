"""Models: tolerant of what a newer or odder server sends, and lossless on the way back."""

from datetime import UTC, datetime

from console.models import (
    ActionResponse,
    ProcessData,
    ProcessDefinition,
    ProcessStatus,
    SearchQuery,
    StepData,
    extract_error,
)

RECORDED = {
    "processId": 1000417,
    "processType": "STANDARD",
    "triggerType": "QUANTUM_TRIGGER",
    "namespace": "payments",
    "name": "charge_card",
    "version": 3,
    "status": "HIBERNATING",
    "input": {"orderId": "order-48213", "amount": 129.5},
    "output": None,
    "created": 1764064800000,
    "updated": 1764064812345,
    "tags": [{"name": "region", "value": "eu-west-1", "colour": "blue"}],
    "steps": [{"id": 100041700, "processId": 1000417, "ref": "charge"}],
    "stepRecords": [
        {
            "id": 100041700, "processId": 1000417, "ref": "charge", "type": "TELEPORT",
            "status": "FAILED", "start": 1764064801000, "updated": 1764064802500,
            "output": {"error": "HTTP 502 from payments-gateway"},
            "executionList": [{"id": 1, "runs": 1, "output": {"error": "boom"}, "gpu": "A100"}],
            "futureField": {"nested": [1, 2, 3]},
        }
    ],
    "brandNewField": {"x": 1},
    "orgId": 7,
}


def test_round_trip_keeps_unknown_fields_and_statuses():
    process = ProcessData.model_validate(RECORDED)
    assert process.status == "HIBERNATING"
    assert process.trigger_type == "QUANTUM_TRIGGER"
    assert process.step_records[0].type == "TELEPORT"
    wire = process.to_wire()
    for key, value in RECORDED.items():
        if key == "stepRecords":
            continue
        assert wire[key] == value, key
    step_wire = wire["stepRecords"][0]
    assert step_wire["futureField"] == {"nested": [1, 2, 3]}
    assert step_wire["executionList"][0]["gpu"] == "A100"


def test_everything_may_be_missing_or_null():
    assert ProcessData.model_validate({}).process_id is None
    nulls = ProcessData.model_validate({k: None for k in RECORDED})
    assert nulls.status is None and nulls.step_records is None and nulls.step_count == 0
    assert StepData.model_validate({"executionList": None}).attempts == 0
    assert ActionResponse.model_validate({"details": None}).details is None


def test_sdk_enum_text_is_read_as_the_value():
    assert ProcessData.model_validate({"status": "ProcessStatus.FAILED"}).status == "FAILED"
    assert ProcessData.model_validate({"status": ProcessStatus.RUNNING}).status == "RUNNING"
    assert ProcessStatus.FAILED == "FAILED"


def test_epoch_ms_become_aware_datetimes():
    process = ProcessData.model_validate(RECORDED)
    assert process.created_at == datetime(2025, 11, 25, 10, 0, tzinfo=UTC)
    assert process.duration_ms is None  # HIBERNATING: nobody knows whether it has ended
    assert ProcessData.model_validate({**RECORDED, "status": "FAILED"}).duration_ms == 2500
    assert process.step_records[0].duration_ms == 1500
    assert ProcessData.model_validate({"created": 10**20}).created_at is None


def test_failed_step_and_its_error():
    process = ProcessData.model_validate(RECORDED)
    failed = process.failed_step()
    assert failed is not None and failed.ref == "charge"
    assert failed.error == "HTTP 502 from payments-gateway"
    assert extract_error({"result": {"x": 1}}) is None
    assert extract_error({"error": {"message": "nested"}}) == "nested"


def test_definition_counts_nested_steps():
    definition = ProcessDefinition.model_validate({
        "steps": [{"ref": "a"}, {"ref": "p", "type": "PARALLEL",
                                 "children": [{"ref": "b"}, {"ref": "c", "children": [{"ref": "d"}]}]}],
    })
    assert definition.step_count == 5


def test_search_query_params_are_comma_joined_camel_case():
    query = SearchQuery(statuses=["FAILED", "TIMED_OUT"], names=["a", "b"], namespace="default",
                        start_time_epoch=5, full_text_search_query="order-1", limit=10)
    assert query.to_params() == {
        "startTimeEpoch": "5", "namespace": "default", "names": "a,b",
        "statuses": "FAILED,TIMED_OUT", "fullTextSearchQuery": "order-1",
        "limit": "10", "offset": "0",
    }
