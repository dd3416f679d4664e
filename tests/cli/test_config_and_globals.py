"""config commands, global options, --version, --verbose, the TUI entry and error handling."""

from __future__ import annotations

import json
import os
import sys

import pytest

from console.cli import common

from console.cli import main as cli_main


def test_set_profile_profiles_use_and_show(cli, isolated_config, monkeypatch):
    made = cli("config", "set-profile", "prod", "--base-url", "https://prod.example", "--port", "9443",
               "--client-id", "ops", "--token-env", "PROD_TOKEN", "--namespace", "payments",
               "--read-only", "--banner", "PRODUCTION")
    assert made.exit_code == 0 and "saved profile 'prod'" in made.stderr and made.stdout == ""
    assert oct(isolated_config.stat().st_mode & 0o777) == "0o600"
    cli("config", "set-profile", "dev", "--base-url", "http://localhost")
    listed = json.loads(cli("config", "profiles", "-o", "json").stdout)
    assert [p["name"] for p in listed] == ["prod", "dev"]
    assert listed[0]["token"] == "env PROD_TOKEN" and listed[0]["read_only"] is True

    assert cli("config", "use", "prod").exit_code == 0
    assert cli("config", "profiles", "-o", "ids").lines == ["prod", "dev"]
    table = cli("config", "profiles")
    assert any(line.strip().startswith("* prod") for line in table.lines)

    monkeypatch.setenv("PROD_TOKEN", "s3cret-token-value")
    shown = cli("config", "show", "-o", "json")
    data = json.loads(shown.stdout)
    assert data["profile"] == "prod" and data["base_url"] == "https://prod.example"
    assert data["token"].startswith("set (from env PROD_TOKEN")
    assert "s3cret-token-value" not in shown.stdout + shown.stderr
    flagged = json.loads(cli("config", "show", "-o", "json", "--base-url", "http://other:1").stdout)
    assert flagged["base_url"] == "http://other:1" and flagged["source"]["base_url"] == "flag"
    other = json.loads(cli("--profile", "dev", "config", "show", "-o", "json").stdout)
    assert other["profile"] == "dev"
    plain = cli("config", "show")
    assert plain.exit_code == 0 and "s3cret" not in plain.stdout and "set (from env PROD_TOKEN" in plain.stdout


def test_set_profile_and_use_keep_the_users_comments_and_order(cli, isolated_config):
    isolated_config.write_text('# my meshdeck\n[profiles.zed]  # last in the alphabet, first here\n'
                               'port = 9000  # dev port\nbase_url = "http://zed"\n\n'
                               '# staging\n[profiles.alpha]\nbase_url = "http://alpha"\n')
    isolated_config.chmod(0o644)
    assert cli("config", "set-profile", "zed", "--port", "9001", "--namespace", "ns").exit_code == 0
    assert cli("config", "use", "alpha").exit_code == 0
    assert isolated_config.read_text() == (
        '# my meshdeck\ndefault_profile = "alpha"\n\n[profiles.zed]  # last in the alphabet, first here\n'
        'port = 9001  # dev port\nbase_url = "http://zed"\nnamespace = "ns"\n\n'
        '# staging\n[profiles.alpha]\nbase_url = "http://alpha"\n')
    assert oct(isolated_config.stat().st_mode & 0o777) == "0o600"
    assert cli("config", "profiles", "-o", "ids").lines == ["zed", "alpha"]


def test_show_warns_about_a_world_readable_token(cli, isolated_config):
    isolated_config.write_text('[profiles.x]\nbase_url = "http://h"\ntoken = "abc123def"\n')
    os.chmod(isolated_config, 0o644)
    run = cli("config", "show", "--profile", "x")
    assert run.exit_code == 0
    assert "chmod 600" in run.stderr and "abc123def" not in run.stdout + run.stderr
    assert run.stderr.count("chmod 600") == 1


def test_every_command_warns_about_a_world_readable_token(cli, isolated_config, mock):
    isolated_config.write_text('[profiles.x]\nbase_url = "http://h"\ntoken = "abc123def"\n')
    os.chmod(isolated_config, 0o644)
    run = cli("--profile", "x", "--mock", "search", "--limit", "1", "-o", "ids")
    assert run.exit_code == 0
    assert "meshdeck: warning:" in run.stderr and "chmod 600" in run.stderr
    assert "abc123def" not in run.stdout + run.stderr


