"""The backend contract: what the services, the CLI and the TUI may ask of a server.

A backend is an abstract ``Backend``: the abstract methods are what every backend must answer;
the optional features are plain methods that raise ``Unsupported`` by default, each with a
class-level flag saying whether the backend implements it (harlequin's adapter contract is the
model). Callers read the flags, never ``getattr``. Ids are text everywhere above the backend
(``ProcessId``); a backend turns them into its wire form.

Every method raises a ``console.errors.MeshdeckError`` subclass on failure, one line for a
person: ``NotFound``, ``Unauthorized``, ``BadRequest``, ``ServerError``, ``Unreachable``,
``BadResponse`` (a 2xx that is not what the contract promises), ``OutcomeUnknown`` (a
non-idempotent request whose answer never came: never resent).
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any, ClassVar

from console import errors
from console.backends.http import HttpTransport
from console.models import ActionDetail, ProcessData, ProcessDefinition, ProcessRequest, StepData
from console.models import ProcessSummary, SearchQuery
from console.outcomes import Fetched
from console.backends.optional import OptionalFeatures, ProcessId, Unsupported

class Backend(OptionalFeatures, ABC):
    """One orchestration server. Subclasses hold an ``HttpTransport``; none inherits another."""

    #: The registry name of this kind of backend (``console.backends.registry``).
    KIND: ClassVar[str]
    #: Process statuses this server uses, in the order the status facets show them.
    STATUSES: ClassVar[tuple[str, ...]]
    #: The actions this backend offers -> the statuses each applies to (None: any status).
    #: Names are ``console.services.action_specs.ACTIONS`` keys.
    ACTIONS: ClassVar[Mapping[str, frozenset[str] | None]]
    #: Why an action meshdeck knows (or an option of one, ``rerun --version``) is not offered
    #: here (one line, with what to do instead).
    UNSUPPORTED: ClassVar[Mapping[str, str]] = {}
    #: Search filters this backend cannot honour -> why (``SearchQuery`` field names).
    UNSUPPORTED_FILTERS: ClassVar[Mapping[str, str]] = {}
    #: What a refused search should use instead (ends the refusal's line).
    FILTERS_HINT: ClassVar[str] = ""
    #: True when ``STATUSES`` (with ``STATUS_ALIASES``) is every status this server can have, so a
    #: search for another one is refused; False for an open set (a newer server may know more).
    CLOSED_STATUSES: ClassVar[bool] = False
    #: meshdeck status words this backend searches under another of its own (Conductor's
    #: TERMINATED stands for CANCELLED).
    STATUS_ALIASES: ClassVar[Mapping[str, str]] = {}
    #: The trigger types and process types a search may filter by (a typed value is checked
    #: against them before anything is sent). Empty: no such filter here (see
    #: ``UNSUPPORTED_FILTERS``).
    TRIGGERS: ClassVar[tuple[str, ...]] = ()
    PROCESS_TYPES: ClassVar[tuple[str, ...]] = ()
    #: ``count()`` gives an exact number of matches.
    IMPLEMENTS_COUNT: ClassVar[bool] = False
    #: ``call_api_mapping()`` and ``stream_api_mapping()`` work.
    IMPLEMENTS_API_MAPPINGS: ClassVar[bool] = False
    #: ``rerun()`` accepts a definition ``version``.
    IMPLEMENTS_RERUN_VERSION: ClassVar[bool] = False
    #: The settings fields (id, secret) this kind of server authenticates with; the secret is a
    #: ``SecretStr`` or None and is never shown.
    CREDENTIALS: ClassVar[tuple[str, str]]
    #: ``create_definition``, ``update_definition`` and ``delete_definition`` work.
    IMPLEMENTS_DEFINITION_WRITES: ClassVar[bool] = False
    #: ``upsert_definitions`` writes many definitions in one request.
    IMPLEMENTS_DEFINITION_BULK_UPSERT: ClassVar[bool] = False
    #: ``upsert_schedules`` works.
    IMPLEMENTS_SCHEDULES: ClassVar[bool] = False
    #: ``resume_with_version`` works (resume an execution on another definition version).
    IMPLEMENTS_RESUME_WITH_VERSION: ClassVar[bool] = False
    #: The file store (``list_files``, ``upload_file``, ``create_folder``, ``download_file``,
    #: ``delete_file``) works.
    IMPLEMENTS_FILES: ClassVar[bool] = False
    #: ``skip_step()`` works: a step that has not started in a running execution is skipped.
    IMPLEMENTS_SKIP_STEP: ClassVar[bool] = False
    #: ``rerun_from_step()`` works: a finished execution runs again from one of its steps.
    IMPLEMENTS_RERUN_FROM_STEP: ClassVar[bool] = False
    #: ``correlated()`` works: the executions of a definition that share a correlation id.
    IMPLEMENTS_CORRELATED: ClassVar[bool] = False
    #: ``running_ids()`` works: the ids of a definition's unfinished executions.
    IMPLEMENTS_RUNNING_IDS: ClassVar[bool] = False
    #: ``search_by_ids()`` works: the search filters by process ids, so the statuses of many
    #: ids come a chunk per request instead of one GET per id.
    IMPLEMENTS_SEARCH_BY_IDS: ClassVar[bool] = False
    #: Ids per ``search_by_ids`` request. They travel in the URL, which servers commonly cap at
    #: about 8 KB: a backend sets it from its ids' length.
    IDS_PER_SEARCH: ClassVar[int] = 100
    #: ``child_of(step)`` names the process a SUB_PROCESS step started.
    IMPLEMENTS_CHILD_LINK: ClassVar[bool] = False
    #: ``parent_of(process)`` names the process that started this one as a sub-process.
    IMPLEMENTS_PARENT_LINK: ClassVar[bool] = False
    #: What a person calls a namespace on this server (shown as a column and a filter label).
    NAMESPACE_LABEL: ClassVar[str] = "namespace"

    #: Ids sent per bulk request, and requests in flight for a multi-get.
    chunk_size: int = 500
    concurrency: int = 4
    #: The one transport this backend holds (set by the subclass's constructor).
    http: HttpTransport

    @classmethod
    def from_settings(cls, settings: Any, *, base_url: str | None = None,
                      port: int | None = None, **transport: Any) -> Backend:
        """A client for ``settings`` (a ``console.config.Settings``); ``base_url``/``port``
        replace the settings' (the embedded mock); ``transport`` holds the HttpTransport's
        keyword arguments (``transport``, ``verify``, ``on_request``)."""
        who, secret = (getattr(settings, name) for name in cls.CREDENTIALS)
        return cls(base_url or settings.base_url,  # type: ignore[call-arg]
                   port if base_url else settings.port, who, secret,
                   timeout=settings.timeout, **transport)

    # ---- identity --------------------------------------------------------------------------

    @property
    def base(self) -> str:
        """The server's base URL as requests go to it (no credentials in it)."""
        return self.http.base

    @property
    def timeout(self) -> float:
        """Seconds to wait for each answer."""
        return self.http.timeout

    @classmethod
    @abstractmethod
    def check_id(cls, value: Any) -> ProcessId:
        """``value`` as an id of this server, or ``BadRequest`` naming it. Callers check what a
        person typed before anything is sent (``get abc`` on a server whose ids are numbers);
        the request methods themselves only refuse what cannot go into a URL path."""

    @classmethod
    def unsupported(cls, action: str) -> str | None:
        """Why this backend cannot do ``action`` (one line), or None when it can."""
        if action in cls.ACTIONS:
            return None
        return cls.UNSUPPORTED.get(action) or f"the {cls.KIND} backend has no {action!r} action"

    @classmethod
    def unsupported_filters(cls, query: SearchQuery) -> list[str]:
        """One phrase per filter of ``query`` this backend cannot honour, or whose value it does
        not know (``TRIGGERS``, ``PROCESS_TYPES``; statuses where its set is closed) (empty: all
        fine)."""
        problems = [why for name, why in cls.UNSUPPORTED_FILTERS.items() if getattr(query, name)]
        for label, given, known in (("trigger", query.trigger_types, cls.TRIGGERS),
                                    ("type", query.process_types, cls.PROCESS_TYPES)):
            wrong = [value for value in given if known and value not in known]
            if wrong:
                problems.append(f"{label} {', '.join(wrong)} (known: {', '.join(known)})")
        if cls.CLOSED_STATUSES:
            odd = [s for s in query.statuses if s not in cls.STATUSES and s not in cls.STATUS_ALIASES]
            if odd:
                problems.append(f"status {', '.join(odd)} (its statuses are "
                                f"{', '.join(cls.STATUSES)})")
        return problems

    @classmethod
    def check_filters(cls, query: SearchQuery) -> None:
        """``Unsupported`` naming every filter of ``query`` this backend cannot honour: a
        filter is refused before anything is sent, never dropped silently."""
        problems = cls.unsupported_filters(query)
        if problems:
            raise Unsupported(f"the {cls.KIND} backend cannot search by " + "; ".join(problems)
                              + (f" ({cls.FILTERS_HINT})" if cls.FILTERS_HINT else ""))

    @classmethod
    def applies(cls, action: str, status: str | None) -> bool:
        """Whether ``action`` can be sent for a process in ``status`` (unknown status: no)."""
        if status is None or action not in cls.ACTIONS:
            return False
        wanted = cls.ACTIONS[action]
        return wanted is None or status in wanted

    @classmethod
    def plan_note(cls, action: str, status: str) -> str | None:
        """What ``action`` will do to a process in ``status`` where this backend does something
        more particular than the action's name says (None: the action's own words)."""
        return None

    # ---- life cycle ------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connections. Never raises for a connection already gone."""
        await self.http.aclose()

    async def __aenter__(self) -> Backend:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ---- processes -------------------------------------------------------------------------

    @abstractmethod
    async def get_process(self, process_id: ProcessId, include_steps: bool = False) -> ProcessData:
        """One process; with ``include_steps`` its ``step_records`` too. ``NotFound`` if none."""

    @abstractmethod
    async def get_step(self, step_id: str) -> StepData:
        """One step with its attempts. ``NotFound`` if none."""

    @abstractmethod
    async def search(self, query: SearchQuery) -> list[ProcessData]:
        """One page of matches (``query.limit`` at ``query.offset``), newest first, without
        steps. ``Unsupported`` for a filter this backend cannot honour (``check_filters``): a
        filter is never dropped silently."""

    async def search_summaries(self, query: SearchQuery) -> list[ProcessSummary]:
        """``search(query)`` as the summaries a list shows (no payloads): what a table of many
        rows keeps. A backend may answer it without building whole ``ProcessData`` models; rows
        with a field of an unexpected type name it in ``dropped``, as ``search`` does."""
        return [ProcessSummary.of(p) for p in await self.search(query)]

    async def search_by_ids(self, ids: list[ProcessId]) -> list[ProcessSummary]:
        """The executions among ``ids`` (at most ``IDS_PER_SEARCH``) that one search finds,
        whatever their age or status, as summaries (see ``IMPLEMENTS_SEARCH_BY_IDS``). An id
        missing from the answer may still exist where the search does not reach (an archive,
        an index that lags): callers GET those. ``Unsupported`` where the backend cannot."""
        raise self._lacks("search_by_ids", "search by process ids")

    async def count(self, query: SearchQuery) -> int | None:
        """The exact number of matches of ``query`` (see ``IMPLEMENTS_COUNT``); None when the
        server did not say. ``Unsupported`` when the backend has no count."""
        raise Unsupported(f"the {self.KIND} backend has no count of matches")

    @abstractmethod
    async def run_async(self, request: ProcessRequest) -> ProcessData:
        """Start a process and answer at once with it (usually RUNNING). Never resent."""

    @abstractmethod
    async def run_sync(self, request: ProcessRequest, timeout: float | None = None) -> ProcessData:
        """Start a process and wait (up to ``timeout`` s) for it to end. Never resent."""

    @abstractmethod
    async def rerun(self, process_id: ProcessId, version: int | None = None) -> ProcessData:
        """Start ``process_id`` again from the beginning; the answer is the process that runs
        (a new one on Unmeshed). ``version`` only where ``IMPLEMENTS_RERUN_VERSION``. Never
        resent: a lost answer is ``OutcomeUnknown``."""

    async def get_many(self, ids: Iterable[ProcessId], include_steps: bool = False, *,
                       on_each: Callable[[Fetched], None] | None = None) -> list[Fetched]:
        """Many processes at once (at most ``concurrency`` in flight), in input order; each id's
        error is kept beside it instead of stopping the others. ``on_each`` hears each id as
        soon as it is settled (progress)."""
        gate = asyncio.Semaphore(self.concurrency)

        async def one(pid: str) -> Fetched:
            async with gate:
                try:
                    fetched = Fetched(pid, await self.get_process(pid, include_steps))
                except errors.MeshdeckError as exc:
                    fetched = Fetched(pid, error=exc)
            if on_each is not None:
                on_each(fetched)
            return fetched

        return list(await asyncio.gather(*(one(str(i)) for i in ids)))

    # ---- bulk actions ----------------------------------------------------------------------

    @abstractmethod
    async def send_chunk(self, action: str, ids: list[ProcessId], reason: str | None,
                         settled: dict[ProcessId, ActionDetail]) -> None:
        """Send ``action`` for one chunk of ``ids`` (one request where the server has a bulk
        call); never resent. Write each id's result into ``settled`` as soon as it is known
        (an id left out: the server did not say). Raise on a request that failed; ids already
        in ``settled`` keep their result (the engine in ``console.services.actions`` does the
        chunking and the done / failed / unknown / not sent bookkeeping)."""

    # ---- API mappings (optional) -------------------------------------------------------------

    async def call_api_mapping(self, endpoint: str, *, method: str = "GET", body: Any = None,
                               request_id: str | None = None, correlation_id: str | None = None,
                               call_type: str = "ASYNC") -> Any:
        """Call an API mapping (see ``IMPLEMENTS_API_MAPPINGS``); any JSON answer. Never resent,
        even a GET: it starts a process."""
        raise Unsupported(self.UNSUPPORTED.get("call") or f"the {self.KIND} backend has no "
                          "API mappings")

    def stream_api_mapping(self, endpoint: str, *, method: str = "GET", body: Any = None,
                           request_id: str | None = None, correlation_id: str | None = None
                           ) -> AsyncIterator[Any]:
        """A STREAM call: each JSON line as it arrives (steps, then the process)."""
        raise Unsupported(self.UNSUPPORTED.get("call") or f"the {self.KIND} backend has no "
                          "API mappings")

    # ---- definitions -------------------------------------------------------------------------

    @abstractmethod
    async def list_definitions(self) -> list[ProcessDefinition]:
        """Every process definition the server lists."""

    @abstractmethod
    async def get_definition(self, namespace: str, name: str, version: int | None = None
                             ) -> ProcessDefinition:
        """One definition (the latest version unless ``version``). ``NotFound`` if none."""

    @abstractmethod
    async def definition_versions(self, namespace: str, name: str) -> list[int]:
        """The versions of a definition, ascending. ``NotFound`` if none."""

    @abstractmethod
    async def namespaces(self) -> list[str]:
        """The namespaces (or what stands in for them) the server knows."""
