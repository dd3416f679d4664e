"""The async HTTP client that speaks API.md, exactly as the official SDK does on the wire.

One ``httpx.AsyncClient`` per client (pooled connections). The raw token is hashed into the
SDK's bearer value at construction and then dropped: it never travels, and never appears in a
repr, a log line or an error. Idempotent GETs are retried on connection errors and 502/503/504;
a POST is never retried (it may have worked).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlparse

if "httpx" not in sys.modules:
    # httpx imports its own command-line tool (click, rich.progress, pygments) when imported:
    # ~40 ms of every meshdeck start. meshdeck never runs it; a None entry makes that import
    # fail, which httpx handles by installing a stub ``httpx.main``.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx  # noqa: E402
from pydantic import SecretStr, TypeAdapter

from console import errors
from console.outcomes import BulkOutcome, Fetched
from console.responses import adapter_for, first_line, parse_json, raise_for_status
from console.models import (
    ActionDetail,
    ActionResponse,
    ProcessData,
    ProcessDefinition,
    ProcessRequest,
    SearchQuery,
    StepData,
)

RETRY_STATUSES = frozenset({502, 503, 504})
#: A gateway's "bad gateway" and "gateway timeout": the server behind it may have acted.
GATEWAY_GAVE_UP = frozenset({502, 504})
#: Transport errors that prove the request never left: a POST that met one was not sent.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
CHECK_HINT = ("check the executions' status before trying again, e.g. meshdeck get ID or "
              "meshdeck search --since 15m")
RUN_SYNC_MARGIN_S = 5.0

_process_list = TypeAdapter(list[ProcessData])
_definition_list = TypeAdapter(list[ProcessDefinition])
_int_list = TypeAdapter(list[int])

#: A hook told of each finished request: (method, url, status or None, milliseconds).
RequestHook = Callable[[str, str, int | None, float], None]
#: A progress hook: (ids done so far, total ids).
ProgressHook = Callable[[int, int], None]


def bearer_for(client_id: str, token: str) -> str:
    """The Authorization header value the SDK sends: the token only travels as its SHA-256."""
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    return f"Bearer client.sdk.{client_id}.{digest}"


def build_base(base_url: str, port: int | None) -> str:
    """The SDK's rule: append the port unless the URL has one or is https."""
    base = base_url.rstrip("/")
    has_port = urlparse(base).port is not None
    if has_port or base.startswith("https:") or port is None:
        return base
    return f"{base}:{port}"


