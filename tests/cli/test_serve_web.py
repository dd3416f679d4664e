"""``meshdeck serve-web`` as a command: what it prints, what each session runs, what it refuses.

The server itself is replaced by a recorder here (tests/web runs the real one, in a browser).
"""

from __future__ import annotations

import socket
import sys

import pytest

from console.cli import serve_web

SECRET = "api-token-that-must-stay-home"


@pytest.fixture
def served(monkeypatch):
    """Record what ``console.web.serve`` is given instead of serving; report port 8000 bound."""
    pytest.importorskip("textual_serve", reason="the web extra is not installed")
    from console import web

    calls: list[dict] = []

    def fake_serve(command, *, host, port, token, on_ready):
        calls.append({"command": command, "host": host, "port": port, "token": token})
        on_ready(port or 8000)

    monkeypatch.setattr(web, "serve", fake_serve)
    return calls


def option(command: list[str], flag: str) -> str | None:
    return command[command.index(flag) + 1] if flag in command else None


def test_default_is_read_only_on_localhost_with_a_token_url(cli, served, monkeypatch):
    monkeypatch.setenv("UNMESHED_AUTH_TOKEN", SECRET)
    run = cli("serve-web", "--mock")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""  # 127.0.0.1: no warning
    (call,) = served
    assert call["host"] == "127.0.0.1" and call["port"] == 8000
    token = call["token"]
    assert len(token) >= 40 and f"http://127.0.0.1:8000/?token={token}" in run.stdout
    command = call["command"]
    assert command[:4] == [sys.executable, "-m", "console", "tui"]
    assert "--read-only" in command and "--mock" in command
    assert option(command, "--banner") == "web, read-only"
    # Neither the access token nor the API token is on the command line a session runs.
    assert not any(token in part or SECRET in part for part in command)


def test_each_run_gets_a_new_token(cli, served):
    cli("serve-web", "--mock")
    cli("serve-web", "--mock")
    assert served[0]["token"] != served[1]["token"]


def test_allow_actions_and_the_flags_a_session_needs(cli, served, isolated_config):
    isolated_config.write_text('[profiles.staging]\nbase_url = "https://staging.example"\n'
                               'banner = "STAGING"\n')
    run = cli("--port", "9443", "serve-web", "--profile", "staging", "--allow-actions",
              "--port", "9000", "--timeout", "5", "--backend", "conductor")
    assert run.exit_code == 0, run.stderr
    command = served[0]["command"]
    assert served[0]["port"] == 9000  # serve-web's own --port is the web port...
    assert option(command, "--port") == "9443"  # ...the root's is the orchestration server's
    assert option(command, "--profile") == "staging" and option(command, "--timeout") == "5.0"
    assert option(command, "--backend") == "conductor"
    assert "--read-only" not in command and "--mock" not in command
    assert option(command, "--banner") == "STAGING · web, actions allowed"
    assert "profile staging, actions allowed" in run.stdout


def test_a_read_only_profile_stays_read_only_with_allow_actions(cli, served, isolated_config):
    isolated_config.write_text("[profiles.prod]\nread_only = true\n")
    run = cli("serve-web", "--profile", "prod", "--allow-actions")
    assert run.exit_code == 0, run.stderr
    assert option(served[0]["command"], "--banner") == "web, read-only"
    assert "read-only" in run.stdout


def test_an_unknown_profile_stops_before_serving(cli, served):
    run = cli("serve-web", "--profile", "nope")
    assert run.exit_code == 2 and served == []
    assert run.err_lines == [line for line in run.err_lines if line.startswith("meshdeck: error:")]


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "ops-box.example"])
def test_any_other_host_warns_that_anyone_gets_the_credentials(cli, served, host):
    run = cli("serve-web", "--mock", "--host", host)
    assert run.exit_code == 0
    assert len(run.err_lines) == 1
    warning = run.err_lines[0]
    assert warning.startswith("meshdeck: warning: serving on " + host)
    assert "anyone who can reach port 8000" in warning
    if host == "0.0.0.0":  # the URL names this machine, not the wildcard
        assert f"http://{socket.gethostname()}:8000/?token=" in run.stdout


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts_do_not_warn(cli, served, host):
    run = cli("serve-web", "--mock", "--host", host)
    assert run.exit_code == 0 and run.stderr == ""
    if host == "::1":
        assert "http://[::1]:8000/?token=" in run.stdout


@pytest.mark.timeout(60)
def test_without_the_web_extra_it_says_how_to_install_it(cli, monkeypatch):
    import console

    monkeypatch.delitem(sys.modules, "console.web", raising=False)
    monkeypatch.delattr(console, "web", raising=False)
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # makes the import fail
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    run = cli("serve-web", "--mock")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.err_lines == [serve_web.INSTALL_HINT]
    assert "pip install 'meshdeck[web]'" in run.stderr


def test_a_port_in_use_is_one_line_exit_1(cli):
    pytest.importorskip("textual_serve", reason="the web extra is not installed")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = cli("serve-web", "--mock", "--port", str(port))
    assert run.exit_code == 1 and run.stdout == ""
    assert len(run.err_lines) == 1 and run.err_lines[0].startswith(
        f"meshdeck: error: cannot serve on 127.0.0.1:{port}: ")


def test_help_explains_it_to_a_newcomer(cli):
    run = cli("serve-web", "--help")
    text = " ".join(run.stdout.split())
    assert run.exit_code == 0
    for words in ("web browsers", "access token", "read-only", "--allow-actions", "127.0.0.1",
                  "pip install 'meshdeck[web]'"):
        assert words in text, words


def test_tui_banner_replaces_the_profile_banner(cli, monkeypatch, isolated_config):
    isolated_config.write_text('[profiles.prod]\nbanner = "PRODUCTION"\n')
    seen = []
    fake = type(sys)("console.tui.app")
    fake.run_tui = lambda backend, settings, theme=None, mock=False, connect=None: seen.append(
        settings.banner)
    monkeypatch.setitem(sys.modules, "console.tui.app", fake)
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")  # as served
    assert cli("tui", "--profile", "prod", "--base-url", "http://127.0.0.1:9").exit_code == 0
    assert cli("tui", "--profile", "prod", "--base-url", "http://127.0.0.1:9",
               "--banner", "PRODUCTION · web, read-only").exit_code == 0
    assert seen == ["PRODUCTION", "PRODUCTION · web, read-only"]
