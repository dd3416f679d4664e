"""The one HTTP transport every backend holds: pooled connections, retries, error mapping and
the never-resend rule.

- Idempotent requests (GETs, unless the caller says otherwise) are retried on connection errors
  and 502/503/504, with backoff.
- Anything else is sent once. A lost answer, or a gateway's 502/504, is ``OutcomeUnknown`` with
  how to check: the server may have acted. Only errors that prove the request never left
  (connection refused, pool timeout) are reported as plain ``Unreachable``.
- Status codes and bodies become typed errors (``console.backends.responses``).
- Headers (auth) belong to the backend that holds the transport; the transport never logs them.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any
from urllib.parse import urlparse

if "httpx" not in sys.modules:
    # httpx imports its own command-line tool (click, rich.progress, pygments) when imported:
    # ~40 ms of every meshdeck start. meshdeck never runs it; a None entry makes that import
    # fail, which httpx handles by installing a stub ``httpx.main``.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx  # noqa: E402
from pydantic import TypeAdapter  # noqa: E402

from console import errors  # noqa: E402
from console.backends.responses import first_line, parse_json, raise_for_status  # noqa: E402

RETRY_STATUSES = frozenset({502, 503, 504})
#: A gateway's "bad gateway" and "gateway timeout": the server behind it may have acted.
GATEWAY_GAVE_UP = frozenset({502, 504})
#: Transport errors that prove the request never left: a POST that met one was not sent.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
CHECK_HINT = ("check the executions' status before trying again, e.g. meshdeck get ID or "
              "meshdeck search --since 15m")

#: A hook told of each finished request: (method, url, status or None, milliseconds).
RequestHook = Callable[[str, str, int | None, float], None]


def build_base(base_url: str, port: int | None) -> str:
    """The SDK's rule: append the port unless the URL has one or is https."""
    base = base_url.rstrip("/")
    has_port = urlparse(base).port is not None
    if has_port or base.startswith("https:") or port is None:
        return base
    return f"{base}:{port}"


class HttpTransport:
    """One pooled ``httpx.AsyncClient`` to ``base`` with meshdeck's retry and resend rules."""

    def __init__(self, base: str, *, headers: Mapping[str, str] | None = None,
                 timeout: float = 10.0, transport: httpx.AsyncBaseTransport | None = None,
                 verify: bool = True, retries: int = 3, backoff: float = 0.25,
                 concurrency: int = 4, on_request: RequestHook | None = None) -> None:
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.on_request = on_request
        self._http = httpx.AsyncClient(
            base_url=self.base + "/",
            headers={"Accept": "application/json", **(headers or {})},
            timeout=httpx.Timeout(timeout),
            transport=transport,
            verify=verify,
            limits=httpx.Limits(max_connections=max(32, concurrency * 2),
                                max_keepalive_connections=max(16, concurrency)),
        )

    def __repr__(self) -> str:
        return f"HttpTransport(base={self.base!r})"

    @property
    def headers(self) -> httpx.Headers:
        """The headers sent with every request (a backend sets its auth header here)."""
        return self._http.headers

    async def aclose(self) -> None:
        await self._http.aclose()

    def url(self, path: str) -> str:
        return self.base + "/" + path

    async def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      json_body: Any = None, timeout: float | None = None,
                      idempotent: bool | None = None, files: Any = None) -> httpx.Response:
        """One request; raises a ``MeshdeckError`` subclass for anything but a 2xx/3xx answer.
        ``files``: a multipart body (httpx's ``files``) instead of JSON.

        Only an idempotent request (a GET, unless ``idempotent`` says otherwise) is retried; for
        any other, a lost answer or a gateway's 502/504 raises ``OutcomeUnknown``."""
        url = self.url(path)
        if idempotent is None:
            idempotent = method == "GET"
        attempts = 1 + (self.retries if idempotent else 0)
        for attempt in range(attempts):
            started = time.perf_counter()
            try:
                response = await self._http.request(
                    method, path, params=params, json=json_body, files=files,
                    timeout=httpx.Timeout(timeout) if timeout else httpx.USE_CLIENT_DEFAULT)
            except (httpx.TransportError, OSError) as exc:
                self._tell(method, url, None, started)
                if not idempotent and not isinstance(exc, _NOT_SENT):
                    raise errors.OutcomeUnknown(_lost(method, url, exc), url=url) from None
                if attempt + 1 < attempts:
                    await asyncio.sleep(self.backoff * 2**attempt)
                    continue
                if isinstance(exc, httpx.TimeoutException):
                    raise errors.Unreachable(f"timed out talking to {url}", url=url) from None
                raise errors.Unreachable(f"cannot reach {url} ({first_line(exc)})", url=url) from None
            self._tell(method, str(response.url), response.status_code, started)
            if response.status_code in RETRY_STATUSES and attempt + 1 < attempts:
                await asyncio.sleep(self.backoff * 2**attempt)
                continue
            if not idempotent and response.status_code in GATEWAY_GAVE_UP:
                said = errors.server_message(response.content)
                raise errors.OutcomeUnknown(
                    f"{method} {url} answered {response.status_code} from a gateway"
                    + (f" ({said})" if said else "") + "; the server behind it may still have "
                    f"acted, so it was not sent again ({CHECK_HINT})",
                    url=url, status=response.status_code)
            raise_for_status(method, url, response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    async def json(self, method: str, path: str, adapter: TypeAdapter | None = None,
                   **kwargs: Any) -> Any:
        """``request`` then the body as JSON (validated by ``adapter`` when given)."""
        return parse_json(await self.request(method, path, **kwargs), adapter)

    async def stream_lines(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                           json_body: Any = None) -> AsyncIterator[Any]:
        """Send once and yield each non-blank line of the answer as JSON, as it arrives."""
        url = self.url(path)
        request = self._http.build_request(method, path, params=params, json=json_body)
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

    def _tell(self, method: str, url: str, status: int | None, started: float) -> None:
        if self.on_request is not None:
            self.on_request(method, url, status, (time.perf_counter() - started) * 1000)


def _lost(method: str, url: str, exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return (f"no answer from {url} in time; the {method} may or may not have taken effect, "
                f"so it was not sent again ({CHECK_HINT})")
    return (f"the connection to {url} broke before the answer came ({first_line(exc)}); the "
            f"{method} may or may not have taken effect, so it was not sent again ({CHECK_HINT})")
