"""Security promises: the token never shows, the config file is private, the mock binds to
localhost, TLS is checked unless --insecure (which warns), and read-only blocks every change."""

from __future__ import annotations

import inspect
import logging
import stat
from pathlib import Path

import pytest

from tests.reliability.conftest import TOKEN, ids_with

ROOT = Path(__file__).resolve().parents[2]


def test_no_snapshot_or_screenshot_holds_a_token():
    """Snapshots and screenshots are made with test credentials: none of them may show up."""
    from tests.tui.conftest import make_settings  # noqa: F401 - the token the TUI tests use

    tokens = [TOKEN, "test-token", "contract-token", "mock-token"]
    files = [*ROOT.glob("tests/**/__snapshots__/**/*"), *ROOT.glob("screenshots/*")]
    files = [f for f in files if f.is_file()]
    assert files, "expected snapshot and screenshot files to check"
    for path in files:
        text = path.read_text("utf-8", "replace")
        for token in tokens:
            assert token not in text, f"{token!r} appears in {path.relative_to(ROOT)}"


COMMANDS = [
    ["config", "show"], ["config", "show", "-o", "json"], ["config", "profiles"],
    ["search", "--limit", "3", "--verbose"], ["get", "1000001", "--verbose"],
    ["get", "999", "-o", "json"], ["definitions", "nope/nope"], ["run", "a/b", "--input", "{"],
]


@pytest.mark.parametrize("extra", [[], ["--base-url", "http://127.0.0.1:9", "--timeout", "0.5"]])
def test_token_never_in_any_output(extra, cli, faulty, monkeypatch, caplog, isolated_config):
    monkeypatch.setenv("UNMESHED_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("UNMESHED_CLIENT_ID", "sec-client")
    isolated_config.write_text(f'[profiles.p]\nbase_url = "http://localhost"\ntoken = "{TOKEN}"\n')
    isolated_config.chmod(0o600)
    faulty("error_rate=0.5,errors=500|401,html_errors,seed=4", executions=100)
    caplog.set_level(logging.DEBUG)
    seen = []
    for args in COMMANDS:
        mock = [] if extra else ["--mock"]
        for profile in ([], ["--profile", "p"]):
            run = cli(*mock, *profile, *extra, *args)
            seen.append(run.stdout + run.stderr)
    joined = "\n".join(seen) + caplog.text
    assert "set (from" in joined  # config show did run and mask it
    assert TOKEN not in joined
    import hashlib

    assert hashlib.sha256(TOKEN.encode()).hexdigest() not in joined


def test_client_repr_and_errors_hide_the_token():
    from console.backends.unmeshed import UnmeshedClient

    c = UnmeshedClient("http://127.0.0.1", 9, "id", TOKEN)
    assert TOKEN not in repr(c) and TOKEN not in str(vars(c))


def test_config_file_is_created_private(cli, isolated_config):
    assert not isolated_config.exists()
    run = cli("config", "set-profile", "prod", "--base-url", "https://acme.example",
              "--token-env", "ACME_TOKEN")
    assert run.exit_code == 0
    assert stat.S_IMODE(isolated_config.stat().st_mode) == 0o600


def test_mock_serve_binds_localhost_by_default(monkeypatch, cli):
    import console.mock.serve as serve_mod
    from console.cli.mock_cmd import serve

    assert inspect.signature(serve_mod.serve).parameters["host"].default == "127.0.0.1"
    got = {}
    monkeypatch.setattr(serve_mod, "serve", lambda **kw: got.update(kw))
    assert cli("mock", "serve", "--faults", "latency=1ms").exit_code == 0
    assert got["host"] == "127.0.0.1" and got["faults"] == "latency=1ms"
    assert cli("mock", "serve", "--host", "0.0.0.0").exit_code == 0 and got["host"] == "0.0.0.0"
    bad = cli("mock", "serve", "--faults", "explode")
    assert bad.exit_code == 2 and bad.err_lines[-1].startswith("meshdeck: error: --faults:")
    assert serve is not None


def _verify_used(monkeypatch, cli, *args):
    import console.connect

    seen = {}
    real = console.connect.open_backend

    def spy(*a, **kw):
        seen["verify"] = kw.get("verify", True)
        return real(*a, **kw)

    monkeypatch.setattr(console.connect, "open_backend", spy)
    run = cli("--base-url", "https://127.0.0.1:9", "--timeout", "0.3", *args, "get", "1")
    return seen["verify"], run


def test_tls_verification_on_by_default_and_insecure_warns(monkeypatch, cli):
    verify, run = _verify_used(monkeypatch, cli)
    assert verify is True and "insecure" not in run.stderr
    assert run.exit_code == 1 and len(run.err_lines) == 1
    verify, run = _verify_used(monkeypatch, cli, "--insecure")
    assert verify is False
    warnings = [l for l in run.err_lines if "--insecure" in l]
    assert len(warnings) == 1 and warnings[0].startswith("meshdeck: warning:")


def test_a_real_client_checks_certificates():
    import ssl

    from console.backends.unmeshed import UnmeshedClient

    c = UnmeshedClient("https://127.0.0.1", None, "id", "t")
    pool = c.http._http._transport._pool
    assert pool._ssl_context.verify_mode == ssl.CERT_REQUIRED


@pytest.mark.parametrize("args", [
    ["terminate", "{RUNNING}", "--yes"], ["resume", "{FAILED}", "--yes"],
    ["review", "{FAILED}", "--yes"], ["review", "--status", "FAILED", "--yes"],
    ["rerun", "{FAILED}", "--yes"], ["run", "default/order_fulfilment", "--input", "{}"],
    ["call", "track_shipment", "--post"], ["call", "track_shipment", "--data", "{}"],
])
@pytest.mark.parametrize("how", ["flag", "profile"])
def test_read_only_blocks_every_destructive_command(args, how, cli, faulty, isolated_config):
    app = faulty(None, executions=200)
    store = app.state.store
    pids = {"{RUNNING}": ids_with(store, "RUNNING", 1)[0], "{FAILED}": ids_with(store, "FAILED", 1)[0]}
    before = {pid: dict(p) for pid, p in store.processes.items()}
    args = [pids.get(a, a) for a in args]
    if how == "flag":
        run = cli("--mock", "--read-only", *args)
    else:
        isolated_config.write_text('[profiles.ro]\nread_only = true\n')
        run = cli("--mock", "--profile", "ro", *args)
    assert run.exit_code == 2
    assert run.err_lines[-1].startswith("meshdeck: error: refusing to")
    assert {pid: p["status"] for pid, p in store.processes.items()} == \
        {pid: p["status"] for pid, p in before.items()}
    assert len(store.processes) == len(before)  # no run, rerun or call started a process
