"""``meshdeck serve-web``'s server: textual-serve behind an access token.

textual-serve (an aiohttp app) starts one child process per browser session, running the command
it is given; here that is ``python -m console tui ...`` with Textual's web driver. This module
adds what sharing a console that holds a profile's credentials needs:

- **An access token on every request** (page, static files, and the websocket whose opening
  starts a session): ``?token=...`` in the URL, or the cookie that the first page load with the
  right token sets (HttpOnly, SameSite=Strict, one name per port). The page builds its websocket
  URL as ``/ws?width=..&height=..``, dropping the page's query string, so the cookie is what
  carries the token from the page to the websocket. Without a valid token: 401, before any
  handler runs, so no session (child process) starts.
- **URLs built from the Host the browser used**, not from the bind address: ``0.0.0.0`` would be
  unreachable from another machine, and the cookie is sent to the same host only.
- **Nothing secret in the page**: its title is "meshdeck", not the command line; the
  orchestration API token stays in the child's environment, which the browser never receives.
  The URL's token never leaves in a Referer (``Referrer-Policy: no-referrer``) nor an access log
  (none is kept).
- **One line per log message, never a traceback** (textual-serve's default logging prints rich
  tracebacks with local variables, and a session's environment is one of them).

Only ``meshdeck serve-web`` imports this module: aiohttp and textual-serve are the ``web`` extra.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import shlex
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

log = logging.getLogger("textual-serve")

#: Headers on every answer: the token in the URL must not leak, the page must not be framed.
SAFE_HEADERS = {"Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
                "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
REFUSED = ("401: meshdeck serve-web needs its access token: open the URL with ?token=... that "
           "'meshdeck serve-web' printed when it started.\n")
#: A Host header that may be written into the page (host name, IPv4, [IPv6], optional port).
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
#: Seconds a shutdown waits for open sessions before cancelling them.
SHUTDOWN_TIMEOUT = 2.0


def _same(given: str | None, token: str) -> bool:
    """Whether ``given`` is the token (in constant time; any text, not only ASCII)."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def cookie_name(port: int) -> str:
    """The cookie carrying the token: one per port, since browsers share cookies across ports."""
    return f"meshdeck-web-{port}"


class TokenServer(Server):
    """textual-serve's server with the access token, request-relative URLs and quiet logging."""

    def __init__(self, command: Sequence[str], *, host: str, port: int, token: str) -> None:
        super().__init__(shlex.join(command), host=host, port=port, title="meshdeck")
        self.token = token
        self.cookie = cookie_name(port)
        self.sessions = 0  # open browser sessions (each one a child process)

    # ---- access ------------------------------------------------------------------------------

    @web.middleware
    async def require_token(self, request: web.Request,
                            handler: Callable[[web.Request], Any]) -> web.StreamResponse:
        """401 unless the request carries the token; sets the cookie on a page load by URL."""
        by_url = _same(request.query.get("token"), self.token)
        by_cookie = _same(request.cookies.get(self.cookie), self.token)
        if not (by_url or by_cookie):
            log.warning("refused %s %s from %s: no valid access token", request.method,
                        request.path, request.remote)
            return web.Response(status=401, text=REFUSED, headers=SAFE_HEADERS)
        if not _HOST.fullmatch(request.host):
            return web.Response(status=400, text="400: bad Host header\n", headers=SAFE_HEADERS)
        if request.path == "/ws":
            return await self._session(request, handler)
        response = await handler(request)
        if not response.prepared:
            response.headers.update(SAFE_HEADERS)
            if by_url and not by_cookie:
                response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict",
                                    path="/")
        return response

    async def _session(self, request: web.Request,
                       handler: Callable[[web.Request], Any]) -> web.StreamResponse:
        """A websocket: from a page of this server only (another site's page gets 403)."""
        origin = request.headers.get("Origin")
        if origin is not None and origin.split("://", 1)[-1] != request.host:
            log.warning("refused a session from %s: page of another origin (%s)", request.remote,
                        origin)
            return web.Response(status=403, text="403: not from this server's page\n")
        self.sessions += 1
        log.info("session opened from %s (%d open)", request.remote, self.sessions)
        try:
            return await handler(request)
        finally:
            self.sessions -= 1
            log.info("session closed from %s (%d open)", request.remote, self.sessions)

    # ---- the page ------------------------------------------------------------------------------

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """textual-serve's page, with its URLs on the host the browser used (checked above)."""
        base = f"{request.scheme}://{request.host}"
        websocket = f"{'wss' if request.scheme == 'https' else 'ws'}://{request.host}/ws"
        return {"font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": websocket,
                "config": {"static": {"url": f"{base}/static/"}},
                "application": {"name": self.title}}

    async def on_startup(self, app: web.Application) -> None:
        """Say nothing: ``serve`` reports the URL once the port is bound."""

    # ---- logging -----------------------------------------------------------------------------

    def initialize_logging(self) -> None:
        """One line per message on stderr, for textual-serve, aiohttp and asyncio alike."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(OneLine())
        for name in ("textual-serve", "aiohttp", "asyncio"):
            logger = logging.getLogger(name)
            logger.handlers[:] = [handler]
            logger.setLevel(logging.DEBUG if self.debug else logging.INFO)
            logger.propagate = False


class OneLine(logging.Formatter):
    """``meshdeck serve-web: <message>`` and nothing more: no traceback, no local variables."""

    def format(self, record: logging.LogRecord) -> str:
        text = " ".join(record.getMessage().split())
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            described = " ".join(str(error).split())
            if described not in text:
                text = f"{text}: {type(error).__name__}: {described}".strip(": ")
        return f"meshdeck serve-web: {text}"


# ---- running -----------------------------------------------------------------------------------

def serve(command: Sequence[str], *, host: str, port: int, token: str,
          on_ready: Callable[[int], None]) -> None:
    """Serve ``command`` (one child per browser session) on ``host:port`` until SIGINT/SIGTERM.

    ``port`` 0 picks a free port; ``on_ready(port)`` is called once the port is bound (so a URL
    printed there works at once). Raises OSError when the port cannot be bound.
    """
    asyncio.run(_serve(command, host=host, port=port, token=token, on_ready=on_ready))


async def _serve(command: Sequence[str], *, host: str, port: int, token: str,
                 on_ready: Callable[[int], None]) -> None:
    server = TokenServer(command, host=host, port=port, token=token)
    server.initialize_logging()
    app = await server._make_app()
    app.middlewares.append(server.require_token)
    runner = web.AppRunner(app, handle_signals=False, access_log=None,
                           shutdown_timeout=SHUTDOWN_TIMEOUT)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0][1] if runner.addresses else port
        server.cookie = cookie_name(bound)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
                pass
        on_ready(bound)
        await stop.wait()
    finally:
        await runner.cleanup()
