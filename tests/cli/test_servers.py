"""Servers as contexts: login (checked with GET api/namespaces against ``mock serve`` over real
HTTP), where the token goes (keyring or a 0600 credentials file, never config.toml), logout,
delete-profile, server list|active, set-profile's additions and profile name validation."""

from __future__ import annotations

import json
import os
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend

from console import credentials
from tests.served import mock_server

TOKEN = "s3cret-token-value"


@pytest.fixture(scope="module")
def server():
    """One ``mock serve`` that wants client id ``ops`` and TOKEN."""
    with mock_server("--executions", "50", "--require-auth", f"ops:{TOKEN}") as port:
        yield f"http://127.0.0.1:{port}"


class MemoryKeyring(KeyringBackend):
    """A keyring in a dict: the machine's own keyring is never touched."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def set_password(self, service, username, password):
        self.saved[(service, username)] = password

    def get_password(self, service, username):
        return self.saved.get((service, username))

    def delete_password(self, service, username):
        self.saved.pop((service, username), None)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def login(cli, url: str, token: str, *extra: str):
    return cli("login", "--url", url, "--client-id", "ops", "--token-stdin", *extra, input=token)


def test_wrong_token_saves_nothing(cli, server, isolated_config):
    run = login(cli, server, "wrong", "--name", "prod")
    assert run.exit_code == 1
    assert "refused these credentials" in run.stderr and "nothing was saved" in run.stderr
    assert not isolated_config.exists() and not credentials.credentials_path().exists()
    assert "wrong" not in run.stderr and TOKEN not in run.stderr


def test_login_saves_a_profile_and_the_token_in_a_private_file(cli, server, isolated_config):
    run = login(cli, server, TOKEN, "--name", "prod")
    assert run.exit_code == 0, run.stderr
    assert "profile 'prod' saved" in run.stderr and TOKEN not in run.stderr + run.stdout
    config = isolated_config.read_text()
    assert TOKEN not in config and 'token_store = "file"' in config
    assert 'default_profile = "prod"' in config
    secrets = credentials.credentials_path()
    assert TOKEN in secrets.read_text()
    assert mode(isolated_config) == 0o600 and mode(secrets) == 0o600
    # The saved profile works: a search goes through with the token from the credentials file.
    found = cli("search", "--since", "30d", "--limit", "3", "-o", "ids")
    assert found.exit_code == 0 and len(found.lines) == 3, found.stderr
    shown = cli("config", "show")
    assert "credentials file" in shown.stderr + shown.stdout and TOKEN not in shown.stdout
    assert json.loads(cli("config", "show", "-o", "json").stdout)["token"].startswith("set (from")
    listed = cli("server", "list")
    assert "* prod" in listed.stdout and "credentials file" in listed.stdout
    assert cli("server", "active").stdout.split() == ["prod", server]


def test_login_uses_the_keyring_when_one_is_usable(cli, server, isolated_config, monkeypatch):
    ring = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    monkeypatch.delenv("MESHDECK_KEYRING")
    try:
        run = login(cli, server, TOKEN, "--name", "stage")
        assert run.exit_code == 0, run.stderr
        assert "OS keyring" in run.stderr
        assert ring.saved == {("meshdeck", "profile:stage"): TOKEN}
        assert TOKEN not in isolated_config.read_text() and not credentials.credentials_path().exists()
        assert cli("search", "--since", "30d", "--limit", "1", "-o", "ids").exit_code == 0
        out = cli("logout")
        assert out.exit_code == 0 and "logged out of 'stage'" in out.stderr
        assert ring.saved == {} and "token_store" not in isolated_config.read_text()
        refused = cli("search", "--since", "30d", "--limit", "1")
        assert refused.exit_code == 1 and "401" in refused.stderr
    finally:
        keyring.set_keyring(previous)


def test_token_env_keeps_a_reference(cli, server, isolated_config, monkeypatch):
    monkeypatch.setenv("OPS_TOKEN", TOKEN)
    run = cli("login", "--url", server, "--client-id", "ops", "--token-env", "OPS_TOKEN",
              "--name", "ci")
    assert run.exit_code == 0, run.stderr
    text = isolated_config.read_text()
    assert 'token_env = "OPS_TOKEN"' in text and TOKEN not in text
    assert not credentials.credentials_path().exists()


def test_logout_all_and_delete_profile(cli, server, isolated_config):
    assert login(cli, server, TOKEN, "--name", "a").exit_code == 0
    assert login(cli, server, TOKEN, "--name", "b").exit_code == 0
    run = cli("logout", "--all")
    assert run.exit_code == 0 and "'a', 'b'" in run.stderr
    assert TOKEN not in credentials.credentials_path().read_text()
    assert cli("logout", "a").stderr.startswith("no saved token")
    gone = cli("config", "delete-profile", "b")
    assert gone.exit_code == 0 and "no profile is active now" in gone.stderr
    assert "[profiles.b]" not in isolated_config.read_text()
    assert cli("config", "delete-profile", "zzz").exit_code == 2


def test_login_refuses_without_a_terminal_and_bad_names(cli, isolated_config):
    no_token = cli("login", "--url", "http://127.0.0.1:9", "--client-id", "ops")
    assert no_token.exit_code == 2 and "--token-stdin" in no_token.stderr
    bad = cli("login", "--url", "http://127.0.0.1:9", "--client-id", "ops", "--token-stdin",
              "--name", "no spaces", input="x")
    assert bad.exit_code == 2 and "invalid profile name 'no spaces'" in bad.stderr
    unreachable = cli("login", "--url", "http://127.0.0.1:9", "--client-id", "ops",
                      "--token-stdin", input="x")
    assert unreachable.exit_code == 1 and "nothing was saved" in unreachable.stderr
    assert not isolated_config.exists()


def test_set_profile_additions_and_name_validation(cli, isolated_config):
    run = cli("config", "set-profile", "orkes", "--backend", "conductor", "--base-url",
              "https://orkes.example", "--key-id", "kid", "--secret-env", "ORKES_SECRET", "--insecure")
    assert run.exit_code == 0, run.stderr
    text = isolated_config.read_text()
    for line in ('backend = "conductor"', 'key_id = "kid"', 'secret_env = "ORKES_SECRET"',
                 "insecure = true"):
        assert line in text
    assert mode(isolated_config) == 0o600
    bad = cli("config", "set-profile", "../etc", "--port", "1")
    assert bad.exit_code == 2 and "invalid profile name" in bad.stderr
    wrong = cli("config", "set-profile", "x", "--backend", "nope")
    assert wrong.exit_code == 2