class UnmeshedClient:
    """Async client for one Unmeshed server (or the embedded mock through ``transport``)."""

    def __init__(
        self,
        base_url: str = "http://localhost",
        port: int | None = 8080,
        client_id: str = "",
        token: str | SecretStr | None = None,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool = True,
        retries: int = 3,
        backoff: float = 0.25,
        chunk_size: int = 500,
        concurrency: int = 4,
        on_request: RequestHook | None = None,
    ) -> None:
        raw = token.get_secret_value() if isinstance(token, SecretStr) else (token or "")
        self.base = build_base(base_url, port)
        self.client_id = client_id
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.chunk_size = max(1, chunk_size)
        self.concurrency = max(1, concurrency)
        self.on_request = on_request
        headers = {"Authorization": bearer_for(client_id, raw), "Accept": "application/json"}
        del raw
        self._http = httpx.AsyncClient(
            base_url=self.base + "/",
            headers=headers,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            verify=verify,
            limits=httpx.Limits(max_connections=max(32, concurrency * 2),
                                max_keepalive_connections=max(16, concurrency)),
        )

    def __repr__(self) -> str:
        return f"UnmeshedClient(base={self.base!r}, client_id={self.client_id!r})"

    async def __aenter__(self) -> UnmeshedClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ---- transport -------------------------------------------------------------------------

    async def _request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                       json_body: Any = None, timeout: float | None = None,
                       idempotent: bool | None = None) -> httpx.Response:
        """One request. Only an idempotent one (a GET, unless the caller says otherwise) is
        retried; for any other, a lost answer or a gateway's 502/504 is OutcomeUnknown."""
        url = self.base + "/" + path
        if idempotent is None:
            idempotent = method == "GET"
        attempts = 1 + (self.retries if idempotent else 0)
        for attempt in range(attempts):
            started = time.perf_counter()
            try:
                response = await self._http.request(
                    method, path, params=params, json=json_body,
                    timeout=httpx.Timeout(timeout) if timeout else httpx.USE_CLIENT_DEFAULT,
                )
            except httpx.TimeoutException as exc:
                self._tell(method, url, None, started)
                if not idempotent and not isinstance(exc, _NOT_SENT):
                    raise errors.OutcomeUnknown(
                        f"no answer from {url} in time; the {method} may or may not have taken "
                        f"effect, so it was not sent again ({CHECK_HINT})", url=url) from None
                if attempt + 1 < attempts:
                    await asyncio.sleep(self.backoff * 2**attempt)
                    continue
                raise errors.Unreachable(f"timed out talking to {url}", url=url) from None
            except (httpx.TransportError, OSError) as exc:
                self._tell(method, url, None, started)
                if not idempotent and not isinstance(exc, _NOT_SENT):
                    # The request may have reached the server before the connection broke.
                    raise errors.OutcomeUnknown(
                        f"the connection to {url} broke before the answer came ({first_line(exc)}); "
                        f"the {method} may or may not have taken effect, so it was not sent "
                        f"again ({CHECK_HINT})", url=url) from None
                if attempt + 1 < attempts:
                    await asyncio.sleep(self.backoff * 2**attempt)
                    continue
                raise errors.Unreachable(f"cannot reach {url} ({first_line(exc)})", url=url) from None
            self._tell(method, str(response.url), response.status_code, started)
            if response.status_code in RETRY_STATUSES and attempt + 1 < attempts:
                await asyncio.sleep(self.backoff * 2**attempt)
                continue
            if not idempotent and response.status_code in GATEWAY_GAVE_UP:
                said = errors.server_message(response.content)
                raise errors.OutcomeUnknown(
                    f"{method} {url} answered {response.status_code} from a gateway"
                    + (f" ({said})" if said else "") + f"; the server behind it may still have "
                    f"acted, so it was not sent again ({CHECK_HINT})",
                    url=url, status=response.status_code)
            raise_for_status(method, url, response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _tell(self, method: str, url: str, status: int | None, started: float) -> None:
        if self.on_request is not None:
            self.on_request(method, url, status, (time.perf_counter() - started) * 1000)

    async def _json(self, method: str, path: str, adapter: TypeAdapter | None = None,
                    **kwargs: Any) -> Any:
        response = await self._request(method, path, **kwargs)
        return parse_json(response, adapter)

    # ---- processes -------------------------------------------------------------------------

    async def run_sync(self, request: ProcessRequest, timeout: float | None = None) -> ProcessData:
        params: dict[str, Any] = {"clientId": self.client_id}
        if timeout is not None:
            params["timeout"] = int(timeout)
        read = (timeout or self.timeout) + RUN_SYNC_MARGIN_S
        return await self._json("POST", "api/process/runSync", adapter_for(ProcessData), params=params,
                                json_body=request.to_wire(), timeout=read)

    async def run_async(self, request: ProcessRequest) -> ProcessData:
        return await self._json("POST", "api/process/runAsync", adapter_for(ProcessData),
                                params={"clientId": self.client_id}, json_body=request.to_wire())

    async def get_process(self, process_id: int | str, include_steps: bool = False) -> ProcessData:
        path = f"api/process/context/{_id(process_id)}"
        return await self._json("GET", path, adapter_for(ProcessData),
                                params={"includeSteps": str(include_steps).lower()})

    async def get_step(self, step_id: int | str) -> StepData:
        return await self._json("GET", f"api/process/stepContext/{_id(step_id)}", adapter_for(StepData))

    async def search(self, query: SearchQuery) -> list[ProcessData]:
        return await self._json("GET", "api/stats/process/search", _process_list,
                                params=query.to_params())

    async def rerun(self, process_id: int | str, version: int | None = None) -> ProcessData:
        params: dict[str, Any] = {"clientId": self.client_id, "processId": _id(process_id)}
        if version is not None:
            params["version"] = version
        return await self._json("POST", "api/process/rerun", adapter_for(ProcessData), params=params)

    async def get_many(self, ids: Iterable[int | str], include_steps: bool = False
                       ) -> list[Fetched]:
        """Fetch many processes at once (at most ``concurrency`` in flight), in input order."""
        gate = asyncio.Semaphore(self.concurrency)

        async def one(pid: str) -> Fetched:
            async with gate:
                try:
                    return Fetched(pid, await self.get_process(pid, include_steps))
                except errors.MeshdeckError as exc:
                    return Fetched(pid, error=exc)

        return list(await asyncio.gather(*(one(str(i)) for i in ids)))

    # ---- bulk actions ----------------------------------------------------------------------

    async def bulk_action(self, action: str, ids: Sequence[int | str], *, reason: str | None = None,
                          on_progress: ProgressHook | None = None,
                          outcome: BulkOutcome | None = None) -> BulkOutcome:
        """Send ``terminate``, ``resume`` or ``review`` for ``ids`` in chunks; never retried.

        Pass ``outcome`` to keep the partial results if the caller is interrupted: it is filled
        in chunk by chunk. A failed chunk stops the run; the rest stay in ``not_sent``.
        """
        path, params = self._bulk_route(action, reason)
        outcome = outcome or BulkOutcome.start(action, ids)
        total = len(outcome.ids)
        unreported: list[str] = []  # answered, but the answer said nothing about these ids
        for start in range(0, total, self.chunk_size):
            chunk = outcome.ids[start:start + self.chunk_size]
            outcome.unknown = unreported + chunk
            outcome.not_sent = outcome.ids[start + len(chunk):]
            try:
                body = [_wire_id(i) for i in chunk]
                answer = await self._json("POST", path, adapter_for(ActionResponse), params=params,
                                          json_body=body)
            except errors.OutcomeUnknown as exc:
                outcome.stopped_by = str(exc)
                return outcome
            except errors.MeshdeckError as exc:
                if isinstance(exc, errors.BadResponse) and 200 <= (exc.status or 0) < 300:
                    # A 2xx we cannot read: the server took the chunk; what it did is unknown.
                    outcome.stopped_by = (f"{exc}; the server accepted the request, so these ids "
                                          f"may or may not have changed ({CHECK_HINT})")
                    return outcome
                outcome.unknown = list(unreported)
                for pid in chunk:
                    outcome.details[pid] = ActionDetail(id=pid, error=str(exc))
                outcome.not_sent = outcome.ids[start + len(chunk):]
                outcome.stopped_by = str(exc)
                return outcome
            unreported.extend(_merge(outcome, chunk, answer))
            outcome.unknown = list(unreported)
            if on_progress is not None:
                on_progress(start + len(chunk), total)
        outcome.not_sent = []
        return outcome

    def _bulk_route(self, action: str, reason: str | None) -> tuple[str, dict[str, Any]]:
        if action == "terminate":
            params = {"reason": reason} if reason else {}
            return "api/process/bulkTerminate", params
        if action == "resume":
            return "api/process/bulkResume", {"clientId": self.client_id}
        if action == "review":
            params = {"clientId": self.client_id}
            if reason:
                params["reason"] = reason
            return "api/process/bulkReviewed", params
        raise ValueError(f"unknown bulk action {action!r}")

    # ---- API mappings ----------------------------------------------------------------------

    def _call_params(self, request_id: str | None, correlation_id: str | None,
                     call_type: str) -> dict[str, Any]:
        params: dict[str, Any] = {"apiCallType": call_type}
        if request_id:
            params["id"] = request_id
        if correlation_id:
            params["correlationId"] = correlation_id
        return params

    async def call_api_mapping(self, endpoint: str, *, method: str = "GET", body: Any = None,
                               request_id: str | None = None, correlation_id: str | None = None,
                               call_type: str = "ASYNC") -> Any:
        params = self._call_params(request_id, correlation_id, call_type)
        json_body = (body if body is not None else {}) if method == "POST" else None
        # Even a GET to an API mapping starts a process: never retried.
        return await self._json(method, _call_path(endpoint), params=params,
                                json_body=json_body, idempotent=False)

    async def stream_api_mapping(self, endpoint: str, *, method: str = "GET", body: Any = None,
                                 request_id: str | None = None,
                                 correlation_id: str | None = None) -> AsyncIterator[Any]:
        """A STREAM call: yields each JSON line as it arrives (steps, then the process)."""
        params = self._call_params(request_id, correlation_id, "STREAM")
        path = _call_path(endpoint)
        url = self.base + "/" + path
        request = self._http.build_request(
            method, path, params=params,
            json=(body if body is not None else {}) if method == "POST" else None)
        try:
            response = await self._http.send(request, stream=True)
        except (httpx.TransportError, OSError) as exc:
            raise errors.Unreachable(f"cannot reach {url} ({first_line(exc)})", url=url) from None
        try:
            if response.status_code >= 400:
                await response.aread()
                raise_for_status(method, url, response)
            async for line in response.aiter_lines():
                if line.strip():
                    try:
                        yield json.loads(line)
                    except ValueError:
                        raise errors.BadResponse(f"{url} sent a line that is not JSON",
                                                 url=url, server_message=line[:200]) from None
        except httpx.TransportError as exc:
            raise errors.Unreachable(f"the stream from {url} broke ({first_line(exc)})",
                                     url=url) from None
        finally:
            await response.aclose()

    # ---- definitions -----------------------------------------------------------------------

    async def list_definitions(self) -> list[ProcessDefinition]:
        return await self._json("GET", "api/processDefinitions", _definition_list)

    async def get_definition(self, namespace: str, name: str,
                             version: int | None = None) -> ProcessDefinition:
        params = {"version": version} if version is not None else None
        return await self._json("GET", f"api/processDefinitions/{_seg(namespace)}/{_seg(name)}",
                                adapter_for(ProcessDefinition), params=params)

    async def definition_versions(self, namespace: str, name: str) -> list[int]:
        return await self._json("GET",
                                f"api/processDefinitions/{_seg(namespace)}/{_seg(name)}/versions",
                                _int_list)

    async def namespaces(self) -> list[str]:
        data = await self._json("GET", "api/namespaces")
        names = []
        for item in data if isinstance(data, list) else []:
            name = item.get("name") if isinstance(item, dict) else item
            if name:
                names.append(str(name))
        return names


# ---- helpers ---------------------------------------------------------------------------------

def _id(value: int | str) -> str:
    """Ids go into a URL path: refuse anything that is not plain text without a slash."""
    text = str(value).strip()
    if not text or "/" in text or "?" in text or "#" in text:
        raise errors.BadRequest(f"not a valid id: {value!r}")
    return text


def _seg(value: str) -> str:
    """One path segment, escaped: a name with '?' or '/' cannot change the request's path."""
    return quote(str(value), safe="")


def _call_path(endpoint: str) -> str:
    """``api/call/{endpoint}``; an endpoint may have several segments, none of them '.' or '..'."""
    parts = [p for p in endpoint.strip().strip("/").split("/")]
    if not parts or any(p in ("", ".", "..") for p in parts):
        raise errors.BadRequest(f"not a valid API mapping endpoint: {endpoint!r}")
    return "api/call/" + "/".join(_seg(p) for p in parts)


def _wire_id(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _merge(outcome: BulkOutcome, chunk: list[str], answer: ActionResponse) -> list[str]:
    """Record the server's word per id; return the ids it said nothing about (outcome unknown:
    it took the request, so they may have changed)."""
    by_id = {str(d.id): d for d in answer.details or [] if d.id is not None}
    missing = []
    for pid in chunk:
        detail = by_id.get(pid)
        if detail is None:
            missing.append(pid)
        else:
            outcome.details[pid] = detail
    return missing
