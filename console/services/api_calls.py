"""API mapping calls as data: the JSON body check, the call history, and "copy as curl / CLI".

Plain Python (no Textual) so the TUI's API screen stays thin and this can be tested alone.

History: one JSON file per profile, ``<data dir>/history/<profile>.json`` (``default.json``
without a profile), newest first, at most ``HISTORY_LIMIT`` calls; calling the same thing again
moves it to the top. The data dir is the caller's ``folder`` (the TUI passes its own, which is a
mock-only folder under ``--mock``), else ``console.services.data_folder.data_folder()``. Only what
the user typed is kept (endpoint, method, call type, ids, body) plus when and how it went: never a
token.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from console.atomic_write import write_private
from console.services.data_folder import data_folder
from console.services.journal import Journal, recording_start
HISTORY_LIMIT = 50
METHODS = ("POST", "GET")
CALL_TYPES = ("SYNC", "ASYNC", "STREAM")
#: The Authorization header of a copied curl line: computed by the shell from the environment,
#: so the token is never written into the clipboard or the terminal.
TOKEN_PLACEHOLDER = '$(printf %s "$UNMESHED_AUTH_TOKEN" | sha256sum | cut -d\' \' -f1)'


@dataclass(frozen=True)
class BodyError:
    """Where a JSON body is wrong: 1-based line and column, and what is wrong there."""

    message: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def parse_body(text: str) -> Any | BodyError:
    """The body as JSON (an empty body is ``{}``), or a ``BodyError`` pointing at the problem.

    A body must be a JSON object: the API mapping's input."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return BodyError(exc.msg, exc.lineno, exc.colno)
    if not isinstance(value, dict):
        return BodyError(f"the body must be a JSON object {{...}}, not {_kind(value)}", 1, 1)
    return value


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


@dataclass(frozen=True)
class CallSpec:
    """One API mapping call as the user set it up (and, once made, how it went)."""

    endpoint: str
    method: str = "POST"
    call_type: str = "SYNC"
    request_id: str = ""
    correlation_id: str = ""
    body: str = ""
    at_ms: int | None = None
    status: str = ""  # "200 · 43 ms", "404", "error: ..."

    def key(self) -> tuple:
        return (self.endpoint, self.method, self.call_type, self.request_id,
                self.correlation_id, _compact(self.body))

    def label(self) -> str:
        ids = " ".join(f"{k}={v}" for k, v in (("id", self.request_id),
                                              ("corr", self.correlation_id)) if v)
        return " ".join(p for p in (self.method, self.endpoint, self.call_type, ids) if p)

    @classmethod
    def from_dict(cls, data: Any) -> CallSpec | None:
        if not isinstance(data, dict) or not isinstance(data.get("endpoint"), str):
            return None
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        try:
            spec = cls(**values)
        except TypeError:
            return None
        if spec.method not in METHODS or spec.call_type not in CALL_TYPES:
            return None
        return spec


def clean_endpoint(text: str) -> str:
    """``/api/call/orders/submit/`` or ``orders/submit`` -> ``orders/submit``."""
    endpoint = text.strip().strip("/")
    return re.sub(r"^api/call/", "", endpoint)


def _compact(body: str) -> str:
    try:
        return json.dumps(json.loads(body), separators=(",", ":"), sort_keys=True) \
            if body.strip() else ""
    except ValueError:
        return body.strip()


# ---- history ---------------------------------------------------------------------------------

def history_key(profile: str | None, server: str | None = None) -> str:
    """Whose history: the profile, and the server it talks to, so calls made against the mock
    (or another server) are never offered for re-sending to production."""
    key = profile or "default"
    if server:
        key += "@" + hashlib.sha256(server.encode()).hexdigest()[:10]
    return key


def history_path(profile: str | None, folder: Path | None = None) -> Path:
    """The history file of ``profile`` in ``folder`` (default: the data folder)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile) if profile else "default"
    return (folder or data_folder()) / "history" / f"{safe}.json"


def load_history(profile: str | None, folder: Path | None = None) -> list[CallSpec]:
    """The saved calls, newest first; an unreadable or damaged file reads as no history."""
    try:
        data = json.loads(history_path(profile, folder).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    calls = [CallSpec.from_dict(item) for item in data] if isinstance(data, list) else []
    return [c for c in calls if c is not None][:HISTORY_LIMIT]


def add_to_history(history: list[CallSpec], call: CallSpec) -> list[CallSpec]:
    """``call`` first, the same call made earlier dropped, at most ``HISTORY_LIMIT``."""
    return [call, *(c for c in history if c.key() != call.key())][:HISTORY_LIMIT]


def save_history(profile: str | None, history: list[CallSpec], folder: Path | None = None) -> Path:
    """Write atomically (0600: bodies may hold customer data). OSError is the caller's to show."""
    path = history_path(profile, folder)
    text = json.dumps([asdict(c) for c in history[:HISTORY_LIMIT]], indent=1)
    write_private(path, text.encode("utf-8"))
    return path


