"""A fault plan for the mock server: a misbehaving Unmeshed, on purpose and reproducibly.

    from console.mock.faults import FaultPlan
    plan = FaultPlan.parse("latency=200ms,jitter=100ms,error_rate=0.2,seed=3")
    app = create_app(faults=plan)        # or faults="latency=..." ; app.state.faults is the plan
    plan.enabled = False                 # switch every fault off (and on again) at run time

SPEC is a comma-separated list of ``key=value`` items and bare flags (README, "Fault injection"):

=====================  =========================================================================
``latency=200ms``      add this delay to every answer (``ms`` or ``s``; a bare number is ms)
``jitter=100ms``       plus a random 0..jitter delay
``error_rate=0.2``     this fraction of requests answer an error from ``errors`` *instead of* the
                       server (the request has no effect)
``errors=500|502|503`` the statuses ``error_rate`` and ``fail_first`` choose from (default these)
``fail_first=2``       the first N requests for each distinct method+URL answer an error (then a
                       retry of the same request gets through)
``unauthorized_after=50`` every request after the first N answers 401
``html_errors``        every error answer (injected or real) is an HTML page, not JSON
``truncate_rate=0.1``  this fraction of JSON answers is cut in half (the request took effect)
``reset_rate=0.05``    this fraction of requests take effect, then the connection drops mid-answer
``large_output=5mb``   single-object answers (and a list's first item) carry an output this big
``unknown_enums``      status, type, triggerType and processType take values no client knows
``extra_fields``       every JSON object gains fields no client knows
``null_objects``       input, output, steps, stepRecords, tags, details ... are null
``odd_types``          about half the rows get one field of a type no client expects: a time as
                       text, a version as a word, tags as an object instead of a list
``endless_search``     search ignores ``offset`` and pads each answer to ``limit`` rows: every
                       page is the first page again, full, forever
``after=N``            the first N requests pass untouched (failures "mid-way")
``only=POST|GET``      fault only these methods;  ``paths=bulk|search``: only paths containing one
``seed=3``             every random choice derives from it (default 0)
=====================  =========================================================================

Determinism: each request's choices come from ``Random(seed, method, path, query, k)`` where ``k``
counts earlier requests with the same method, path and query, so concurrency does not change
which request fails. ``plan.history`` records what was done to each request.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_ERRORS = (500, 502, 503)
FLAGS = ("html_errors", "unknown_enums", "extra_fields", "null_objects", "odd_types",
         "endless_search")
RATES = ("error_rate", "truncate_rate", "reset_rate")
COUNTS = ("fail_first", "unauthorized_after", "after", "seed")
KEYS = ("latency", "jitter", *RATES, "errors", *COUNTS, "large_output", "only", "paths", *FLAGS)

UNKNOWN_ENUMS = {"status": "QUARANTINED", "type": "QUANTUM_STEP", "triggerType": "CARRIER_PIGEON",
                 "processType": "EPHEMERAL"}
#: ``odd_types``: a row's field -> a value of a type no client expects (either dialect's names).
ODD_TYPES = {"created": "yesterday", "startTime": "yesterday", "version": "three",
             "workflowVersion": "three", "tags": {"env": "prod"}}
NULLED = ("input", "output", "state", "secretState", "authClaims", "steps", "stepRecords",
          "executionList", "tags", "details", "configuration", "metadata", "children",
          "defaultInput", "defaultOutput", "outputMapping")
REASONS = {401: "Unauthorized", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)?$")
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)(b|kb|mb)?$")
_SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024 * 1024}


class InjectedReset(httpx.ReadError):
    """The connection dropped mid-answer. In process the client sees it as a network read error;
    under uvicorn the connection closes after the headers, before the whole body."""


@dataclass
class FaultPlan:
    """What to break, how often, and from which seed. ``enabled`` switches it all at run time."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0
    errors: tuple[int, ...] = DEFAULT_ERRORS
    fail_first: int = 0
    unauthorized_after: int | None = None
    html_errors: bool = False
    truncate_rate: float = 0.0
    reset_rate: float = 0.0
    large_output: int = 0
    unknown_enums: bool = False
    extra_fields: bool = False
    null_objects: bool = False
    odd_types: bool = False
    endless_search: bool = False
    after: int = 0
    only: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    seed: int = 0
    spec: str = ""
    enabled: bool = True
    requests: int = 0
    history: list[tuple[str, str, str]] = field(default_factory=list, repr=False)
    _seen: dict[str, int] = field(default_factory=dict, repr=False)

    # ---- parsing ----------------------------------------------------------------------------

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """The plan a SPEC string describes; ValueError (one line) for anything it cannot read."""
        plan = cls(spec=spec.strip())
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            key, eq, value = (s.strip() for s in item.partition("="))
            key = key.lower().replace("-", "_")
            if key not in KEYS:
                raise ValueError(f"unknown fault {key!r} in {spec!r} (known: {', '.join(KEYS)})")
            if key in FLAGS:
                if eq and value.lower() not in ("1", "true", "yes", "on"):
                    raise ValueError(f"fault {key} is a flag: write it without a value")
                setattr(plan, key, True)
            elif not eq or not value:
                raise ValueError(f"fault {key} needs a value, like {key}={_EXAMPLES[key]}")
            else:
                _set(plan, key, value)
        return plan

    def describe(self) -> str:
        return self.spec or "no faults"

    # ---- per request ------------------------------------------------------------------------

    def applies_to(self, method: str, path: str) -> bool:
        if self.only and method not in self.only:
            return False
        return not self.paths or any(p in path for p in self.paths)

    def next_request(self, method: str, path: str, query: str) -> tuple[int, int, random.Random]:
        """Count this request; its number (1-based), its repeat index and its random source."""
        self.requests += 1
        key = f"{method} {path}?{query}"
        k = self._seen.get(key, 0)
        self._seen[key] = k + 1
        return self.requests, k, random.Random(f"{self.seed}|{key}|{k}")

    def seen(self, what: str | None = None, method: str | None = None) -> int:
        """How many requests got ``what`` (ok, error 503, reset, ...), optionally by method."""
        return sum(1 for m, _, w in self.history
                   if (what is None or w == what) and (method is None or m == method))


