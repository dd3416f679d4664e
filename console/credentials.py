"""Where ``meshdeck login`` keeps a token: the OS keyring when a usable one exists (the
``keyring`` library), else a separate credentials file written 0600 (as the official CLI keeps
``~/.unmeshed.ini``). Never config.toml: a profile only says which store holds its token
(``token_store = "keyring"`` or ``"file"``).

- The keyring entry is service ``meshdeck``, user ``profile:NAME``.
- The file is ``credentials.toml`` beside the config file (``MESHDECK_CREDENTIALS`` names another
  path), ``[NAME] token = "..."``, replaced atomically with mode 0600.
- ``MESHDECK_KEYRING=off`` skips the keyring (tests, or a keyring that prompts).

A token is never printed, logged or put in an error message.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

import tomlkit
from pydantic import SecretStr

from console.atomic_write import write_private
from console.profile import ConfigError

SERVICE = "meshdeck"
CREDENTIALS_ENV = "MESHDECK_CREDENTIALS"
KEYRING_ENV = "MESHDECK_KEYRING"
KEYRING, FILE = "keyring", "file"


def credentials_path(env: Mapping[str, str] | None = None) -> Path:
    from console.config_file import config_path

    env = os.environ if env is None else env
    override = env.get(CREDENTIALS_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return config_path(env).with_name("credentials.toml")


def _user(profile: str) -> str:
    return f"profile:{profile}"


def usable_keyring(env: Mapping[str, str] | None = None):
    """The keyring backend to use, or None (none usable, or ``MESHDECK_KEYRING=off``)."""
    env = os.environ if env is None else env
    if env.get(KEYRING_ENV, "").strip().lower() in ("off", "0", "no", "false"):
        return None
    try:
        import keyring
        from keyring.backends import fail

        ring = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring set-up means: use the file
        return None
    if isinstance(ring, fail.Keyring) or getattr(ring, "priority", 0) <= 0:
        return None
    return ring


def where(store: str | None, profile: str, env: Mapping[str, str] | None = None) -> str:
    """Where a profile's token is kept, in words (never the token)."""
    if store == KEYRING:
        return f"the OS keyring (service {SERVICE!r}, {_user(profile)!r})"
    return f"credentials file {credentials_path(env)}"


def _read_file(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"credentials file {path}: cannot read it ({type(exc).__name__})") from None


def _write_file(path: Path, data: dict) -> None:
    doc = tomlkit.document()
    doc.add(tomlkit.comment("meshdeck login tokens: keep this file private (mode 0600)."))
    for name, values in data.items():
        doc[name] = values
    try:
        write_private(path, tomlkit.dumps(doc).encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"credentials file {path}: cannot write it: {exc.strerror or exc}") from None


def save(profile: str, token: str, env: Mapping[str, str] | None = None) -> str:
    """Keep ``token`` for ``profile``; returns the store used (``keyring`` or ``file``)."""
    ring = usable_keyring(env)
    if ring is not None:
        try:
            ring.set_password(SERVICE, _user(profile), token)
            return KEYRING
        except Exception:  # noqa: BLE001 - a keyring that refuses: fall back to the file
            pass
    path = credentials_path(env)
    data = _read_file(path)
    data[profile] = {"token": token}
    _write_file(path, data)
    return FILE


def load(profile: str, store: str | None, env: Mapping[str, str] | None = None
         ) -> SecretStr | None:
    """The token kept for ``profile`` in ``store``; None when there is none."""
    if store == KEYRING:
        ring = usable_keyring(env)
        if ring is None:
            raise ConfigError(f"profile {profile!r} keeps its token in the OS keyring, but no "
                              "keyring is usable here: run meshdeck login again")
        try:
            value = ring.get_password(SERVICE, _user(profile))
        except Exception as exc:  # noqa: BLE001 - one line, never a trace
            raise ConfigError(f"cannot read the token of profile {profile!r} from the OS "
                              f"keyring ({type(exc).__name__})") from None
        return SecretStr(value) if value else None
    if store == FILE:
        value = _read_file(credentials_path(env)).get(profile, {}).get("token")
        return SecretStr(value) if isinstance(value, str) and value else None
    return None


def forget(profile: str, env: Mapping[str, str] | None = None) -> list[str]:
    """Remove ``profile``'s token from every store that has one; returns where it was."""
    removed = []
    ring = usable_keyring(env)
    if ring is not None:
        try:
            if ring.get_password(SERVICE, _user(profile)) is not None:
                ring.delete_password(SERVICE, _user(profile))
                removed.append(KEYRING)
        except Exception:  # noqa: BLE001 - nothing there, or a keyring that refuses
            pass
    path = credentials_path(env)
    data = _read_file(path)
    if profile in data:
        del data[profile]
        _write_file(path, data)
        removed.append(FILE)
    return removed
