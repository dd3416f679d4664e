"""Profiles (TOML), environment variables and flags, resolved into one `Settings`.

Precedence for every field: flags > environment > config file profile > defaults.
The token: flag or ``UNMESHED_AUTH_TOKEN`` > the variable a profile names in
``token_env`` > the profile's own ``token`` (discouraged: it sits in the file).

The file lives at ``platformdirs.user_config_path("meshdeck") / "config.toml"``
unless ``MESHDECK_CONFIG`` names another path.  It is written with mode 0600.
Writing rewrites the whole file with tomli_w, so comments are not kept.
A token never appears in an error message, a repr or ``Settings.masked()``.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w
from pydantic import SecretStr

DEFAULTS: dict[str, Any] = {"base_url": "http://localhost", "port": 8080, "client_id": "", "timeout": 10.0}
# Setting -> environment variable (the token is handled separately).
ENV_VARS: dict[str, str] = {"base_url": "UNMESHED_BASE_URL", "port": "UNMESHED_PORT", "client_id": "UNMESHED_CLIENT_ID",
                            "backend": "MESHDECK_BACKEND", "key_id": "CONDUCTOR_AUTH_KEY"}
TOKEN_ENV = "UNMESHED_AUTH_TOKEN"
# Orkes Conductor: a key id and secret, exchanged for a token (the official client's variable names).
SECRET_ENV = "CONDUCTOR_AUTH_SECRET"
BACKENDS = ("unmeshed", "conductor")
PROFILE_ENV = "MESHDECK_PROFILE"
CONFIG_ENV = "MESHDECK_CONFIG"


class ConfigError(Exception):
    """A configuration problem, described in one line that never contains a token."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


# --- validation --------------------------------------------------------------------------------

def _always(value: Any) -> bool:
    return True


# key -> (accepted types, extra check, what is expected); keys not listed are kept but ignored.
_RULES: dict[str, tuple[Any, Callable[[Any], bool], str]] = {
    "base_url": (str, lambda v: bool(re.match(r"https?://[^/\s]", v, re.I)), "a URL starting with http:// or https://"),
    "port": (int, lambda v: 1 <= v <= 65535, "an integer 1..65535"),
    "read_only": (bool, _always, "true or false"),
    "timeout": ((int, float), lambda v: v > 0, "a number of seconds above 0"),
    "backend": (str, lambda v: v in BACKENDS, "unmeshed or conductor"),
    **{k: (str, _always, "a string") for k in ("key_id", "secret", "secret_env")},
    **{k: (str, _always, "a string") for k in ("client_id", "token", "token_env", "namespace", "theme", "banner")},
}


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "an array", dict: "a table"}.get(type(value), type(value).__name__)


def _check(key: str, value: Any, where: str) -> Any:
    """The value, checked against _RULES[key]; else ConfigError("{where}: expected ..., got ...")."""
    types, ok, expected = _RULES[key]
    if (isinstance(value, bool) and types is not bool) or not isinstance(value, types) or not ok(value):
        plain = key not in ("token", "secret") and isinstance(value, (str, int, float))  # never echo a token
        raise ConfigError(f"{where}: expected {expected}, got {repr(value) if plain else _kind(value)}")
    return float(value) if key == "timeout" else value


def _digits(key: str, value: Any) -> Any:
    """A port from env (or a flag) arrives as text: "8080" -> 8080.  The file must hold an int."""
    return int(value) if key == "port" and isinstance(value, str) and value.isdigit() else value


def _flag(key: str) -> str:
    return "flag --" + key.replace("_", "-")


# --- the file ----------------------------------------------------------------------------------

def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the config file is: ``$MESHDECK_CONFIG`` if set, else the platform's config dir."""
    env = os.environ if env is None else env
    override = env.get(CONFIG_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path("meshdeck") / "config.toml"


def load_file(path: Path | None = None) -> dict:
    """The parsed, type-checked file; ``{}`` when it does not exist.  Unknown keys are kept."""
    path = config_path() if path is None else Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot read it: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path}: not valid UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", text)
        if found:
            text = f"line {found.group(1)}: {text[: found.start()]} (column {found.group(2)})"
        raise ConfigError(f"config file {path}, {text}") from None
    _validate(data, path)
    return data