_EXAMPLES = {"latency": "200ms", "jitter": "100ms", "error_rate": "0.2", "truncate_rate": "0.1",
             "reset_rate": "0.05", "errors": "500|502|503", "fail_first": "2",
             "unauthorized_after": "50", "after": "10", "seed": "3", "large_output": "5mb",
             "only": "POST", "paths": "bulk|search"}


def _set(plan: FaultPlan, key: str, value: str) -> None:
    text = value.lower()
    if key in ("latency", "jitter"):
        match = _DURATION.match(text)
        if not match:
            raise ValueError(f"fault {key}={value!r}: expected a duration like 200ms or 1.5s")
        number = float(match.group(1)) * (1000 if match.group(2) == "s" else 1)
        setattr(plan, f"{key}_ms", number)
    elif key in RATES:
        try:
            rate = float(text)
        except ValueError:
            rate = -1.0
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"fault {key}={value!r}: expected a fraction from 0 to 1")
        setattr(plan, key, rate)
    elif key in COUNTS:
        if not text.isdigit():
            raise ValueError(f"fault {key}={value!r}: expected a whole number")
        setattr(plan, key, int(text))
    elif key == "errors":
        codes = [c.strip() for c in text.split("|")]
        if not codes or not all(c.isdigit() and 400 <= int(c) <= 599 for c in codes):
            raise ValueError(f"fault errors={value!r}: expected statuses like 500|502|503")
        plan.errors = tuple(int(c) for c in codes)
    elif key == "large_output":
        match = _SIZE.match(text)
        if not match:
            raise ValueError(f"fault large_output={value!r}: expected a size like 5mb or 512kb")
        plan.large_output = int(float(match.group(1)) * _SIZE_UNITS[match.group(2) or "b"])
    elif key == "only":
        plan.only = tuple(m.strip().upper() for m in value.split("|") if m.strip())
    else:  # paths
        plan.paths = tuple(p.strip() for p in value.split("|") if p.strip())


# ---- the middleware ---------------------------------------------------------------------------

