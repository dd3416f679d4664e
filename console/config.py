"""Profiles (TOML), environment variables and flags, resolved into one `Settings`, with where
each value came from.

Precedence for every field: flags > environment > config file profile > defaults.
The token: flag or ``UNMESHED_AUTH_TOKEN`` > the variable a profile names in
``token_env`` > the profile's own ``token`` (discouraged: it sits in the file).

What a profile may hold, and its defaults, is the ``Profile`` model (``console.profile``); the
file itself (where it is, reading it, changing it with comments kept) is ``console.config_file``.
Both are re-exported here: callers import from ``console.config``.
A token never appears in an error message, a repr or ``Settings.masked()``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from console.config_file import (
    CONFIG_ENV,
    config_path,
    delete_profile,
    insecure_permissions_warning,
    list_profiles,
    load_file,
    profiles_of,
    save_profile,
    set_default_profile,
    set_profile_value,
    set_top_level_value,
    unknown_profile,
)
from console.profile import BACKENDS, ConfigError, Profile, check_value

__all__ = [
    "BACKENDS", "CONFIG_ENV", "ENV_VARS", "PROFILE_ENV", "SECRET_ENV", "TOKEN_ENV", "ConfigError",
    "Profile", "Settings", "config_path", "delete_profile", "insecure_permissions_warning",
    "list_profiles",
    "load_file", "load_settings", "save_profile", "set_default_profile", "set_profile_value",
    "set_top_level_value",
]

# Setting -> environment variable (the token is handled separately).
ENV_VARS: dict[str, str] = {"base_url": "UNMESHED_BASE_URL", "port": "UNMESHED_PORT", "client_id": "UNMESHED_CLIENT_ID",
                            "backend": "MESHDECK_BACKEND", "key_id": "CONDUCTOR_AUTH_KEY"}
TOKEN_ENV = "UNMESHED_AUTH_TOKEN"
# Orkes Conductor: a key id and secret, exchanged for a token (the official client's variable names).
SECRET_ENV = "CONDUCTOR_AUTH_SECRET"
PROFILE_ENV = "MESHDECK_PROFILE"


def _digits(key: str, value: Any) -> Any:
    """A port from env (or a flag) arrives as text: "8080" -> 8080.  The file must hold an int."""
    return int(value) if key == "port" and isinstance(value, str) and value.isdigit() else value


# The settings resolved key by key (flag > env > file > default); token and secret have their own rules.
_RESOLVED = ("base_url", "port", "client_id", "namespace", "read_only", "theme", "banner", "timeout",
             "backend", "key_id", "data_dir", "insecure")


def _flag(key: str) -> str:
    return "flag --" + key.replace("_", "-")


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
    #: The profile's data folder; ``MESHDECK_DATA_DIR`` wins over it (``services.data_folder``).
    data_dir: str | None = None
    insecure: bool = False  # the TLS certificate is not checked (flag --insecure or the profile)
    profile_read_only: bool = False  # the profile says read_only = true (a flag may say so too)

    def read_only_causes(self) -> list[str]:
        """Why changes are refused, each with what would allow them (empty: they are not)."""
        causes = []
        if self.read_only and self.source.get("read_only") == "flag":
            causes.append("--read-only was given (leave it out to make changes)")
        if self.profile_read_only:
            causes.append(f"profile {self.profile!r} is read_only (use another profile, or "
                          f"allow changes: meshdeck config set-profile {self.profile} "
                          "--no-read-only)")
        return causes

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
            "data_dir": self.data_dir,
            "insecure": self.insecure,
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
    flags = {k: v for k, v in (overrides or {}).items() if v is not None and k in Profile.model_fields}
    data = load_file(path)
    profiles = profiles_of(data)

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
        raise unknown_profile(name, path, data, via)
    prof = Profile.model_validate(profiles[name] if name is not None else {})  # load_file checked it

    values: dict[str, Any] = {}
    for key in _RESOLVED:
        var = ENV_VARS.get(key)
        if key in flags:
            values[key], source[key] = check_value(key, _digits(key, flags[key]), _flag(key)), "flag"
        elif var and env.get(var, "").strip():
            values[key] = check_value(key, _digits(key, env[var].strip()), f"environment variable {var}")
            source[key] = "env"
        else:
            values[key] = getattr(prof, key)
            source[key] = "file" if key in prof.model_fields_set else "default"

    token: SecretStr | None = None
    token_from = None
    if flags.get("token"):
        token, token_from, source["token"] = check_value("token", flags["token"], _flag("token")), "flag", "flag"
    elif env.get(TOKEN_ENV):
        token, token_from, source["token"] = SecretStr(env[TOKEN_ENV]), f"env {TOKEN_ENV}", "env"
    elif prof.token_env and env.get(prof.token_env):
        token, source["token"] = SecretStr(env[prof.token_env]), "env"
        token_from = f"env {prof.token_env} (token_env of profile {name})"
    elif prof.token:
        token, token_from, source["token"] = prof.token, f"file, profile {name}", "file"
    elif prof.token_store and name is not None:
        from console import credentials

        token = credentials.load(name, prof.token_store, env)
        source["token"] = "login" if token is not None else "default"
        token_from = credentials.where(prof.token_store, name, env) if token is not None else None
    else:
        source["token"] = "default"

    secret: SecretStr | None = None
    secret_from = None
    if env.get(SECRET_ENV):
        secret, secret_from = SecretStr(env[SECRET_ENV]), f"env {SECRET_ENV}"
    elif prof.secret_env and env.get(prof.secret_env):
        secret = SecretStr(env[prof.secret_env])
        secret_from = f"env {prof.secret_env} (secret_env of profile {name})"
    elif prof.secret:
        secret, secret_from = prof.secret, f"file, profile {name}"
    return Settings(profile=name, token=token, token_from=token_from, key_secret=secret,
                    secret_from=secret_from, source=source, config_file=path,
                    profile_read_only=bool(prof.read_only), **values)
