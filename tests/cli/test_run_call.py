"""run and call: inputs from JSON text, @file and stdin; bad JSON; sync/async; STREAM as ndjson."""

from __future__ import annotations

import json

import pytest


def test_run_async_with_input_file_and_ids(cli, mock, tmp_path):
    body = tmp_path / "order.json"
    body.write_text('{"orderId": 42}')
    run = cli("run", "default/test_process", "--input", f"@{body}", "--correlation-id", "c-1",
              "--request-id", "r-1", "--mock", "-o", "json")
    assert run.exit_code == 0, run.stderr
    process = json.loads(run.stdout)
    stored = mock.store.processes[process["processId"]]
    assert stored["input"]["orderId"] == 42
    assert process["correlationId"] == "c-1" and process["requestId"] == "r-1"
    assert process["status"] == "RUNNING"
    assert mock.posts == ["/api/process/runAsync"]


def test_run_sync_waits_for_the_output(cli, mock):
    run = cli("run", "default/test_process", "--sync", "--timeout", "5", "--input", "{}", "--mock", "-o", "json")
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["status"] in ("COMPLETED", "FAILED")
    assert mock.posts == ["/api/process/runSync"]


def test_run_input_from_stdin_and_table(cli, mock):
    run = cli("run", "default/test_process", "--input", "-", "--mock", input='{"a": [1, 2]}')
    assert run.exit_code == 0
    assert "default/test_process" in run.stdout and "RUNNING" in run.stdout


def test_run_bad_input(cli, mock):
    bad = cli("run", "default/test_process", "--input", '{"a": 1 "b": 2}', "--mock")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "meshdeck: error: invalid JSON in --input: Expecting ',' delimiter (line 1, column 9)"
    not_object = cli("run", "default/test_process", "--input", "[1]", "--mock")
    assert not_object.exit_code == 2 and "must be a JSON object" in not_object.stderr
    missing = cli("run", "default/test_process", "--input", "@/no/such/file.json", "--mock")
    assert missing.exit_code == 2 and "cannot read --input file" in missing.stderr
    bad_name = cli("run", "test_process", "--mock")
    assert bad_name.exit_code == 2 and "NAMESPACE/NAME" in bad_name.stderr
    assert mock.posts == []


def test_run_unknown_definition_is_exit_1(cli, mock):
    run = cli("run", "default/nope", "--mock")
    assert run.exit_code == 1 and run.stderr.startswith("meshdeck: error: POST ")


def test_call_post_prints_json(cli, mock):
    run = cli("call", "test_process_endpoint", "--data", '{"x": 1}', "--id", "req-9",
              "--correlation-id", "corr-9", "--type", "sync", "--mock")
    assert run.exit_code == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["requestId"] == "req-9" and answer["correlationId"] == "corr-9"
    assert mock.store.processes[answer["processId"]]["input"]["x"] == 1
    assert mock.posts == ["/api/call/test_process_endpoint"]


def test_call_get_is_the_default_without_data(cli, mock):
    run = cli("call", "create_order", "--mock")
    assert run.exit_code == 0 and json.loads(run.stdout)["status"] == "RUNNING"
    assert mock.requests[-1] == ("GET", "/api/call/create_order")


def test_call_stream_prints_ndjson(cli, mock):
    run = cli("call", "test_process_endpoint", "--post", "--type", "STREAM", "--mock")
    assert run.exit_code == 0, run.stderr
    items = [json.loads(line) for line in run.lines]
    assert len(items) >= 2 and "processId" in items[-1] and "ref" in items[0]


def test_call_bad_data_and_bad_flags(cli, mock):
    bad = cli("call", "x", "--data", '{"a": 1 "b": 2}', "--mock")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "meshdeck: error: invalid JSON in --data: Expecting ',' delimiter (line 1, column 9)"
    assert cli("call", "x", "--get", "--post", "--mock").exit_code == 2
    assert cli("call", "x", "--get", "--data", "{}", "--mock").exit_code == 2
    kind = cli("call", "x", "--type", "SOMETIMES", "--mock")
    assert kind.exit_code == 2 and "unknown --type" in kind.stderr
    assert mock.requests == []


def test_call_unknown_endpoint_is_exit_1(cli, mock):
    run = cli("call", "nope", "--mock")
    assert run.exit_code == 1 and "no API mapping" in run.stderr


def test_read_only_refuses_even_a_get_call(cli, mock):
    """A GET to an API mapping starts a process too: read-only refuses it."""
    run = cli("call", "create_order", "--get", "--mock", "--read-only")
    assert run.exit_code == 2 and "read-only" in run.stderr
    assert mock.requests == []


def ending(mock, status: str) -> None:
    """Make the server's runSync answer say the process ended ``status`` (a real server's
    process can fail; the mock's sync runs always complete)."""
    inner = mock.app

    async def app(scope, receive, send):
        if scope["type"] != "http" or not scope["path"].endswith("runSync"):
            return await inner(scope, receive, send)

        async def rewrite(message):
            if message["type"] == "http.response.body" and message.get("body"):
                body = json.loads(message["body"])
                body["status"] = status
                message = {**message, "body": json.dumps(body).encode()}
            elif message["type"] == "http.response.start":
                message = {**message, "headers": [h for h in message["headers"]
                                                  if h[0].lower() != b"content-length"]}
            await send(message)

        await inner(scope, receive, rewrite)

    mock.app = app


@pytest.mark.parametrize("status", ["FAILED", "TIMED_OUT", "TERMINATED", "CANCELLED"])
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_run_sync_exits_4_when_the_process_ends_without_success(cli, mock, status, fmt):
    """A script must not read success from a failed run: the process is still printed."""
    ending(mock, status)
    run = cli("run", "default/test_process", "--sync", "--input", "{}", "--mock", "-o", fmt)
    assert run.exit_code == 4, run.stderr
    assert status in run.stdout
    assert run.err_lines[-1].startswith("meshdeck: error: process ")
    assert run.err_lines[-1].endswith(f"ended {status}")


def test_run_sync_completed_exits_0_and_async_never_exits_4(cli, mock):
    assert cli("run", "default/test_process", "--sync", "--mock", "-o", "json").exit_code == 0
    ending(mock, "FAILED")
    assert cli("run", "default/test_process", "--mock", "-o", "json").exit_code == 0


def test_exit_code_4_is_documented(cli):
    assert "4 FAILED, TIMED_OUT," in " ".join(cli("run", "--help").stdout.split())
    assert "4 run --sync ended FAILED" in " ".join(cli("--help").stdout.split())
