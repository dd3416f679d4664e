"""The ``Profile`` model: what each key of a ``[profiles.NAME]`` table may hold, and its default.

Checking is strict (TOML has types: ``port = "8080"`` is an error, not a port); a value given as
text by the environment or a flag is converted before it is checked. Keys the model does not know
are kept and ignored, so a newer meshdeck's config still loads. A problem is a ``ConfigError``:
one line naming where the value came from and what was expected, never a token or a secret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from console.backends.registry import NAMES as BACKENDS  # noqa: E402 - light: names only

BackendName = Literal[BACKENDS]  # type: ignore[valid-type]


class ConfigError(Exception):
    """A configuration problem, described in one line that never contains a token."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


class Profile(BaseModel):
    """One profile of the config file. Every field is optional; a missing one takes its default."""

    # defer_build: validated only when a config file has a profile (built then, not at start)
    model_config = ConfigDict(strict=True, extra="allow", frozen=True, use_attribute_docstrings=True,
                              defer_build=True)
    # json_schema_extra "expected": what an error says a field takes (when not "a string").

    base_url: str = Field("http://localhost", pattern=r"^(?i)https?://[^/\s]",
                          json_schema_extra={"expected": "a URL starting with http:// or https://"})
    """The server, scheme included: ``https://acme.unmeshed.io``."""
    port: int = Field(8080, ge=1, le=65535, json_schema_extra={"expected": "an integer 1..65535"})
    """The server's port."""
    client_id: str = ""
    """The client id the token belongs to (Unmeshed sends both in its Authorization header)."""
    token: SecretStr | None = None
    """The token itself. Discouraged: it sits in the file; prefer ``token_env``."""
    token_env: str | None = None
    """The environment variable that holds the token (``UNMESHED_AUTH_TOKEN`` still wins)."""
    namespace: str | None = None
    """The namespace searches use unless told otherwise."""
    read_only: bool = Field(False, json_schema_extra={"expected": "true or false"})
    """Refuse every change made through this profile (the keys that change things are hidden)."""
    theme: str | None = None
    """The TUI's theme; picking one in the TUI saves it here."""
    banner: str | None = None
    """Text shown in the TUI's header, e.g. ``PRODUCTION``."""
    timeout: float = Field(10.0, gt=0, json_schema_extra={"expected": "a number of seconds above 0"})
    """Seconds to wait for the server before giving up on a request."""
    backend: BackendName = Field("unmeshed", json_schema_extra={"expected": " or ".join(BACKENDS)})
    """The kind of server: ``unmeshed``, or ``conductor`` (Conductor OSS / Orkes)."""
    key_id: str | None = None
    """Orkes: the key id, exchanged with the key secret for a token."""
    secret: SecretStr | None = None
    """Orkes: the key secret itself. Discouraged: prefer ``secret_env``."""
    secret_env: str | None = None
    """Orkes: the environment variable that holds the key secret (``CONDUCTOR_AUTH_SECRET`` wins)."""
    data_dir: str | None = None
    """Where meshdeck keeps the API call history and the action journal for this profile
    (``MESHDECK_DATA_DIR`` wins; default: the platform's user data folder)."""
    token_store: Literal["keyring", "file"] | None = Field(
        None, json_schema_extra={"expected": "keyring or file"})
    """Where ``meshdeck login`` kept this profile's token: the OS keyring, or the credentials
    file beside this one (``console.credentials``). The token itself is never in this file."""
    insecure: bool = Field(False, json_schema_extra={"expected": "true or false"})
    """Do not check the server's TLS certificate (a test server you trust; warns each time)."""


#: What a profile may be called: a letter or digit, then letters, digits, ``_``, ``.``, ``-``.
PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


def check_name(name: Any) -> str:
    """``name`` if it may name a profile; else ConfigError saying what a name may hold."""
    if not isinstance(name, str) or not PROFILE_NAME.match(name):
        raise ConfigError(f"invalid profile name {name!r}: use up to 63 letters, digits, '_', '.' "
                          "or '-', starting with a letter or digit")
    return name


SECRET_KEYS = frozenset(k for k, f in Profile.model_fields.items() if f.annotation == SecretStr | None)


def kind(value: Any) -> str:
    """What a TOML value is, in words: "an integer", "a table"..."""
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "an array", dict: "a table"}.get(type(value), type(value).__name__)


def _problem(key: str, value: Any, where: str) -> ConfigError:
    extra = Profile.model_fields[key].json_schema_extra
    expected = extra.get("expected", "a string") if isinstance(extra, dict) else "a string"
    plain = key not in SECRET_KEYS and isinstance(value, (str, int, float))  # never echo a token
    return ConfigError(f"{where}: expected {expected}, got {repr(value) if plain else kind(value)}")


def check_profile(values: Mapping[str, Any], where: str) -> Profile:
    """``values`` as a Profile; else ConfigError("{where}, key 'k': expected ..., got ...") for
    the first wrong key in the order ``values`` lists them."""
    try:
        return Profile.model_validate(values)
    except ValidationError as exc:
        order = list(values)
        key = min((str(e["loc"][0]) for e in exc.errors()), key=order.index)
        raise _problem(key, values[key], f"{where}, key {key!r}") from None


def check_value(key: str, value: Any, where: str) -> Any:
    """One value of a profile, checked and typed (a token as SecretStr, a timeout as float);
    else ConfigError("{where}: expected ..., got ..."). A key the model does not know passes."""
    if key not in Profile.model_fields:
        return value
    try:
        return getattr(Profile.model_validate({key: value}), key)
    except ValidationError:
        raise _problem(key, value, where) from None