def test_config_errors_are_one_line_exit_2(cli, isolated_config):
    unknown = cli("config", "use", "nope")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("meshdeck: error: no profile named 'nope'")
    isolated_config.write_text("this is = = not toml")
    broken = cli("search", "--mock")
    assert broken.exit_code == 2 and "config file" in broken.stderr
    assert len(broken.stderr.strip().splitlines()) == 1
    bad_url = cli("config", "set-profile", "y", "--base-url", "ftp://x")
    assert bad_url.exit_code == 2


def test_unknown_profile_flag(cli, mock):
    run = cli("search", "--mock", "--profile", "ghost")
    assert run.exit_code == 2 and "no profile named 'ghost'" in run.stderr


def test_version(cli):
    run = cli("--version")
    assert run.exit_code == 0 and run.stdout.startswith("meshdeck ")


def test_help_lists_commands_in_panels(cli):
    run = cli("--help")
    assert run.exit_code == 0
    for word in ("search", "terminate", "definitions", "config", "Global options", "Find and inspect"):
        assert word in run.stdout


def test_bad_flag_is_exit_2(cli):
    run = cli("search", "--frobnicate")
    assert run.exit_code == 2 and "--frobnicate" in run.stderr


def test_verbose_prints_request_lines_on_stderr_without_the_token(cli, mock, monkeypatch):
    monkeypatch.setenv("UNMESHED_AUTH_TOKEN", "tok-very-secret")
    run = cli("search", "--mock", "--limit", "1", "-o", "ids", "--verbose")
    assert run.exit_code == 0
    assert len(run.lines) == 1  # stdout holds only the ids
    assert "> GET http://mock/api/stats/process/search?" in run.stderr and "-> 200" in run.stderr
    assert "tok-very-secret" not in run.stderr


def test_server_down_is_exit_1_one_line_no_traceback(cli):
    run = cli("search", "--base-url", "http://127.0.0.1:1", "--timeout", "2")
    assert run.exit_code == 1 and run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("meshdeck: error: cannot reach http://127.0.0.1:1/")


def test_server_answering_html_is_one_line(cli, mock):
    async def html(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": b"<html><body>Sign in</body></html>"})

    mock.app = html
    run = cli("get", "1", "--mock")
    assert run.exit_code == 1
    assert "HTML, not JSON" in run.stderr and "Traceback" not in run.stderr


def test_unexpected_error_is_one_line_with_a_hint(cli, mock, monkeypatch):
    import console.services.search as search_service

    async def boom(*args, **kwargs):
        raise RuntimeError("kaboom\nsecond line")

    monkeypatch.setattr(search_service, "fetch_page", boom)
    run = cli("search", "--mock")
    assert run.exit_code == 1
    assert run.stderr.splitlines() == ["meshdeck: error: unexpected RuntimeError: kaboom second line",
                                       "run with --verbose for details"]
    verbose = cli("search", "--mock", "--verbose")
    assert "Traceback" in verbose.stderr and verbose.exit_code == 1


def test_no_command_opens_the_tui_with_settings(cli, mock, monkeypatch):
    calls = []
    fake = type(sys)("console.tui.app")
    fake.run_tui = lambda backend, settings, theme=None, *, mock=False, connect=None: \
        calls.append((backend, settings, mock))
    monkeypatch.setitem(sys.modules, "console.tui.app", fake)
    monkeypatch.setattr(common, "has_terminal", lambda: True)
    assert cli("--mock").exit_code == 0
    assert cli("tui", "--mock").exit_code == 0
    assert len(calls) == 2 and calls[0][1].base_url == "http://localhost"
    assert [mock for _, _, mock in calls] == [True, True]  # the TUI knows it runs on the mock
    for backend, _, _ in calls:
        import asyncio

        asyncio.run(backend.aclose())


def test_tui_not_available_is_one_line(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "console.tui.app", None)  # makes the import fail
    run = cli("tui")
    assert run.exit_code == 1 and run.stderr.strip() == "meshdeck: the TUI is not available yet"


@pytest.mark.parametrize("code,exc", [(2, ValueError("bad")), (1, RuntimeError("x"))])
def test_error_exit_code_mapping(code, exc):
    assert cli_main.error_exit_code(exc) == (code if code == 2 else None)


def test_mock_serve_checks_require_auth(cli):
    run = cli("mock", "serve", "--require-auth", "no-colon-here")
    assert run.exit_code == 2 and "CLIENT_ID:TOKEN" in run.stderr


def test_no_color_and_timeout_after_the_command(cli, mock):
    run = cli("search", "--mock", "--no-color", "--timeout", "3", "--limit", "2")
    assert run.exit_code == 0 and "\x1b[" not in run.stdout and run.lines[0].startswith("ID")
