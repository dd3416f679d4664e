"""The config file: where it is, reading and checking it, and changing it with the user's
comments and key order kept.

It lives at ``platformdirs.user_config_path("meshdeck") / "config.toml"`` unless
``MESHDECK_CONFIG`` names another path. It is read with tomllib (whose errors name a line) and
changed with tomlkit, which edits the parsed document in place, so a user's comments, blank
lines and order survive. It is written atomically with mode 0600. Every problem is a one-line
``ConfigError`` naming the file and, where there is one, the profile and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

if TYPE_CHECKING:  # tomlkit is imported where the file is changed (reading needs only tomllib)
    from tomlkit.toml_document import TOMLDocument

from console.atomic_write import write_private
from console.profile import ConfigError, check_name, check_profile, check_value, kind

CONFIG_ENV = "MESHDECK_CONFIG"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the config file is: ``$MESHDECK_CONFIG`` if set, else the platform's config dir."""
    env = os.environ if env is None else env
    override = env.get(CONFIG_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path("meshdeck") / "config.toml"


# --- reading -----------------------------------------------------------------------------------

def _read(path: Path) -> str | None:
    """The file's text; None when it does not exist."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path}: not valid UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot read it: {exc.strerror or exc}") from None


def _parse(text: str, path: Path) -> dict:
    """The text parsed and checked: the top-level keys, each profile against ``Profile``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
        if found:
            message = f"line {found.group(1)}: {message[: found.start()]} (column {found.group(2)})"
        raise ConfigError(f"config file {path}, {message}") from None
    default = data.get("default_profile")
    if default is not None and not isinstance(default, str):
        raise ConfigError(f"config file {path}, key 'default_profile': expected a string, got {kind(default)}")
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"config file {path}, key 'profiles': expected a table, got {kind(profiles)}")
    for name, values in profiles.items():
        where = f"config file {path}, profile {name!r}"
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: expected a table [profiles.{name}], got {kind(values)}")
        check_profile(values, where)
    return data


def load_file(path: Path | None = None) -> dict:
    """The parsed, checked file as plain data; ``{}`` when it does not exist. Unknown keys are kept."""
    path = config_path() if path is None else Path(path)
    text = _read(path)
    return {} if text is None else _parse(text, path)


def profiles_of(data: Mapping[str, Any]) -> dict[str, dict]:
    """The ``[profiles.*]`` tables of parsed file data, by name, in file order."""
    return dict(data.get("profiles", {}))


def list_profiles(path: Path | None = None) -> tuple[list[str], str | None]:
    """Profile names in file order, and the ``default_profile`` (or None)."""
    data = load_file(path)
    return list(profiles_of(data)), data.get("default_profile")


def unknown_profile(name: str, path: Path, data: Mapping[str, Any], via: str = "") -> ConfigError:
    """The error for a profile that is not in the file, listing the ones that are."""
    known = ", ".join(profiles_of(data)) or ("none; the file does not exist" if not path.exists() else "none")
    return ConfigError(f"no profile named {name!r}{via} in {path} (known: {known})")


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
    holders = [n for n, p in profiles_of(data).items() if p.get("token")]
    if not holders:
        return None
    return (f"warning: {path} holds a token (profile {', '.join(holders)}) and is readable by "
            f"group or others (mode {mode & 0o777:o}); run: chmod 600 {path}")


# --- changing ----------------------------------------------------------------------------------

def _open(path: Path) -> tuple[dict, TOMLDocument]:
    """The file checked (plain data, for decisions) and as a tomlkit document (to edit)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    text = _read(path)
    if text is None:
        return {}, tomlkit.document()
    data = _parse(text, path)
    try:
        return data, tomlkit.parse(text)
    except TOMLKitError as exc:  # tomllib read it, so this is unlikely: still one line
        raise ConfigError(f"config file {path}: cannot edit it: {exc}") from None


def _save(path: Path, doc: TOMLDocument) -> None:
    import tomlkit

    try:
        write_private(path, tomlkit.dumps(doc).encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot write it: {exc.strerror or exc}") from None


def _set(table: Any, key: str, value: Any) -> None:
    """Set ``key`` in a tomlkit table or document; None removes it.

    A key already there changes in place (its comment stays). A new key goes right after the
    last key of its table: tomlkit would append it after the comments that lead into the next
    table, detaching them from it (python-poetry/tomlkit#295), hence its ``_insert_after``."""
    from tomlkit.container import Container
    from tomlkit.items import AoT, Comment, Table

    if value is None:
        if key in table:
            del table[key]
        return
    container = table if isinstance(table, Container) else table.value  # a document is one itself
    body = container.body
    plain = [i for i, (k, item) in enumerate(body) if k is not None and not isinstance(item, (Table, AoT))]
    if key in table or not plain or not any(isinstance(item, Comment) for _, item in body[plain[-1]:]):
        table[key] = value
    else:
        container._insert_after(body[plain[-1]][0], key, value)


def save_profile(name: str, values: Mapping[str, Any], path: Path | None = None) -> Path:
    """Merge ``values`` into ``[profiles.name]`` (a None value removes that key); returns the path.

    Each value is checked first: nothing is written if one is wrong."""
    check_name(name)
    for key, value in values.items():
        if value is not None:
            check_value(key, value, f"cannot save profile {name!r}, key {key!r}")
    path = config_path() if path is None else Path(path)
    _, doc = _open(path)
    if "profiles" not in doc:
        import tomlkit

        doc["profiles"] = tomlkit.table(is_super_table=True)  # written as [profiles.NAME] only
    profiles = doc["profiles"]
    if name in profiles:
        for key, value in values.items():
            _set(profiles[name], key, value)
    else:  # a dict takes the form of where it goes: a [profiles.NAME] table, or inline
        profiles[name] = {key: value for key, value in values.items() if value is not None}
    _save(path, doc)
    return path


def set_default_profile(name: str, path: Path | None = None) -> None:
    """Make ``name`` the ``default_profile``; ConfigError if no such profile exists."""
    path = config_path() if path is None else Path(path)
    data, doc = _open(path)
    if name not in profiles_of(data):
        raise unknown_profile(name, path, data)
    doc["default_profile"] = name
    _save(path, doc)


def set_profile_value(name: str, key: str, value: Any, path: Path | None = None) -> None:
    """Set one key of an existing profile (e.g. remember the theme); None removes the key."""
    path = config_path() if path is None else Path(path)
    data = load_file(path)
    if name not in profiles_of(data):
        raise unknown_profile(name, path, data)
    save_profile(name, {key: value}, path)


def delete_profile(name: str, path: Path | None = None) -> bool:
    """Remove ``[profiles.name]`` (and ``default_profile`` when it names it); ConfigError if no
    such profile. Returns whether it was the default."""
    path = config_path() if path is None else Path(path)
    data, doc = _open(path)
    if name not in profiles_of(data):
        raise unknown_profile(name, path, data)
    del doc["profiles"][name]
    was_default = data.get("default_profile") == name
    if was_default:
        del doc["default_profile"]
    _save(path, doc)
    return was_default


def set_top_level_value(key: str, value: Any, path: Path | None = None) -> None:
    """Set (None: remove) one key at the top of the file, outside any profile: e.g. the TUI
    remembers the theme there when no profile is active."""
    if key in ("profiles", "default_profile"):
        raise ConfigError(f"{key!r} is not a plain value; use the profile functions")
    if value is not None:
        check_value(key, value, f"cannot save {key!r}")
    path = config_path() if path is None else Path(path)
    _, doc = _open(path)
    _set(doc, key, value)
    _save(path, doc)
