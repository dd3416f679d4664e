"""GET api/stats/process/search: every filter, the SDK's enum forms, window, paging, order."""

from __future__ import annotations

import pytest

from console.mock.clock import FROZEN_NOW_MS

DAY = 86_400_000
ALL = {"startTimeEpoch": str(FROZEN_NOW_MS - 8 * DAY), "limit": "5000"}


async def search(client, **params):
    r = await client.get("/api/stats/process/search", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body, list)
    return body


async def test_default_window_is_last_24h_newest_first_limit_10(client, clock):
    hits = await search(client)
    assert len(hits) == 10
    assert all(h["created"] >= clock() - DAY for h in hits)
    created = [h["created"] for h in hits]
    assert created == sorted(created, reverse=True)
    assert all(h["stepRecords"] == [] for h in hits)
    everything = await search(client, limit="5000")
    assert all(h["created"] >= clock() - DAY for h in everything)
    assert len(everything) < len(await search(client, **ALL))


async def test_time_window_bounds(client, clock):
    start, end = clock() - 3 * DAY, clock() - 2 * DAY
    hits = await search(client, startTimeEpoch=str(start), endTimeEpoch=str(end), limit="5000")
    assert hits and all(start <= h["created"] <= end for h in hits)


async def test_pagination_is_stable_and_disjoint(client):
    page1 = await search(client, **{**ALL, "limit": "7", "offset": "0"})
    page2 = await search(client, **{**ALL, "limit": "7", "offset": "7"})
    both = await search(client, **{**ALL, "limit": "14"})
    assert [h["processId"] for h in page1 + page2] == [h["processId"] for h in both]
    assert page1[-1]["processId"] > page2[0]["processId"]


@pytest.mark.parametrize("value", ["FAILED", "ProcessStatus.FAILED", "failed"])
async def test_statuses_plain_and_sdk_enum_form(client, value):
    hits = await search(client, **ALL, statuses=value)
    assert hits and {h["status"] for h in hits} == {"FAILED"}


async def test_several_statuses(client):
    hits = await search(client, **ALL, statuses="ProcessStatus.TIMED_OUT,CANCELLED")
    assert {h["status"] for h in hits} == {"TIMED_OUT", "CANCELLED"}


@pytest.mark.parametrize("param,field,values", [
    ("triggerTypes", "triggerType", ["ProcessTriggerType.WEBHOOK", "SCHEDULED"]),
    ("processTypes", "processType", ["ProcessType.INTERNAL"]),
])
async def test_enum_list_filters(client, param, field, values):
    hits = await search(client, **ALL, **{param: ",".join(values)})
    assert hits and {h[field] for h in hits} == {v.rsplit(".", 1)[-1] for v in values}


async def test_namespace_and_names(client):
    hits = await search(client, **ALL, namespace="payments")
    assert hits and {h["namespace"] for h in hits} == {"payments"}
    hits = await search(client, **ALL, names="test_process,send_email")
    assert {h["name"] for h in hits} == {"test_process", "send_email"}
    assert await search(client, **ALL, namespace="payments", names="send_email") == []


async def test_step_names_and_refs(client):
    hits = await search(client, **ALL, stepNames="payments-gateway-refund")
    assert hits and {h["name"] for h in hits} == {"refund_payment"}
    hits = await search(client, **ALL, stepRefs="reserve_inventory")
    assert hits and {h["name"] for h in hits} == {"create_order"}


async def test_ids_correlation_and_request_ids(client, store):
    some = (await search(client, **ALL))[100:103]
    ids = [h["processId"] for h in some]
    hits = await search(client, **ALL, processIds=",".join(map(str, ids)))
    assert sorted(h["processId"] for h in hits) == sorted(ids)
    hits = await search(client, **ALL, correlationIds=some[0]["correlationId"])
    assert some[0]["processId"] in [h["processId"] for h in hits]
    assert all(h["correlationId"] == some[0]["correlationId"] for h in hits)
    hits = await search(client, **ALL, requestIds=f"{some[1]['requestId']},{some[2]['requestId']}")
    assert sorted(h["processId"] for h in hits) == sorted(ids[1:])


