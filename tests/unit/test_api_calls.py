"""The API call helpers: body check, history file, copy as curl / CLI (never a token)."""

from __future__ import annotations

import json
import shlex
import subprocess

import pytest

from console.services import api_calls
from console.services.api_calls import BodyError, CallSpec, as_cli, as_curl, parse_body


def test_parse_body_points_at_the_mistake():
    error = parse_body('{\n  "a": 1\n  "b": 2\n}')
    assert isinstance(error, BodyError)
    assert (error.line, error.column) == (3, 3)
    assert "line 3, column 3" in str(error)
    assert parse_body("   ") == {}
    assert parse_body('{"a": [1]}') == {"a": [1]}
    assert isinstance(parse_body("[1, 2]"), BodyError)


def test_history_per_profile_newest_first_deduplicated(tmp_path, monkeypatch):
    monkeypatch.setenv("MESHDECK_DATA_DIR", str(tmp_path))
    first = CallSpec("orders/submit", body='{"a": 1}', status="200")
    second = CallSpec("orders/status", method="GET", call_type="ASYNC")
    api_calls.record("prod", first)
    api_calls.record("prod", second)
    history = api_calls.record("prod", CallSpec("orders/submit", body='{ "a" : 1 }'))
    assert [c.endpoint for c in history] == ["orders/submit", "orders/status"]
    assert api_calls.load_history("prod") == history
    assert api_calls.load_history(None) == []
    assert (tmp_path / "history" / "prod.json").exists()
    (tmp_path / "history" / "prod.json").write_text("{broken")
    assert api_calls.load_history("prod") == []


def test_history_skips_odd_entries(tmp_path, monkeypatch):
    monkeypatch.setenv("MESHDECK_DATA_DIR", str(tmp_path))
    path = api_calls.history_path(None)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([{"endpoint": "ok"}, {"endpoint": 3}, "x",
                                {"endpoint": "bad", "method": "DELETE"}]))
    assert [c.endpoint for c in api_calls.load_history(None)] == ["ok"]


def test_curl_never_holds_the_token_and_computes_the_bearer_in_the_shell():
    call = CallSpec("/api/call/orders/submit/", call_type="SYNC", request_id="r 1",
                    body='{"note": "it\'s"}')
    line = as_curl(call, "https://acme.example", "my-client")
    assert "secret" not in line
    assert "'https://acme.example/api/call/orders/submit?apiCallType=SYNC&id=r+1'" in line
    assert '$(printf %s "$UNMESHED_AUTH_TOKEN" | sha256sum' in line
    words = shlex.split(line)
    assert words[words.index("-d") + 1] == '{"note":"it\'s"}'


@pytest.mark.skipif(subprocess.run(["sh", "-c", "command -v sha256sum"],
                                   capture_output=True).returncode != 0, reason="no sha256sum")
def test_curl_header_expands_to_the_sdk_bearer():
    from console.backends.unmeshed import bearer_for

    line = as_curl(CallSpec("x"), "http://h", "cid")
    header = line.split(" -H ")[1].split(" -H ")[0]
    out = subprocess.run(["bash", "-c", f"printf %s {header}"], capture_output=True, text=True,
                         env={"UNMESHED_AUTH_TOKEN": "tok", "PATH": "/usr/bin:/bin"})
    assert out.stdout == f"Authorization: {bearer_for('cid', 'tok')}"


def test_cli_line_round_trips_through_the_shell():
    call = CallSpec("orders/submit", body='{\n "a": 1\n}', correlation_id="c-9")
    words = shlex.split(as_cli(call, "prod"))
    assert words == ["meshdeck", "--profile", "prod", "call", "orders/submit", "--post",
                     "--data", '{"a":1}', "--type", "SYNC", "--correlation-id", "c-9"]
    get = shlex.split(as_cli(CallSpec("s", method="GET", call_type="ASYNC")))
    assert get == ["meshdeck", "call", "s", "--get", "--type", "ASYNC"]


def test_process_id_in_answers():
    assert api_calls.process_id_in({"processId": 12}) == "12"
    assert api_calls.process_id_in([{"id": 1}, {"processId": 7}]) == "7"
    assert api_calls.process_id_in({"result": "ok"}) is None


def test_history_is_kept_apart_per_server():
    """Calls made against the mock are never offered for re-sending to another server."""
    mock = api_calls.history_key("prod", "http://mock")
    real = api_calls.history_key("prod", "https://acme.unmeshed.io")
    assert mock != real and mock.startswith("prod@") and real.startswith("prod@")
    api_calls.record(mock, CallSpec("orders/submit"))
    assert api_calls.load_history(real) == []
    assert api_calls.history_key(None) == "default"
