"""The HTTP plumbing both mock dialects share: reading requests, error answers, auth, faults.

A dialect (``console.mock.app`` for Unmeshed, ``console.mock.conductor_app`` for Conductor) brings
its routes (declared with ``Routes`` above each handler), the shape of its error body and the header
its auth checks; ``build_app`` puts them together the same way for both:

    routes = Routes()

    @routes.get("/api/process/context/{pid}")
    async def get_process(request): ...

    app = build_app(routes, error, dialect="unmeshed", store=MockStore(...),
                    require_auth=require_auth, auth=HeaderAuth(...) or None, faults=faults)

Handlers raise ``NotFound`` (404), ``BadRequest`` (400) or any exception a dialect maps to a status
(Conductor: ``Conflict``, 409); Starlette's own 404/405 keep their status. Each becomes the
dialect's error body, whose message for Starlette's errors names the method and path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from console.mock.store import BadRequest, MockStore, NotFound

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}
#: ``to_int``'s default when the value is required (missing or empty is a 400).
REQUIRED: Any = object()


class ErrorBody(Protocol):
    """A dialect's error answer: ``(status, message, path) -> Response``."""

    def __call__(self, status: int, message: str, path: str = "") -> Response: ...


# ---------------------------------------------------------------- reading a request
def store_of(request: Request) -> MockStore:
    return request.app.state.store


def to_int(value: str | None, name: str, default: Any = REQUIRED) -> Any:
    """``value`` as an int; a missing or empty value is ``default`` (unless REQUIRED); else 400."""
    if value in (None, "") and default is not REQUIRED:
        return default
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be an integer, got {value!r}") from None


def to_bool(value: str | None, name: str) -> bool:
    """``true``/``True``/``1``/``yes`` or ``false``/``0``/``no``/missing; anything else is a 400."""
    v = (value or "").strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise BadRequest(f"{name} must be true or false, got {value!r}")


async def read_json(request: Request, default: Any = None) -> Any:
    """The JSON body; ``default`` for an empty one; 400 when it is not JSON."""
    body = await request.body()
    if not body.strip():
        return default
    try:
        return json.loads(body)
    except ValueError:
        raise BadRequest("request body is not valid JSON") from None


# ---------------------------------------------------------------- routes
Handler = Callable[[Request], Any]


class Routes:
    """A dialect's routes, each declared above its handler (``@routes.get(path, ...)``).

    ``ordered()`` lists them most specific first: at the first path segment where two paths
    differ, a literal segment comes before a ``{parameter}``, so ``GET /api/workflow/search`` is
    never taken for ``GET /api/workflow/{wid}``, whatever order the handlers are written in.
    Routes equally specific keep the order they were declared in."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def _add(self, method: str, paths: tuple[str, ...]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._routes.extend(Route(path, handler, methods=[method]) for path in paths)
            return handler
        return register

    def get(self, *paths: str) -> Callable[[Handler], Handler]:
        return self._add("GET", paths)

    def post(self, *paths: str) -> Callable[[Handler], Handler]:
        return self._add("POST", paths)

    def put(self, *paths: str) -> Callable[[Handler], Handler]:
        return self._add("PUT", paths)

    def delete(self, *paths: str) -> Callable[[Handler], Handler]:
        return self._add("DELETE", paths)

    def include(self, other: Routes) -> None:
        """Add ``other``'s routes (a module that declares its own, e.g. ``console.mock.dev_routes``)."""
        self._routes.extend(other._routes)

    def merged(self, *others: Routes) -> Routes:
        """These routes and ``others``' as one set (a dialect whose routes span modules)."""
        out = Routes()
        out._routes = [route for group in (self, *others) for route in group._routes]
        return out

    def ordered(self) -> list[Route]:
        return sorted(self._routes, key=lambda r: [part.startswith("{") for part in r.path.split("/")])


# ---------------------------------------------------------------- errors
def error_handlers(error: ErrorBody, extra: dict[type[Exception], int] | None = None
                   ) -> dict[Any, Callable]:
    """Starlette exception handlers answering ``error``'s body for each known exception."""
    statuses: dict[type[Exception], int] = {NotFound: 404, BadRequest: 400, **(extra or {})}

    def handler(status: int) -> Callable:
        async def handle(request: Request, exc: Exception) -> Response:
            if isinstance(exc, HTTPException):
                return error(exc.status_code, f"{exc.detail}: {request.method} {request.url.path}",
                             request.url.path)
            return error(status, str(exc), request.url.path)
        return handle

    handlers: dict[Any, Callable] = {exc: handler(status) for exc, status in statuses.items()}
    handlers[HTTPException] = handler(400)
    return handlers


# ---------------------------------------------------------------- auth
@dataclass(frozen=True)
class HeaderAuth:
    """Which request header must carry which value, and how a dialect says no (401)."""

    header: str  #: e.g. ``Authorization``
    expected: str  #: the whole value the header must have
    invalid: str  #: the message when the header is there but wrong
    reject: Callable[[str], Response]  #: the dialect's 401 answer for a message
    open_paths: tuple[str, ...] = ()  #: paths that need no header (Conductor's token endpoint)


class AuthMiddleware:
    """Pure ASGI middleware: 401 unless the request carries ``auth.header`` = ``auth.expected``."""

    def __init__(self, app: ASGIApp, auth: HeaderAuth) -> None:
        self.app = app
        self.auth = auth
        self.header = auth.header.lower().encode()
        self.expected = auth.expected.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/") not in self.auth.open_paths:
            got = dict(scope.get("headers") or []).get(self.header)
            if got != self.expected:
                said = f"missing {self.auth.header} header" if got is None else self.auth.invalid
                await self.auth.reject(said)(scope, receive, send)
                return
        await self.app(scope, receive, send)


# ---------------------------------------------------------------- the app
def build_app(routes: Routes, error: ErrorBody, *, dialect: str, store: MockStore,
              require_auth: str | None, auth: HeaderAuth | None, faults: Any,
              errors: dict[type[Exception], int] | None = None) -> Starlette:
    """One mock server: ``routes`` over ``store``, behind ``auth`` (if any) and ``faults`` (if any).

    ``faults``: a SPEC string or a ``console.mock.faults.FaultPlan``; the plan is
    ``app.state.faults`` (None without one) and ``app.state.faults.enabled`` switches it. The
    fault middleware is outermost, so an injected fault happens before auth is checked."""
    app = Starlette(routes=routes.ordered(), exception_handlers=error_handlers(error, errors))
    app.state.store = store
    app.state.require_auth = require_auth
    app.state.dialect = dialect
    if auth is not None:
        app.add_middleware(AuthMiddleware, auth=auth)
    app.state.faults = None
    if faults:
        from console.mock.faults import FaultMiddleware, FaultPlan

        plan = FaultPlan.parse(faults) if isinstance(faults, str) else faults
        app.add_middleware(FaultMiddleware, plan=plan)  # added last: outermost
        app.state.faults = plan
    return app
