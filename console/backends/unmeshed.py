"""``UnmeshedClient``: the backend contract spoken to an Unmeshed server, exactly as the official
SDK speaks it on the wire (``../shared/API.md``).

It holds one ``HttpTransport`` (retries, error mapping, never resending a POST). The raw token is
hashed into the SDK's bearer value at construction and then dropped: it never travels, and never
appears in a repr, a log line or an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from pydantic import SecretStr, TypeAdapter

from console import errors
from console.backends.base import Backend, ProcessId
from console.backends.http import HttpTransport, RequestHook, build_base
from console.backends import unmeshed_definitions as defs
from console.backends import unmeshed_files as files
from console.backends.responses import adapter_for
from console.remote_files import FileEntry, FileListing
from console.models import (
    ActionDetail,
    ActionResponse,
    ProcessData,
    ProcessDefinition,
    ProcessRequest,
    ProcessTriggerType,
    ProcessSummary,
    ProcessType,
    SearchQuery,
    SearchRow,
    StepData,
)

RUN_SYNC_MARGIN_S = 5.0
#: Unmeshed's process statuses, in facet order.
STATUSES = ("RUNNING", "COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED", "TERMINATED", "REVIEWED")
_STOPPED = frozenset({"FAILED", "TIMED_OUT", "TERMINATED", "CANCELLED"})
#: Bulk action -> its path (API.md).
_BULK_PATHS = {"terminate": "api/process/bulkTerminate", "resume": "api/process/bulkResume",
               "review": "api/process/bulkReviewed"}



def bearer_for(client_id: str, token: str) -> str:
    """The Authorization header value the SDK sends: the token only travels as its SHA-256."""
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    return f"Bearer client.sdk.{client_id}.{digest}"


class UnmeshedClient(Backend):
    """Async client for one Unmeshed server (or the embedded mock through ``transport``)."""

    KIND = "unmeshed"
    STATUSES = STATUSES
    ACTIONS = {"terminate": frozenset({"RUNNING"}), "resume": _STOPPED, "review": _STOPPED,
               "rerun": None, "resume_version": _STOPPED}
    UNSUPPORTED = {
        "pause": "Unmeshed has no pause: terminate stops an execution, resume carries on a "
                 "stopped one",
        "restart": "Unmeshed has no restart: rerun starts the execution again as a new process",
        "restart_latest": "Unmeshed has no restart: rerun --version N starts the execution "
                          "again, as a new process, on definition version N",
        "remove": "Unmeshed publishes no API to delete an execution (its web console may; "
                  "meshdeck does not guess at one)",
        "skip": "Unmeshed publishes no API to skip a step (its web console may; meshdeck does "
                "not guess at one): resume retries the failed steps instead",
        "rerun_from": "Unmeshed publishes no API to rerun from a step: resume retries the failed "
                      "steps, rerun starts again from the beginning",
        "correlated": "Unmeshed has no call for the executions of a correlation id: use meshdeck "
                      "search --correlation-id ID --name NAME",
        "running": "Unmeshed has no call for a definition's running ids: use meshdeck search "
                   "--status RUNNING --name NAME -o ids",
        "parent": "Unmeshed's process data does not name the process that started it (its "
                  "trigger type SUB_PROCESS says only that one did): search by its correlation "
                  "id instead",
    }
    CREDENTIALS = ("client_id", "token")
    TRIGGERS = tuple(ProcessTriggerType)
    PROCESS_TYPES = tuple(ProcessType)
    IMPLEMENTS_API_MAPPINGS = True
    IMPLEMENTS_RERUN_VERSION = True
    IMPLEMENTS_DEFINITION_WRITES = True
    IMPLEMENTS_DEFINITION_BULK_UPSERT = True
    IMPLEMENTS_SCHEDULES = True
    IMPLEMENTS_RESUME_WITH_VERSION = True
    IMPLEMENTS_FILES = True
    IMPLEMENTS_SEARCH_BY_IDS = True
    #: Unmeshed ids are numbers (up to 19 digits): 250 of them stay under 5 KB of URL.
    IDS_PER_SEARCH = 250
    IMPLEMENTS_CHILD_LINK = True

    def __init__(
        self,
        base_url: str = "http://localhost",
        port: int | None = 8080,
        client_id: str = "",
        token: str | SecretStr | None = None,
        *,
        timeout: float = 10.0,
        transport: Any = None,
        verify: bool = True,
        retries: int = 3,
        backoff: float = 0.25,
        chunk_size: int = 500,
        concurrency: int = 4,
        on_request: RequestHook | None = None,
    ) -> None:
        raw = token.get_secret_value() if isinstance(token, SecretStr) else (token or "")
        self.client_id = client_id
        self.chunk_size = max(1, chunk_size)
        self.concurrency = max(1, concurrency)
        self.http = HttpTransport(
            build_base(base_url, port), headers={"Authorization": bearer_for(client_id, raw)},
            timeout=timeout, transport=transport, verify=verify, retries=retries,
            backoff=backoff, concurrency=self.concurrency, on_request=on_request)
        del raw

    def __repr__(self) -> str:
        return f"UnmeshedClient(base={self.base!r}, client_id={self.client_id!r})"

    @classmethod
    def child_of(cls, step: StepData) -> ProcessId | None:
        """**(choice)** A SUB_PROCESS step's output ``processId`` (what the embedded mock's
        steps carry; the published API does not say where the child's id is kept). None for
        another step type, or an output without one."""
        output = step.output if isinstance(step.output, dict) else {}
        child = output.get("processId")
        if step.type != "SUB_PROCESS" or child in (None, "") or isinstance(child, bool):
            return None
        return str(child)

    @classmethod
    def check_id(cls, value: Any) -> ProcessId:
        text = str(value).strip()
        if not text.isdigit():
            raise errors.BadRequest(f"not a valid process id: {value!r} (Unmeshed ids are numbers)")
        return text

    async def _json(self, method: str, path: str, adapter: TypeAdapter | None = None,
                    **kwargs: Any) -> Any:
        return await self.http.json(method, path, adapter, **kwargs)

    # ---- processes -------------------------------------------------------------------------

    async def run_sync(self, request: ProcessRequest, timeout: float | None = None) -> ProcessData:
        params: dict[str, Any] = {"clientId": self.client_id}
        if timeout is not None:
            params["timeout"] = int(timeout)
        read = (timeout or self.http.timeout) + RUN_SYNC_MARGIN_S
        return await self._json("POST", "api/process/runSync", adapter_for(ProcessData), params=params,
                                json_body=request.to_wire(), timeout=read)

    async def run_async(self, request: ProcessRequest) -> ProcessData:
        return await self._json("POST", "api/process/runAsync", adapter_for(ProcessData),
                                params={"clientId": self.client_id}, json_body=request.to_wire())

    async def get_process(self, process_id: ProcessId, include_steps: bool = False) -> ProcessData:
        path = f"api/process/context/{_id(process_id)}"
        return await self._json("GET", path, adapter_for(ProcessData),
                                params={"includeSteps": str(include_steps).lower()})

    async def get_step(self, step_id: int | str) -> StepData:
        return await self._json("GET", f"api/process/stepContext/{_id(step_id)}", adapter_for(StepData))

    async def search(self, query: SearchQuery) -> list[ProcessData]:
        return await self._search(query, adapter_for(list[ProcessData]))

    async def search_summaries(self, query: SearchQuery) -> list[ProcessSummary]:
        rows = await self._search(query, adapter_for(list[SearchRow]))
        return [ProcessSummary.of(row) for row in rows]

    async def search_by_ids(self, ids: list[ProcessId]) -> list[ProcessSummary]:
        return await self.search_summaries(SearchQuery.for_ids(ids))

    async def _search(self, query: SearchQuery, adapter: TypeAdapter) -> Any:
        problems = self.unsupported_filters(query)
        if problems:  # an unknown trigger would match nothing, silently
            raise errors.BadRequest(f"the {self.KIND} backend cannot search by "
                                    + "; ".join(problems))
        return await self._json("GET", "api/stats/process/search", adapter,
                                params=query.to_params())

    async def rerun(self, process_id: ProcessId, version: int | None = None) -> ProcessData:
        params: dict[str, Any] = {"clientId": self.client_id,
                                  "processId": _id(process_id)}
        if version is not None:
            params["version"] = version
        return await self._json("POST", "api/process/rerun", adapter_for(ProcessData), params=params)

    # ---- bulk actions ----------------------------------------------------------------------

    async def send_chunk(self, action: str, ids: list[ProcessId], reason: str | None,
                         settled: dict[ProcessId, ActionDetail]) -> None:
        """One bulk request (API.md): the server answers with a detail per id it acted on."""
        path = _BULK_PATHS.get(action)
        if path is None:
            raise errors.BadRequest(self.unsupported(action) or f"no bulk call for {action!r}")
        params: dict[str, Any] = {} if action == "terminate" else {"clientId": self.client_id}
        if reason and action in ("terminate", "review"):
            params["reason"] = reason
        answer = await self._json("POST", path, adapter_for(ActionResponse), params=params,
                                  json_body=[_wire_id(i) for i in ids])
        asked = set(ids)
        for detail in answer.details or []:
            if detail.id is not None and str(detail.id) in asked:
                settled[str(detail.id)] = detail

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
        json_body = (body if body is not None else {}) if method == "POST" else None
        async for item in self.http.stream_lines(method, _call_path(endpoint), params=params,
                                                 json_body=json_body):
            yield item

    # ---- definitions -----------------------------------------------------------------------

    async def list_definitions(self) -> list[ProcessDefinition]:
        return await self._json("GET", "api/processDefinitions", adapter_for(list[ProcessDefinition]))

    async def get_definition(self, namespace: str, name: str,
                             version: int | None = None) -> ProcessDefinition:
        params = {"version": version} if version is not None else None
        return await self._json("GET", f"api/processDefinitions/{_seg(namespace)}/{_seg(name)}",
                                adapter_for(ProcessDefinition), params=params)

    async def definition_versions(self, namespace: str, name: str) -> list[int]:
        return await self._json("GET",
                                f"api/processDefinitions/{_seg(namespace)}/{_seg(name)}/versions",
                                adapter_for(list[int]))

    async def namespaces(self) -> list[str]:
        data = await self._json("GET", "api/namespaces")
        names = []
        for item in data if isinstance(data, list) else []:
            name = item.get("name") if isinstance(item, dict) else item
            if name:
                names.append(str(name))
        return names

    async def create_definition(self, doc: dict[str, Any]) -> ProcessDefinition:
        return await defs.create(self.http, doc)

    async def update_definition(self, doc: dict[str, Any]) -> ProcessDefinition:
        return await defs.update(self.http, doc)

    async def upsert_definitions(self, docs: list[dict[str, Any]]) -> list[ProcessDefinition]:
        return await defs.upsert(self.http, docs)

    async def delete_definition(self, namespace: str, name: str, version: int | None = None,
                                version_only: bool = False) -> None:
        await defs.delete(self.http, namespace, name, version, version_only)

    async def upsert_schedules(self, docs: list[dict[str, Any]]) -> Any:
        return await defs.upsert_schedules(self.http, docs)

    async def resume_with_version(self, process_id: ProcessId, version: int) -> None:
        await defs.resume_with_version(self.http, _id(process_id), version)

    # ---- files -----------------------------------------------------------------------------

    async def list_files(self, path: str) -> FileListing:
        return await files.list_folder(self.http, path)

    async def upload_file(self, folder: str, name: str, data: bytes) -> FileEntry:
        return await files.upload(self.http, folder, name, data)

    async def create_folder(self, path: str) -> None:
        await files.create_folder(self.http, path)

    async def download_file(self, path: str) -> bytes:
        return await files.download(self.http, path)

    async def delete_file(self, path: str) -> None:
        await files.delete(self.http, path)


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