def record(profile: str | None, call: CallSpec, folder: Path | None = None) -> list[CallSpec]:
    """Add ``call`` to the profile's saved history and return the new history."""
    history = add_to_history(load_history(profile, folder), call)
    save_history(profile, history, folder)
    return history


# ---- copy as ... ----------------------------------------------------------------------------

def _params(call: CallSpec) -> list[tuple[str, str]]:
    params = [("apiCallType", call.call_type)]
    if call.request_id:
        params.append(("id", call.request_id))
    if call.correlation_id:
        params.append(("correlationId", call.correlation_id))
    return params


def as_curl(call: CallSpec, base: str, client_id: str) -> str:
    """A curl command line for ``call``; the bearer is computed from ``$UNMESHED_AUTH_TOKEN``
    by the shell, so no token is ever part of the text."""
    from urllib.parse import urlencode

    url = f"{base.rstrip('/')}/api/call/{clean_endpoint(call.endpoint)}?{urlencode(_params(call))}"
    # Inside "...", a $(...) substitution has its own quoting, so the inner quotes are fine.
    who = client_id if re.fullmatch(r"[A-Za-z0-9_.@-]+", client_id or "") else "$UNMESHED_CLIENT_ID"
    bearer = f"Authorization: Bearer client.sdk.{who}.{TOKEN_PLACEHOLDER}"
    parts = ["curl", "-sS"]
    if call.call_type == "STREAM":
        parts.append("-N")
    parts += ["-X", call.method, shlex.quote(url), "-H", f'"{bearer}"']
    if call.method == "POST":
        parts += ["-H", shlex.quote("Content-Type: application/json"),
                  "-d", shlex.quote(_compact(call.body) or "{}")]
    return " ".join(parts)


def as_cli(call: CallSpec, profile: str | None = None) -> str:
    """The same call as a ``meshdeck call`` command line."""
    args = ["meshdeck"]
    if profile:
        args += ["--profile", profile]
    args += ["call", clean_endpoint(call.endpoint)]
    if call.method == "POST":
        args += ["--post", "--data", _compact(call.body) or "{}"]
    else:
        args.append("--get")
    args += ["--type", call.call_type]
    if call.request_id:
        args += ["--id", call.request_id]
    if call.correlation_id:
        args += ["--correlation-id", call.correlation_id]
    return shlex.join(args)


def process_id_in(answer: Any) -> str | None:
    """The process id an answer names (``processId`` at the top, or in a ``process`` object)."""
    if isinstance(answer, dict):
        for candidate in (answer, answer.get("process"), answer.get("data")):
            if isinstance(candidate, dict) and candidate.get("processId") not in (None, ""):
                return str(candidate["processId"])
    if isinstance(answer, list) and answer:
        return process_id_in(answer[-1])
    return None


def with_outcome(call: CallSpec, at_ms: int, status: str) -> CallSpec:
    return replace(call, at_ms=at_ms, status=status)


def server_base(settings: Any) -> str:
    """The server's base URL as a copied command line should name it (from the settings, not
    the in-process mock's)."""
    from console.backends.http import build_base

    return build_base(settings.base_url, settings.port)


async def send(backend: Any, endpoint: str, *, method: str, body: Any, call_type: str,
               request_id: str | None = None, correlation_id: str | None = None,
               on_item: Any = None, journal: Journal | None = None) -> Any:
    """Call an API mapping once (never resent). STREAM yields each item to ``on_item`` as it
    comes and answers with the list of them; the others answer with the server's JSON. The
    call is journaled (a call starts a process): the endpoint and the process it started,
    never the body."""
    target = f"{method} {clean_endpoint(endpoint)} ({call_type})"
    with recording_start(journal, backend.base, "call", target) as entry:
        if call_type == "STREAM":
            answer: Any = []
            async for item in backend.stream_api_mapping(endpoint, method=method, body=body,
                                                         request_id=request_id,
                                                         correlation_id=correlation_id):
                answer.append(item)
                if on_item is not None:
                    on_item(item, len(answer))
        else:
            answer = await backend.call_api_mapping(endpoint, method=method, body=body,
                                                    request_id=request_id,
                                                    correlation_id=correlation_id,
                                                    call_type=call_type)
        entry.add_started(process_id_in(answer))
    return answer
