"""The client's transport rules, against scripted answers (httpx.MockTransport)."""

import hashlib
import json

import httpx
import pytest

from console.services.actions import run_action

from console import errors
from console.backends.http import build_base
from console.backends.unmeshed import UnmeshedClient, bearer_for
from console.outcomes import BulkOutcome
from console.models import ProcessRequest, SearchQuery

TOKEN = "s3cr3t-token-value"


def make(handler, **kwargs) -> UnmeshedClient:
    kwargs.setdefault("backoff", 0)
    return UnmeshedClient("http://unmeshed.test", 8080, "cid", TOKEN,
                          transport=httpx.MockTransport(handler), **kwargs)


def test_base_url_and_port_follow_the_sdk_rule():
    assert build_base("http://localhost", 8080) == "http://localhost:8080"
    assert build_base("http://localhost:9000/", 8080) == "http://localhost:9000"
    assert build_base("https://acme.unmeshed.io", 8080) == "https://acme.unmeshed.io"


def test_bearer_is_the_sdk_one_and_the_token_never_shows():
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    assert bearer_for("cid", TOKEN) == f"Bearer client.sdk.cid.{digest}"
    client = make(lambda r: httpx.Response(200, json={}))
    assert TOKEN not in repr(client) and TOKEN not in str(vars(client))


async def test_get_sends_the_header_and_parses():
    seen = {}

    def handler(request: httpx.Request):
        seen["auth"] = request.headers["authorization"]
        seen["url"] = str(request.url)
        return httpx.Response(200, json={"processId": 7, "status": "RUNNING", "new": 1})

    async with make(handler) as client:
        process = await client.get_process(7, include_steps=True)
    assert process.process_id == 7 and process.status == "RUNNING"
    assert seen["url"] == "http://unmeshed.test:8080/api/process/context/7?includeSteps=true"
    assert TOKEN not in seen["auth"]


@pytest.mark.parametrize(
    ("status", "body", "ctype", "error", "said"),
    [
        (401, {"errorMessage": "bad token"}, "application/json", errors.Unauthorized, "bad token"),
        (404, {"message": "no such process"}, "application/json", errors.NotFound,
         "no such process"),
        (400, {"error": "limit must be a number"}, "application/json", errors.BadRequest,
         "limit must be a number"),
        (500, "<html><body><h1>Internal Server Error</h1></body></html>", "text/html",
         errors.ServerError, "Internal Server Error"),
    ],
)
async def test_errors_are_typed_with_the_server_message(status, body, ctype, error, said):
    content = json.dumps(body) if isinstance(body, dict) else body

    async with make(lambda r: httpx.Response(status, text=content,
                                             headers={"content-type": ctype})) as client:
        with pytest.raises(error) as caught:
            await client.get_step(1)
    assert said in str(caught.value) and "\n" not in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "ctype", "fragment"),
    [
        ('{"processId": 1, "status": "RUN', "application/json", "truncated"),
        ("<html>Login</html>", "text/html", "HTML"),
        ("", "application/json", "empty"),
        ('[1, 2]', "application/json", "unexpected shape"),
    ],
)
async def test_bad_bodies_are_bad_responses(text, ctype, fragment):
    async with make(lambda r: httpx.Response(200, text=text,
                                             headers={"content-type": ctype})) as client:
        with pytest.raises(errors.BadResponse, match=fragment):
            await client.get_process(1)


async def test_gets_are_retried_on_503_then_succeed():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) < 3:
            return httpx.Response(503, text="busy")
        return httpx.Response(200, json=[])

    async with make(handler) as client:
        assert await client.search(SearchQuery()) == []
    assert len(calls) == 3


async def test_gets_give_up_after_three_retries():
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx.ConnectError("connection refused")

    async with make(handler) as client:
        with pytest.raises(errors.Unreachable, match="cannot reach"):
            await client.get_process(1)
    assert len(calls) == 4


async def test_a_post_is_never_retried():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(503, text="busy")

    async with make(handler) as client:
        with pytest.raises(errors.ServerError):
            await client.run_async(ProcessRequest(namespace="default", name="x"))
    assert len(calls) == 1


async def test_a_post_that_times_out_has_an_unknown_outcome():
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx.ReadTimeout("slow")

    async with make(handler) as client:
        with pytest.raises(errors.OutcomeUnknown, match="may or may not"):
            await client.rerun(5)
    assert len(calls) == 1


async def test_bulk_actions_go_in_chunks_with_progress_and_per_id_results():
    bodies = []

    def handler(request):
        ids = json.loads(request.content)
        bodies.append(ids)
        details = [{"id": str(i), "message": "ok", "error": None if i % 2 else "not running"}
                   for i in ids]
        return httpx.Response(200, json={"count": len(ids), "details": details})

    progress = []
    async with make(handler, chunk_size=3) as client:
        outcome = await run_action(client, "terminate", list(range(1, 8)), reason="stuck",
                                           on_progress=lambda d, t: progress.append((d, t)))
    assert bodies == [[1, 2, 3], [4, 5, 6], [7]]
    assert progress == [(3, 7), (6, 7), (7, 7)]
    assert outcome.succeeded == ["1", "3", "5", "7"] and outcome.failed == ["2", "4", "6"]
    assert outcome.complete


