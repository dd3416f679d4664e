"""A row with one field of an unexpected type is shown with that field empty, and the field is
named (``dropped``), instead of the whole answer failing: models and responses, both backends."""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import ValidationError

from console import errors
from console.backends.conductor import shapes
from console.backends.responses import adapter_for, validate_leniently
from console.backends.unmeshed import UnmeshedClient
from console.format import DroppedFields
from console.models import ProcessData, ProcessSummary, SearchQuery

GOOD = {"processId": 1000001, "name": "charge_card", "status": "FAILED", "version": 3,
        "created": 1_764_064_800_000, "updated": 1_764_064_807_400,
        "tags": [{"name": "env", "value": "prod"}]}


def rows() -> list[dict]:
    return [
        {**GOOD, "processId": 1000002, "created": "yesterday"},          # a time as text
        GOOD,
        {**GOOD, "processId": 1000003, "version": "three"},              # a number as a word
        {**GOOD, "processId": 1000004, "tags": {"env": "prod"}},         # an object for a list
        {**GOOD, "processId": 1000005, "stepRecords": [{"id": 1, "start": "soon"}]},
        {**GOOD, "processId": {"high": 1, "low": 2}},                    # an object for an id
    ]


def test_one_odd_field_leaves_that_field_empty_and_the_rest_of_the_row_shown():
    found = validate_leniently(adapter_for(list[ProcessData]), rows())
    assert [p.name for p in found] == ["charge_card"] * 6
    assert found[0].created is None and found[0].updated == GOOD["updated"]
    assert found[0].dropped == {"created": "yesterday"}
    assert found[1].dropped == {}
    assert found[2].version is None and found[2].dropped == {"version": "three"}
    assert found[3].tags is None and found[3].dropped == {"tags": {"env": "prod"}}
    assert found[4].step_records[0].start is None
    assert found[4].dropped == {"stepRecords.start": "soon"}
    assert found[5].process_id is None and found[5].dropped == {"processId": {"high": 1, "low": 2}}


def test_an_answer_of_the_wrong_shape_is_still_an_error():
    with pytest.raises(ValidationError):
        validate_leniently(adapter_for(list[ProcessData]), {"rows": rows()})
    with pytest.raises(ValidationError):
        validate_leniently(adapter_for(list[ProcessData]), [GOOD, "not a row"])


async def test_a_search_page_with_an_odd_row_is_not_lost_over_http():
    """Before: one odd row made the whole page a BadResponse ("JSON of an unexpected shape")."""
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=rows())

    client = UnmeshedClient("http://server", None, transport=httpx.MockTransport(answer))
    try:
        found = await client.search(SearchQuery())
    finally:
        await client.aclose()
    assert len(found) == 6
    assert sum(1 for p in found if p.dropped) == 5


async def test_a_body_that_is_not_json_of_rows_is_still_a_bad_response():
    client = UnmeshedClient("http://server", None, transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json={"rows": []})))
    try:
        with pytest.raises(errors.BadResponse, match="unexpected shape"):
            await client.search(SearchQuery())
    finally:
        await client.aclose()


def test_conductor_times_it_cannot_read_are_named_not_silently_dropped():
    p = shapes.process({"workflowId": "w-1", "workflowType": "checkout", "status": "FAILED",
                        "startTime": "yesterday", "endTime": 1_764_064_807_400,
                        "version": "three"},
                       shapes.steps([{"taskId": "t-1", "referenceTaskName": "pay",
                                      "status": "FAILED", "startTime": "soon"}]))
    assert p.created is None and p.version is None
    assert p.dropped == {"created": "yesterday", "version": "three",
                         "stepRecords.start": "soon"}


def test_the_summary_keeps_what_was_dropped_and_the_warning_names_each_field_once():
    found = validate_leniently(adapter_for(list[ProcessData]), rows() + rows()[:1])
    summaries = [ProcessSummary.of(p) for p in found]
    assert summaries[0].dropped == {"created": "yesterday"} and summaries[1].dropped is None
    line = DroppedFields().add(summaries).warning()
    assert line.startswith("6 rows had fields of an unexpected type, shown empty: ")
    assert line.count("created") == 1 and 'created ("yesterday")' in line
    assert 'tags ({"env": "prod"})' in line
    single = DroppedFields().add(summaries[:1]).warning()
    assert single == '1 row had a field of an unexpected type, shown empty: created ("yesterday")'
    assert DroppedFields().add(summaries[1:2]).warning() is None


def test_a_clean_answer_takes_the_fast_path_and_drops_nothing():
    body = json.dumps([GOOD] * 3).encode()
    found = adapter_for(list[ProcessData]).validate_json(body)
    assert all(p.dropped == {} for p in found)