def _validate(data: dict, path: Path) -> None:
    default = data.get("default_profile")
    if default is not None and not isinstance(default, str):
        raise ConfigError(f"config file {path}, key 'default_profile': expected a string, got {_kind(default)}")
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"config file {path}, key 'profiles': expected a table, got {_kind(profiles)}")
    for name, values in profiles.items():
        where = f"config file {path}, profile {name!r}"
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: expected a table [profiles.{name}], got {_kind(values)}")
        for key, value in values.items():
            if key in _RULES:
                _check(key, value, f"{where}, key {key!r}")


def _profiles(data: Mapping[str, Any]) -> dict[str, dict]:
    return dict(data.get("profiles", {}))


def list_profiles(path: Path | None = None) -> tuple[list[str], str | None]:
    """Profile names in file order, and the ``default_profile`` (or None)."""
    data = load_file(path)
    return list(_profiles(data)), data.get("default_profile")


def _unknown_profile(name: str, path: Path, data: Mapping[str, Any], via: str = "") -> ConfigError:
    known = ", ".join(_profiles(data)) or ("none; the file does not exist" if not path.exists() else "none")
    return ConfigError(f"no profile named {name!r}{via} in {path} (known: {known})")


# --- resolving settings ------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    """Everything needed to connect.  ``source`` maps each field to flag/env/file/default."""

    profile: str | None
    base_url: str
    port: int
    client_id: str
    token: SecretStr | None
    namespace: str | None
    read_only: bool
    theme: str | None
    banner: str | None
    timeout: float = 10.0
    source: dict[str, str] = field(default_factory=dict)
    token_from: str | None = None  # e.g. "env UNMESHED_AUTH_TOKEN"; never the token itself
    config_file: Path | None = None
    backend: str = "unmeshed"  # or "conductor" (Conductor OSS / Orkes)
    key_id: str | None = None  # Orkes: key id, exchanged with key_secret at POST /token
    key_secret: SecretStr | None = None
    secret_from: str | None = None  # e.g. "env CONDUCTOR_AUTH_SECRET"; never the secret itself

    def masked(self) -> dict[str, Any]:
        """Every field for display; the token only as "set (from ...)" or "not set"."""
        token = f"set (from {self.token_from})" if self.token is not None else "not set"
        return {
            "profile": self.profile, "base_url": self.base_url, "port": self.port,
            "client_id": self.client_id, "token": token, "namespace": self.namespace,
            "read_only": self.read_only, "theme": self.theme, "banner": self.banner,
            "timeout": self.timeout, "backend": self.backend, "key_id": self.key_id,
            "key_secret": (f"set (from {self.secret_from})" if self.key_secret is not None
                           else "not set"),
        }


