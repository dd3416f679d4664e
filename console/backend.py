"""The small protocol the services, CLI and TUI use, and the one place a backend is opened.

The CLI and TUI only ever hold a ``Backend``; ``UnmeshedClient`` is one, and a second dialect
(Conductor) can be another without either of them changing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any, Protocol, runtime_checkable

from console.client import ProgressHook, RequestHook, UnmeshedClient
from console.models import ProcessData, ProcessDefinition, ProcessRequest, SearchQuery, StepData
from console.outcomes import BulkOutcome, Fetched

#: The bulk actions every backend names the same way.
BULK_ACTIONS = ("terminate", "resume", "review")
#: The backends a profile can name (``backend = "..."``, ``--backend``).
BACKENDS = ("unmeshed", "conductor")

# Capability info. A backend MAY carry these attributes; one that does not is read as Unmeshed:
#   kind: str                                  "unmeshed" | "conductor"
#   unsupported_actions: dict[str, str]        action -> why this backend cannot do it
#   action_applies_to: dict[str, frozenset]    action -> statuses it applies to
#   async def count(query) -> int | None       an exact match count, when the server has one
#: Why the Unmeshed API cannot do an action that another backend offers.
UNMESHED_UNSUPPORTED = {
    "pause": "Unmeshed has no pause: terminate stops an execution, resume carries on a stopped one",
    "restart": "Unmeshed has no restart: rerun starts the execution again as a new process",
}


def unsupported(backend: Any, action: str) -> str | None:
    """Why ``backend`` cannot do ``action`` (one line for a person), or None when it can."""
    reasons = getattr(backend, "unsupported_actions", None)
    if reasons is None:
        reasons = UNMESHED_UNSUPPORTED
    return reasons.get(action)


def backend_kind(backend: Any) -> str:
    return getattr(backend, "kind", "unmeshed")


@runtime_checkable
class Backend(Protocol):
    client_id: str

    async def aclose(self) -> None: ...
    async def run_sync(self, request: ProcessRequest, timeout: float | None = None
                       ) -> ProcessData: ...
    async def run_async(self, request: ProcessRequest) -> ProcessData: ...
    async def get_process(self, process_id: int | str, include_steps: bool = False
                          ) -> ProcessData: ...
    async def get_step(self, step_id: int | str) -> StepData: ...
    async def search(self, query: SearchQuery) -> list[ProcessData]: ...
    async def rerun(self, process_id: int | str, version: int | None = None) -> ProcessData: ...
    async def get_many(self, ids: Iterable[int | str], include_steps: bool = False
                       ) -> list[Fetched]: ...
    async def bulk_action(self, action: str, ids: Sequence[int | str], *,
                          reason: str | None = None, on_progress: ProgressHook | None = None,
                          outcome: BulkOutcome | None = None) -> BulkOutcome: ...
    async def call_api_mapping(self, endpoint: str, *, method: str = "GET", body: Any = None,
                               request_id: str | None = None, correlation_id: str | None = None,
                               call_type: str = "ASYNC") -> Any: ...
    def stream_api_mapping(self, endpoint: str, *, method: str = "GET", body: Any = None,
                           request_id: str | None = None, correlation_id: str | None = None
                           ) -> AsyncIterator[Any]: ...
    async def list_definitions(self) -> list[ProcessDefinition]: ...
    async def get_definition(self, namespace: str, name: str, version: int | None = None
                             ) -> ProcessDefinition: ...
    async def definition_versions(self, namespace: str, name: str) -> list[int]: ...
    async def namespaces(self) -> list[str]: ...


def mock_transport(seed: int = 7, executions: int = 5000,
                   clock: Callable[[], int] | None = None, dialect: str = "unmeshed"):
    """An in-process transport to the embedded mock server (no socket, no port)."""
    import httpx

    if dialect == "conductor":
        from console.mock.conductor_app import create_conductor_app as create_app
    else:
        from console.mock.app import create_app

    app = create_app(seed=seed, executions=executions, clock=clock)
    return httpx.ASGITransport(app=app), app


def open_backend(settings: Any, *, mock: bool = False, mock_app: Any = None,
                 on_request: RequestHook | None = None, verify: bool = True) -> Backend:
    """Open the backend ``settings`` describes (a ``console.config.Settings``).

    ``mock=True`` mounts the embedded mock in process; ``mock_app`` reuses a given mock app
    (tests hand one in to inspect its store afterwards; it must speak the backend's dialect).
    ``settings.backend == "conductor"`` opens a ``ConductorClient`` instead.
    """
    kind = getattr(settings, "backend", None) or "unmeshed"
    transport = None
    base_url, port = settings.base_url, settings.port
    if mock or mock_app is not None:
        import httpx

        if mock_app is None:
            transport, _ = mock_transport(dialect=kind)
        else:
            transport = httpx.ASGITransport(app=mock_app)
        base_url, port = ("http://mock/api" if kind == "conductor" else "http://mock"), None
    if kind == "conductor":
        from console.conductor.client import ConductorClient

        return ConductorClient(
            base_url, port, getattr(settings, "key_id", None), getattr(settings, "key_secret", None),
            timeout=settings.timeout, transport=transport, verify=verify, on_request=on_request)
    return UnmeshedClient(
        base_url, port, settings.client_id, settings.token,
        timeout=settings.timeout, transport=transport, verify=verify, on_request=on_request,
    )