async def test_tags_by_name_by_name_value_and_sdk_form(client):
    high = await search(client, **ALL, tags="priority")
    assert high and all(any(t["name"] == "priority" for t in h["tags"]) for h in high)
    assert await search(client, **ALL, tags="priority:high") == high
    assert await search(client, **ALL, tags="TagValue(name='priority', value='high')") == high
    eu = await search(client, **ALL, tags="region=eu-west-1")
    assert eu and all({"name": "region", "value": "eu-west-1"} in h["tags"] for h in eu)
    either = await search(client, **ALL, tags="region:eu-west-1,priority:high")
    assert len(either) >= max(len(eu), len(high))
    assert await search(client, **ALL, tags="region:mars-1") == []


async def test_full_text_search(client):
    hits = await search(client, **ALL, fullTextSearchQuery="UPSTREAM CONNECT")
    assert hits and all("upstream connect" in h["output"]["error"] for h in hits)
    target = (await search(client, **ALL))[42]
    for needle in (target["correlationId"], target["requestId"], str(target["processId"])):
        found = await search(client, **ALL, fullTextSearchQuery=needle)
        assert target["processId"] in [h["processId"] for h in found]


async def test_filters_combine(client):
    hits = await search(client, **ALL, statuses="FAILED", namespace="orders", triggerTypes="API")
    assert all(h["status"] == "FAILED" and h["namespace"] == "orders" and h["triggerType"] == "API" for h in hits)


@pytest.mark.parametrize("params", [{"limit": "ten"}, {"offset": "x"}, {"startTimeEpoch": "yesterday"},
                                    {"processIds": "12,abc"}, {"limit": "-1"}])
async def test_bad_parameters_are_400(client, params):
    r = await client.get("/api/stats/process/search", params=params)
    assert r.status_code == 400
    assert r.json()["errorMessage"]


async def test_status_change_updates_index(client, store):
    pid = (await search(client, **ALL, statuses="FAILED"))[0]["processId"]
    r = await client.post("/api/process/bulkReviewed", json=[pid])
    assert r.json()["count"] == 1
    assert pid not in [h["processId"] for h in await search(client, **ALL, statuses="FAILED")]
    assert pid in [h["processId"] for h in await search(client, **ALL, statuses="REVIEWED")]


async def test_query_exactly_as_the_python_sdk_builds_it(client, clock):
    """The SDK sends str() of enum members and of asdict(TagValue): both must filter correctly."""
    from dataclasses import asdict

    from unmeshed.sdk.common.process_search_request import ProcessSearchRequest
    from unmeshed.sdk.common.tag_value import TagValue
    from unmeshed.sdk.common.unmeshed_constants import ProcessStatus, ProcessTriggerType

    req = ProcessSearchRequest(startTimeEpoch=clock() - 7 * DAY, statuses=[ProcessStatus.FAILED],
                               triggerTypes=[ProcessTriggerType.API, ProcessTriggerType.SCHEDULED],
                               tags=[TagValue("region", "eu-west-1")], limit=50)
    params = {k: ",".join(str(x) for x in v) if isinstance(v, list) else v
              for k, v in asdict(req).items() if v is not None}
    assert params["tags"] == "{'name': 'region', 'value': 'eu-west-1'}"
    hits = await search(client, **params)
    assert hits
    for h in hits:
        assert h["status"] == "FAILED" and h["triggerType"] in ("API", "SCHEDULED")
        assert {"name": "region", "value": "eu-west-1"} in h["tags"]


@pytest.mark.parametrize("limit", ["7", "5000"])
async def test_common_filters_agree_whether_the_scan_walks_the_window_or_the_index(client, store, limit):
    """A small page of a common status walks the time window (checking index membership), a large
    one walks the index: both give what testing every process would."""
    hits = await search(client, **{**ALL, "limit": limit}, statuses="COMPLETED", namespace="payments")
    start = int(ALL["startTimeEpoch"])
    want = [p["processId"] for p in sorted(store.processes.values(), key=lambda p: -p["processId"])
            if p["status"] == "COMPLETED" and p["namespace"] == "payments" and p["created"] >= start]
    assert [h["processId"] for h in hits] == want[:int(limit)] and len(want) > 7