def load_settings(
    profile: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> Settings:
    """Resolve settings: flags (``profile``, ``overrides``) > env > file profile > defaults.

    ``overrides`` are CLI flags keyed by field name (base_url, port, client_id, token, namespace,
    read_only, theme, banner, timeout); None values are ignored, so pass None for a flag the user
    did not give (e.g. ``--read-only`` absent must be None, not False).  Unknown keys are ignored.
    """
    env = os.environ if env is None else env
    path = config_path(env) if path is None else Path(path)
    flags = {k: v for k, v in (overrides or {}).items() if v is not None and k in _RULES}
    data = load_file(path)
    profiles = _profiles(data)

    source: dict[str, str] = {}
    name, via = None, ""
    if profile:
        name, source["profile"] = profile, "flag"
    elif env.get(PROFILE_ENV, "").strip():
        name, source["profile"], via = env[PROFILE_ENV].strip(), "env", f" (from {PROFILE_ENV})"
    elif data.get("default_profile"):
        name, source["profile"], via = data["default_profile"], "file", " (the default_profile)"
    else:
        source["profile"] = "default"
    if name is not None and name not in profiles:
        raise _unknown_profile(name, path, data, via)
    prof: dict[str, Any] = profiles.get(name, {}) if name is not None else {}

    values: dict[str, Any] = {}
    for key in ("base_url", "port", "client_id", "namespace", "read_only", "theme", "banner", "timeout",
                "backend", "key_id"):
        var = ENV_VARS.get(key)
        if key in flags:
            values[key], source[key] = _check(key, _digits(key, flags[key]), _flag(key)), "flag"
        elif var and env.get(var, "").strip():
            values[key], source[key] = _check(key, _digits(key, env[var].strip()), f"environment variable {var}"), "env"
        elif key in prof:
            values[key], source[key] = prof[key], "file"
        else:
            values[key], source[key] = DEFAULTS.get(key, False if key == "read_only" else None), "default"

    token, token_from = None, None
    token_env = prof.get("token_env")
    if flags.get("token"):
        token, token_from, source["token"] = _check("token", flags["token"], _flag("token")), "flag", "flag"
    elif env.get(TOKEN_ENV):
        token, token_from, source["token"] = env[TOKEN_ENV], f"env {TOKEN_ENV}", "env"
    elif token_env and env.get(token_env):
        token, token_from, source["token"] = env[token_env], f"env {token_env} (token_env of profile {name})", "env"
    elif prof.get("token"):
        token, token_from, source["token"] = prof["token"], f"file, profile {name}", "file"
    else:
        source["token"] = "default"

    secret, secret_from = None, None
    if env.get(SECRET_ENV):
        secret, secret_from = env[SECRET_ENV], f"env {SECRET_ENV}"
    elif prof.get("secret_env") and env.get(prof["secret_env"]):
        secret, secret_from = env[prof["secret_env"]], f"env {prof['secret_env']} (secret_env of profile {name})"
    elif prof.get("secret"):
        secret, secret_from = prof["secret"], f"file, profile {name}"
    values["backend"] = values["backend"] or "unmeshed"
    return Settings(
        key_secret=SecretStr(secret) if secret else None, secret_from=secret_from,
        profile=name, token=SecretStr(token) if token else None, read_only=bool(values.pop("read_only")),
        source=source, token_from=token_from, config_file=path, **values,
    )


# --- writing -----------------------------------------------------------------------------------

def _write(path: Path, data: Mapping[str, Any]) -> None:
    """Write atomically: a 0600 temp file (mkstemp uses os.open(..., 0o600)), renamed over ``path``."""
    target = path.resolve() if path.is_symlink() else path  # keep a symlinked dotfile a symlink
    body = tomli_w.dumps(dict(data)).encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml.tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot write it: {exc.strerror or exc}") from None
    try:
        os.chmod(target, 0o600)
    except (OSError, NotImplementedError):  # platforms or filesystems without POSIX modes
        pass


def save_profile(name: str, values: Mapping[str, Any], path: Path | None = None) -> Path:
    """Merge ``values`` into ``[profiles.name]`` (a None value removes that key); returns the path."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("a profile name must be a non-empty string")
    path = config_path() if path is None else Path(path)
    data = load_file(path)
    profiles = _profiles(data)
    merged = dict(profiles.get(name, {}))
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _check(key, value, f"cannot save profile {name!r}, key {key!r}") if key in _RULES else value
    profiles[name] = merged
    data["profiles"] = profiles
    _write(path, data)
    return path


def set_default_profile(name: str, path: Path | None = None) -> None:
    """Make ``name`` the ``default_profile``; ConfigError if no such profile exists."""
    path = config_path() if path is None else Path(path)
    data = load_file(path)
    if name not in _profiles(data):
        raise _unknown_profile(name, path, data)
    data["default_profile"] = name
    _write(path, data)


def set_profile_value(name: str, key: str, value: Any, path: Path | None = None) -> None:
    """Set one key of an existing profile (e.g. remember the theme); None removes the key."""
    path = config_path() if path is None else Path(path)
    data = load_file(path)
    if name not in _profiles(data):
        raise _unknown_profile(name, path, data)
    save_profile(name, {key: value}, path)


def set_top_level_value(key: str, value: Any, path: Path | None = None) -> None:
    """Set (None: remove) one key at the top of the file, outside any profile: e.g. the TUI
    remembers the theme there when no profile is active."""
    if key in ("profiles", "default_profile"):
        raise ConfigError(f"{key!r} is not a plain value; use the profile functions")
    path = config_path() if path is None else Path(path)
    data = load_file(path)
    if value is None:
        data.pop(key, None)
    else:
        data[key] = _check(key, value, f"cannot save {key!r}") if key in _RULES else value
    _write(path, data)


def insecure_permissions_warning(path: Path | None = None) -> str | None:
    """One line if the file is readable by group or others and holds a ``token``; else None."""
    path = config_path() if path is None else Path(path)
    if os.name == "nt":
        return None
    try:
        mode = path.stat().st_mode
        data = load_file(path)
    except (OSError, ConfigError):
        return None
    if not mode & 0o044:
        return None
    holders = [n for n, p in _profiles(data).items() if isinstance(p, dict) and p.get("token")]
    if not holders:
        return None
    return (f"warning: {path} holds a token (profile {', '.join(holders)}) and is readable by "
            f"group or others (mode {mode & 0o777:o}); run: chmod 600 {path}")
