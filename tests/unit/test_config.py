"""console.config: precedence, token handling, profile errors, file errors and file modes.

Every test uses a tmp_path config file and an explicit env dict: the real user's config and the
real environment are never read or changed.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from console.config import (
    ConfigError,
    Profile,
    Settings,
    config_path,
    insecure_permissions_warning,
    list_profiles,
    load_file,
    load_settings,
    save_profile,
    set_default_profile,
    set_profile_value,
)

SECRET = "s3cr3t-TOKEN-value-9876"
posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        'default_profile = "local"\n'
        "[profiles.local]\n"
        'base_url = "http://file-host"\n'
        "port = 9000\n"
        'client_id = "file-client"\n'
        'namespace = "ns-file"\n'
        'theme = "nord"\n'
        "[profiles.prod]\n"
        'base_url = "https://prod.example"\n'
        "port = 443\n"
        'client_id = "prod-client"\n'
        'token_env = "PROD_TOKEN"\n'
        "read_only = true\n"
        'banner = "PRODUCTION"\n'
        'future_key = "kept, ignored"\n'
    )
    return path


def test_defaults_without_file_or_profile(tmp_path: Path) -> None:
    s = load_settings(env={}, path=tmp_path / "missing.toml")
    assert (s.profile, s.base_url, s.port, s.client_id, s.token, s.timeout) == (
        None, "http://localhost", 8080, "", None, 10.0)
    assert s.read_only is False and s.namespace is None and s.banner is None
    assert set(s.source.values()) == {"default"}


def test_file_default_profile_is_used(cfg: Path) -> None:
    s = load_settings(env={}, path=cfg)
    assert s.profile == "local" and s.source["profile"] == "file"
    assert (s.base_url, s.port, s.client_id, s.namespace, s.theme) == (
        "http://file-host", 9000, "file-client", "ns-file", "nord")
    assert s.source["base_url"] == "file" and s.source["timeout"] == "default"


def test_precedence_flags_over_env_over_file(cfg: Path) -> None:
    env = {"UNMESHED_BASE_URL": "http://env-host", "UNMESHED_PORT": "7000", "UNMESHED_CLIENT_ID": "env-client"}
    s = load_settings(env=env, path=cfg)
    assert (s.base_url, s.port, s.client_id) == ("http://env-host", 7000, "env-client")
    assert s.source["port"] == "env" and s.source["namespace"] == "file"

    s = load_settings(overrides={"base_url": "http://flag-host", "port": 6000, "client_id": None,
                                 "read_only": True, "timeout": 3}, env=env, path=cfg)
    assert (s.base_url, s.port, s.client_id) == ("http://flag-host", 6000, "env-client")
    assert s.read_only is True and s.timeout == 3.0
    assert s.source["base_url"] == s.source["port"] == s.source["read_only"] == "flag"
    assert s.source["client_id"] == "env"  # None flag ignored


def test_profile_flag_beats_env_profile_and_default(cfg: Path) -> None:
    assert load_settings(env={"MESHDECK_PROFILE": "prod"}, path=cfg).profile == "prod"
    s = load_settings(env={"MESHDECK_PROFILE": "prod"}, path=cfg, profile="local")
    assert s.profile == "local" and s.source["profile"] == "flag"


def test_meshdeck_profile_env(cfg: Path) -> None:
    s = load_settings(env={"MESHDECK_PROFILE": "prod"}, path=cfg)
    assert (s.profile, s.base_url, s.port, s.read_only, s.banner) == (
        "prod", "https://prod.example", 443, True, "PRODUCTION")
    assert s.source["profile"] == "env"


def test_unknown_profile_errors_name_known_profiles(cfg: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(profile="staging", env={}, path=cfg)
    assert str(err.value) == f"no profile named 'staging' in {cfg} (known: local, prod)"


def test_missing_profile_from_env_or_default_errors(cfg: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'nope' .*MESHDECK_PROFILE"):
        load_settings(env={"MESHDECK_PROFILE": "nope"}, path=cfg)
    broken = tmp_path / "b.toml"
    broken.write_text('default_profile = "gone"\n[profiles.a]\nport = 1\n')
    with pytest.raises(ConfigError, match="'gone' .*default_profile.*known: a"):
        load_settings(env={}, path=broken)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(profile="x", env={}, path=tmp_path / "none.toml")


def test_token_resolution_order(cfg: Path) -> None:
    base = {"MESHDECK_PROFILE": "prod"}
    assert load_settings(env=base, path=cfg).token is None
    s = load_settings(env={**base, "PROD_TOKEN": "from-token-env"}, path=cfg)
    assert s.token.get_secret_value() == "from-token-env" and s.source["token"] == "env"
    assert "PROD_TOKEN" in s.masked()["token"]
    s = load_settings(env={**base, "PROD_TOKEN": "x", "UNMESHED_AUTH_TOKEN": "main"}, path=cfg)
    assert s.token.get_secret_value() == "main"
    s = load_settings(overrides={"token": "flag"}, env={**base, "UNMESHED_AUTH_TOKEN": "main"}, path=cfg)
    assert s.token.get_secret_value() == "flag" and s.source["token"] == "flag"


def test_token_in_file_is_last_resort(tmp_path: Path) -> None:
    path = save_profile("p", {"token": "in-file", "token_env": "MY_TOK"}, tmp_path / "c.toml")
    s = load_settings(profile="p", env={}, path=path)
    assert s.token.get_secret_value() == "in-file" and s.source["token"] == "file"
    s = load_settings(profile="p", env={"MY_TOK": "from-var"}, path=path)
    assert s.token.get_secret_value() == "from-var"


def test_token_never_shown(tmp_path: Path) -> None:
    path = save_profile("p", {"token": SECRET}, tmp_path / "c.toml")
    for s in (load_settings(profile="p", env={}, path=path),
              load_settings(env={"UNMESHED_AUTH_TOKEN": SECRET}, path=tmp_path / "none.toml")):
        assert isinstance(s.token, SecretStr)
        shown = repr(s) + str(s) + repr(s.masked()) + repr(s.source) + str(s.token_from)
        assert SECRET not in shown
        assert not any(SECRET[-n:] in shown for n in (3, 4))  # not even the last characters
        assert s.masked()["token"].startswith("set (from ")
    assert load_settings(env={}, path=tmp_path / "none.toml").masked()["token"] == "not set"


def test_token_of_wrong_type_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[profiles.p]\ntoken = 12345678\n")
    with pytest.raises(ConfigError) as err:
        load_file(path)
    assert "12345678" not in str(err.value) and "'token'" in str(err.value)


@pytest.mark.parametrize("key", ["token", "secret"])
def test_secret_of_wrong_type_not_echoed_on_save(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        save_profile("p", {key: 12345678}, tmp_path / "c.toml")
    assert "12345678" not in str(err.value) and f"key {key!r}: expected a string, got an integer" in str(err.value)


def test_profile_model_documents_every_field_and_hides_secrets() -> None:
    assert all(f.description for f in Profile.model_fields.values())
    shown = repr(Profile(token=SECRET, secret=SECRET)) + str(Profile(token=SECRET).model_dump())
    assert SECRET not in shown
    assert Profile().backend == "unmeshed" and Profile().port == 8080


def test_broken_toml_error_has_file_and_line_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('default_profile = "a"\n[profiles.a]\nport 8080\n')
    with pytest.raises(ConfigError) as err:
        load_settings(env={}, path=path)
    msg = str(err.value)
    assert msg.startswith(f"config file {path}, line 3: ")
    assert "\n" not in msg and "(at line" not in msg


@pytest.mark.parametrize(("body", "fragment"), [
    ("[profiles.a]\nport = 0\n", "profile 'a', key 'port': expected an integer 1..65535"),
    ('[profiles.a]\nport = "8080"\n', "key 'port'"),
    ('[profiles.a]\nread_only = "yes"\n', "profile 'a', key 'read_only': expected true or false"),
    ("[profiles.a]\nclient_id = 3\n", "key 'client_id': expected a string"),
    ('[profiles.a]\nbase_url = "localhost"\n', "key 'base_url'"),
    ("[profiles.a]\ntimeout = 0\n", "key 'timeout': expected a number of seconds above 0, got 0"),
    ("[profiles.a]\ntimeout = true\n", "key 'timeout': expected a number of seconds above 0, got True"),
    ('[profiles.a]\nbackend = "zeebe"\n', "key 'backend': expected unmeshed or conductor, got 'zeebe'"),
    ('[profiles.a]\nread_only = 1\nbase_url = "x"\n', "key 'read_only'"),  # the first in the file
    ('profiles = "x"\n', "key 'profiles'"),
    ("default_profile = 1\n", "key 'default_profile'"),
])
def test_wrong_types_name_file_profile_and_key(tmp_path: Path, body: str, fragment: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as err:
        load_file(path)
    assert str(err.value).startswith(f"config file {path}") and fragment in str(err.value)


def test_unknown_keys_are_kept_but_ignored(cfg: Path) -> None:
    assert load_file(cfg)["profiles"]["prod"]["future_key"] == "kept, ignored"
    load_settings(profile="prod", env={}, path=cfg)


def test_bad_env_and_flag_values(cfg: Path) -> None:
    with pytest.raises(ConfigError, match="UNMESHED_PORT: expected an integer"):
        load_settings(env={"UNMESHED_PORT": "http"}, path=cfg)
    with pytest.raises(ConfigError, match="flag --port"):
        load_settings(overrides={"port": 70000}, env={}, path=cfg)


def test_meshdeck_config_env_sets_path(tmp_path: Path, cfg: Path) -> None:
    assert config_path({"MESHDECK_CONFIG": str(cfg)}) == cfg
    assert config_path({}).name == "config.toml" and config_path({}) != cfg
    assert load_settings(env={"MESHDECK_CONFIG": str(cfg)}).profile == "local"


def test_missing_file_is_empty(tmp_path: Path) -> None:
    assert load_file(tmp_path / "nope.toml") == {}
    assert list_profiles(tmp_path / "nope.toml") == ([], None)


@posix_only
def test_save_creates_parent_and_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "config.toml"
    assert save_profile("dev", {"base_url": "http://dev", "port": 1234, "theme": None}, path) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_file(path) == {"profiles": {"dev": {"base_url": "http://dev", "port": 1234}}}
    path.chmod(0o644)
    save_profile("dev", {"client_id": "c"}, path)  # merges, and tightens an existing file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_file(path)["profiles"]["dev"] == {"base_url": "http://dev", "port": 1234, "client_id": "c"}
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temp file left


def test_save_rejects_bad_values(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="key 'port'"):
        save_profile("dev", {"port": "abc"}, tmp_path / "c.toml")
    assert not (tmp_path / "c.toml").exists()


def test_default_profile_and_set_value(cfg: Path) -> None:
    assert list_profiles(cfg) == (["local", "prod"], "local")
    set_default_profile("prod", cfg)
    assert list_profiles(cfg) == (["local", "prod"], "prod")
    assert load_settings(env={}, path=cfg).profile == "prod"
    with pytest.raises(ConfigError, match="no profile named 'zzz'"):
        set_default_profile("zzz", cfg)
    set_profile_value("prod", "theme", "gruvbox", cfg)
    assert load_settings(env={}, path=cfg).theme == "gruvbox"
    with pytest.raises(ConfigError, match="no profile named 'zzz'"):
        set_profile_value("zzz", "theme", "x", cfg)


@posix_only
def test_insecure_permissions_warning(tmp_path: Path) -> None:
    path = save_profile("p", {"client_id": "c"}, tmp_path / "c.toml")
    path.chmod(0o644)
    assert insecure_permissions_warning(path) is None  # readable, but no token in it
    save_profile("p", {"token": SECRET}, path)
    assert insecure_permissions_warning(path) is None  # saved as 0600
    path.chmod(0o640)
    warning = insecure_permissions_warning(path)
    assert warning and str(path) in warning and "chmod 600" in warning
    assert "\n" not in warning and SECRET not in warning
    assert insecure_permissions_warning(tmp_path / "missing.toml") is None


def test_settings_is_frozen(tmp_path: Path) -> None:
    s = load_settings(env={}, path=tmp_path / "none.toml")
    assert isinstance(s, Settings)
    with pytest.raises(AttributeError):
        s.port = 1  # type: ignore[misc]


def test_core_does_not_import_textual() -> None:
    code = "import sys, console.config; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