async def test_bulk_stops_at_a_failed_chunk_and_reports_the_rest_as_not_sent():
    calls = []

    def handler(request):
        calls.append(json.loads(request.content))
        if len(calls) == 2:
            return httpx.Response(500, json={"errorMessage": "db down"})
        ids = calls[-1]
        return httpx.Response(200, json={"count": len(ids),
                                         "details": [{"id": i, "error": None} for i in ids]})

    async with make(handler, chunk_size=2) as client:
        outcome = await run_action(client, "resume", ["1", "2", "3", "4", "5", "6"])
    assert len(calls) == 2
    assert outcome.succeeded == ["1", "2"]
    assert outcome.failed == ["3", "4"] and "db down" in outcome.details["3"].error
    assert outcome.not_sent == ["5", "6"] and not outcome.complete


async def test_bulk_timeout_marks_the_chunk_unknown():
    def handler(request):
        raise httpx.ReadTimeout("slow")

    outcome = BulkOutcome.start("review", ["1", "2", "3"])
    async with make(handler, chunk_size=2) as client:
        await run_action(client, "review", outcome.ids, outcome=outcome)
    assert outcome.unknown == ["1", "2"] and outcome.not_sent == ["3"]
    assert "may or may not" in outcome.stopped_by


async def test_get_many_keeps_input_order_and_errors():
    def handler(request):
        pid = request.url.path.rsplit("/", 1)[-1]
        if pid == "404":
            return httpx.Response(404, json={"errorMessage": "process not found"})
        return httpx.Response(200, json={"processId": int(pid)})

    async with make(handler) as client:
        results = await client.get_many(["3", "404", "1"])
    assert [r.id for r in results] == ["3", "404", "1"]
    assert isinstance(results[1].error, errors.NotFound)
    assert results[2].process.process_id == 1


async def test_ids_with_slashes_are_refused_before_sending():
    async with make(lambda r: httpx.Response(200, json={})) as client:
        with pytest.raises(errors.BadRequest):
            await client.get_process("../admin")


def test_an_html_error_page_reads_as_its_title_and_text_once():
    page = ("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
            "</h1></center><hr><center>nginx</center></body></html>")
    assert errors.server_message(page) == "502 Bad Gateway nginx"
    assert errors.server_message("<p>plain <b>text</b></p>") == "plain text"


async def test_a_rerun_without_an_answer_is_unknown_not_failed():
    from console.services.action_specs import outcome_rows
    from console.services.actions import run_action

    def handler(request):
        if request.url.params["processId"] == "2":
            raise httpx.ReadTimeout("slow")
        return httpx.Response(200, json={"processId": 99, "status": "RUNNING"})

    async with make(handler) as client:
        outcome = await run_action(client, "rerun", ["1", "2"])
    rows = outcome_rows(outcome)
    assert [r.result for r in rows] == ["done", "unknown"]
    assert rows[0].new_id == "99" and outcome.unknown == ["2"]
    assert "may or may not" in rows[1].message


async def test_an_api_mapping_get_is_never_retried():
    """Even a GET to api/call starts a process: a broken connection is not a reason to send it
    again, and the outcome is unknown."""
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx.ReadError("connection reset")

    async with make(handler) as client:
        with pytest.raises(errors.OutcomeUnknown):
            await client.call_api_mapping("create_order", method="GET")
    assert len(calls) == 1


async def test_a_gateway_502_or_504_on_a_post_is_an_unknown_outcome():
    def handler(request):
        return httpx.Response(504, text="<html><title>504 Gateway Time-out</title></html>")

    async with make(handler, chunk_size=2) as client:
        with pytest.raises(errors.OutcomeUnknown, match="504 Gateway Time-out"):
            await client.rerun(5)
        outcome = await run_action(client, "terminate", ["1", "2", "3"])
    assert outcome.unknown == ["1", "2"] and outcome.not_sent == ["3"] and not outcome.failed


async def test_names_and_endpoints_cannot_change_the_path():
    seen = []

    def handler(request):
        seen.append(request.url.raw_path.decode())
        return httpx.Response(200, json={})

    async with make(handler) as client:
        await client.get_definition("default", "a?b")
        await client.call_api_mapping("orders/create", method="GET")
        for bad in ("../process/bulkTerminate", "", "a/./b"):
            with pytest.raises(errors.BadRequest):
                await client.call_api_mapping(bad, method="POST")
    assert seen[0] == "/api/processDefinitions/default/a%3Fb"
    assert seen[1].startswith("/api/call/orders/create?")
    assert len(seen) == 2
