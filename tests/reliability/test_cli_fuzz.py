"""Random arguments, ids, JSON bodies and option mixes fed to the CLI against --mock: never a
traceback, always a documented exit code (0, 1, 2, 3, 4), and an error is one ``meshdeck:`` line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.conftest import make_mock

COMMANDS = ["search", "get", "step", "definitions", "terminate", "resume", "review", "rerun",
            "run", "call", "config show", "config profiles", "config use", "config set-profile"]
OPTIONS = ["--status", "--since", "--until", "--limit", "--offset", "--name", "--namespace",
           "--tag", "--text", "--output", "-o", "--columns", "--reason", "--version", "--input",
           "--data", "--type", "--timeout", "--port", "--base-url", "--profile", "--steps",
           "--no-steps", "--all", "--yes", "--dry-run", "--get", "--post", "--read-only",
           "--versions", "--process-id", "--mock-faults", "--sync", "--id", "--verbose"]
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=20)
ids = st.one_of(st.integers(-5, 10**12).map(str), st.sampled_from(["1000001", "1000002", "-",
                                                                   "0", "1e9", "../x", "a/b"]),
                text)
json_text = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                         lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                         max_leaves=8).map(lambda v: __import__("json").dumps(v))
values = st.one_of(ids, json_text, text, st.sampled_from([
    "FAILED", "failed,running", "nope", "2h", "1w", "2026-01-01", "yesterday", "json", "csv",
    "ndjson", "ids", "tree", "table", "xml", "SYNC", "STREAM", "default/order_fulfilment",
    "a/b/c", "@/nonexistent.json", "{bad json", "99999999999999999999", "-1", "0.0",
    "latency=1ms", "bogus=1", "error_rate=1", "http://localhost:1"]))


@st.composite
def argv(draw):
    words = draw(st.sampled_from(COMMANDS)).split()
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            words.append(draw(st.sampled_from(OPTIONS)))
        words.append(draw(values))
    if draw(st.booleans()):
        words.insert(0, "--mock")
    else:
        words.append("--mock")
    return words


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(args=argv(), stdin=st.one_of(st.none(), ids, json_text))
def test_random_command_lines_never_crash(args, stdin, cli, monkeypatch, tmp_path):
    from console import connect

    monkeypatch.setattr(connect, "new_mock_app", lambda *a, _app=make_mock(None, executions=60), **k: _app)
    monkeypatch.setenv("MESHDECK_CONFIG", str(tmp_path / "fuzz.toml"))
    run = cli(*args, input=stdin)
    assert run.exit_code in (0, 1, 2, 3, 4), (args, run.exit_code, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr, (args, run.stderr)
    assert "meshdeck: error: unexpected" not in run.stderr, (args, run.stderr)
    if run.exit_code:
        assert run.err_lines, (args, "an error exit without a word on stderr")