class FaultMiddleware:
    """Pure ASGI middleware applying ``plan`` around the mock app (outermost, before auth)."""

    def __init__(self, app: ASGIApp, plan: FaultPlan) -> None:
        self.app = app
        self.plan = plan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = self.plan
        method, path = scope.get("method", ""), scope.get("path", "")
        if scope["type"] != "http" or not plan.enabled or not plan.applies_to(method, path):
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        n, k, rng = plan.next_request(method, path, query)
        # Draw every choice up front, always in the same order, so a plan is reproducible.
        delay = plan.latency_ms + rng.uniform(0, plan.jitter_ms)
        error_roll, reset_roll, truncate_roll = rng.random(), rng.random(), rng.random()
        status_pick = rng.choice(plan.errors or DEFAULT_ERRORS)
        shape = random.Random(rng.random())
        if n <= plan.after:
            plan.history.append((method, path, "ok"))
            await self.app(scope, receive, send)
            return
        if delay > 0:
            await asyncio.sleep(delay / 1000)
        if plan.unauthorized_after is not None and n > plan.unauthorized_after:
            await self._error(send, method, path, 401, "invalid client id or auth token")
            return
        if k < plan.fail_first or error_roll < plan.error_rate:
            await self._error(send, method, path, status_pick, "injected fault")
            return
        if plan.endless_search and path.endswith("/search"):
            scope = dict(scope, query_string=_without_offset(scope.get("query_string", b"")))
        await self._through(scope, receive, send, method, path,
                            reset=reset_roll < plan.reset_rate,
                            truncate=truncate_roll < plan.truncate_rate, shape=shape)

    async def _error(self, send: Send, method: str, path: str, status: int, why: str) -> None:
        self.plan.history.append((method, path, f"error {status}"))
        if self.plan.html_errors:
            body, ctype = html_page(status), b"text/html; charset=utf-8"
        else:
            body = json.dumps({"errorMessage": f"{why}: {status} {REASONS.get(status, '')}".strip()
                               }).encode()
            ctype = b"application/json"
        await _send_whole(send, status, [(b"content-type", ctype)], body)

    async def _through(self, scope: Scope, receive: Receive, send: Send, method: str, path: str,
                       *, reset: bool, truncate: bool, shape: random.Random) -> None:
        plan = self.plan
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Message) -> None:
            nonlocal passing
            if message["type"] == "http.response.start":
                start.update(message)
                ctype = _header(message, b"content-type")
                html = plan.html_errors and message["status"] >= 400
                passing = b"json" not in ctype and not html and not reset
                if passing:  # streams (ndjson) and text pass through untouched
                    await send(message)
            elif message["type"] == "http.response.body":
                if passing:
                    await send(message)
                else:
                    chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        if passing:
            plan.history.append((method, path, "ok"))
            return
        status = start.get("status", 500)
        headers = [(k, v) for k, v in start.get("headers", [])
                   if k.lower() not in (b"content-length", b"content-type")]
        ctype = _header(start, b"content-type") or b"application/json"
        body = b"".join(chunks)
        what = "ok"
        if status >= 400 and plan.html_errors:
            body, ctype, what = html_page(status), b"text/html; charset=utf-8", f"html {status}"
        elif status < 300 and b"json" in ctype:
            if plan.endless_search and path.endswith("/search"):
                body = _full_page(body, scope.get("query_string", b""))
            body = reshape(body, plan, shape)
            if truncate and len(body) > 1:
                body, what = body[: len(body) // 2], "truncated"
        headers.append((b"content-type", ctype))
        if reset:
            plan.history.append((method, path, "reset"))
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body[: len(body) // 3],
                        "more_body": True})
            raise InjectedReset("connection reset by the fault plan")
        plan.history.append((method, path, what))
        await _send_whole(send, status, headers, body)


async def _send_whole(send: Send, status: int, headers: list[tuple[bytes, bytes]],
                      body: bytes) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(message: Message, name: bytes) -> bytes:
    for key, value in message.get("headers", []):
        if key.lower() == name:
            return value
    return b""


def _without_offset(query: bytes) -> bytes:
    parts = [p for p in query.split(b"&") if p and not p.startswith(b"offset=")]
    return b"&".join(parts)


def _full_page(body: bytes, query: bytes) -> bytes:
    """A search answer padded to ``limit`` rows (repeating itself): there is always more."""
    from urllib.parse import parse_qs

    try:
        rows = json.loads(body)
        limit = int(parse_qs(query.decode("latin-1")).get("limit", ["10"])[0])
    except ValueError:
        return body
    if not isinstance(rows, list) or not rows or len(rows) >= limit:
        return body
    return json.dumps((rows * (limit // len(rows) + 1))[:limit]).encode()


def html_page(status: int) -> bytes:
    """The kind of page a proxy or load balancer answers with."""
    title = f"{status} {REASONS.get(status, 'Error')}"
    return (f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n<body>\n"
            f"<center><h1>{title}</h1></center>\n<hr><center>nginx</center>\n</body></html>\n"
            ).encode()


# ---- reshaping JSON answers -------------------------------------------------------------------

def reshape(body: bytes, plan: FaultPlan, rng: random.Random) -> bytes:
    """Apply the shape faults (enums, extra fields, nulls, a large output) to a JSON answer."""
    if not (plan.unknown_enums or plan.extra_fields or plan.null_objects or plan.odd_types
            or plan.large_output):
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if plan.large_output:
        target = data[0] if isinstance(data, list) and data else data
        if isinstance(target, dict):
            target["output"] = {"blob": _blob(plan.large_output, rng)}
    data = _walk(data, plan, rng)
    return json.dumps(data).encode()


def _walk(value: Any, plan: FaultPlan, rng: random.Random) -> Any:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        if plan.unknown_enums:
            for key, odd in UNKNOWN_ENUMS.items():
                if isinstance(node.get(key), str):
                    node[key] = odd
        if plan.null_objects:
            for key in NULLED:
                if key in node and not (plan.large_output and key == "output"
                                        and isinstance(node[key], dict) and "blob" in node[key]):
                    node[key] = None
        if plan.odd_types and ("processId" in node or "workflowId" in node) and "status" in node:
            odd = [key for key in ODD_TYPES if key in node]
            if odd and rng.random() < 0.5:
                key = rng.choice(odd)
                node[key] = ODD_TYPES[key]
        if plan.extra_fields:
            node["meshdeckFaultExtra"] = {"note": "a field no client knows",
                                          "n": rng.randint(0, 999), "list": [1, "two", None]}
            node["futureFlag"] = True
    return value


def _blob(size: int, rng: random.Random) -> str:
    line = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 ") for _ in range(79)) + "\n"
    return (line * (size // len(line) + 1))[:size]
