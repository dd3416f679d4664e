"""``ConductorClient``: the Backend protocol spoken to Conductor OSS or Orkes Conductor.

The wire contract is Conductor OSS's REST API as its controllers map it (``WorkflowResource``,
``WorkflowBulkResource``, ``MetadataResource``, ``TaskResource``) and the official
``conductor-python`` 2.0.0 client calls it; the mapping is written down in docs/backends.md. The
calls that act on workflows are in ``console.backends.conductor.operate``. It holds one ``HttpTransport`` (retrying GETs, never resending a POST or PUT,
typed errors, the request hook), as every backend does; only the paths and shapes are its own.

Auth: Conductor OSS needs none. Orkes exchanges a key id and secret at ``POST /token`` for a
token sent as ``X-Authorization``; the secret is kept as a ``SecretStr``, sent only to
``/token`` and never shown, and a refused token is renewed once (a 401 means nothing was done,
so the request is then sent again). ``/token`` answering 404 means an open server, as in the
official client.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote, urlparse

import httpx
from pydantic import SecretStr

from console import errors
from console.backends.base import Backend, ProcessId, Unsupported
from console.backends.conductor import operate, shapes
from console.backends.http import HttpTransport, RequestHook, build_base
from console.backends.responses import parse_json
from console.models import ActionDetail, ProcessData, ProcessDefinition, ProcessRequest
from console.models import ProcessSummary, SearchQuery, StepData

#: Conductor's workflow statuses, in facet order.
STATUSES = ("RUNNING", "PAUSED", "COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED")
#: Why Conductor cannot do an action meshdeck offers on Unmeshed.
UNSUPPORTED = {
    "review": "Conductor has no 'reviewed' state: terminate, retry (resume) or restart a failed "
              "workflow instead",
    "call": "API mappings are an Unmeshed feature; Conductor has none (start a workflow with "
            "meshdeck run instead)",
    "resume_version": "Conductor cannot resume a workflow on another definition version; "
                      "restart it on the latest definition instead (Conductor's restart with "
                      "useLatestDefinitions)",
    "definition writes": "meshdeck reads Conductor workflow definitions through Unmeshed's "
                         "shape, which leaves out Conductor's own fields (forkTasks, "
                         "decisionCases, ...): writing that back would lose them, so meshdeck "
                         "does not write or delete Conductor definitions (use Conductor's "
                         "PUT /api/metadata/workflow with the WorkflowDef JSON)",
    "schedules": "schedules are an Unmeshed feature here; Conductor's scheduler is a "
                 "separate Orkes API meshdeck does not speak",
    "files": "Conductor has no file store",
    "rerun --version": "Conductor reruns a workflow with its own definition version; drop "
                       "--version (or start a new one with meshdeck run)",
}
SUB_WORKFLOW_DEPTH = 3


def api_base(base_url: str, port: int | None) -> str:
    """``http://host`` + 8080 -> ``http://host:8080/api``; a URL with a path keeps it."""
    base = build_base(base_url, port)
    return base if urlparse(base).path.strip("/") else base + "/api"


class ConductorClient(Backend):
    """Async client for one Conductor (OSS or Orkes) server."""

    KIND = "conductor"
    STATUSES = STATUSES
    ACTIONS = operate.APPLIES_TO
    UNSUPPORTED = UNSUPPORTED
    UNSUPPORTED_FILTERS = shapes.UNSUPPORTED_FILTERS
    FILTERS_HINT = shapes.FILTERS_HINT
    #: Conductor's workflow statuses are a fixed enum: REVIEWED (Unmeshed's) never matches.
    CLOSED_STATUSES = True
    STATUS_ALIASES = shapes.SEARCH_STATUS
    CREDENTIALS = ("key_id", "key_secret")
    IMPLEMENTS_COUNT = True
    IMPLEMENTS_SKIP_STEP = True
    IMPLEMENTS_RERUN_FROM_STEP = True
    IMPLEMENTS_CORRELATED = True
    IMPLEMENTS_RUNNING_IDS = True
    IMPLEMENTS_SEARCH_BY_IDS = True
    #: Workflow ids are UUIDs (36 characters): 100 of them make about 4 KB of query.
    IDS_PER_SEARCH = 100
    IMPLEMENTS_CHILD_LINK = True
    IMPLEMENTS_PARENT_LINK = True
    #: Conductor has no namespaces; a workflow (and a definition) has the app that owns it.
    NAMESPACE_LABEL = "owner app"

    def __init__(self, base_url: str = "http://localhost", port: int | None = 8080,
                 key_id: str | None = None, key_secret: str | SecretStr | None = None, *,
                 timeout: float = 10.0, transport: httpx.AsyncBaseTransport | None = None,
                 verify: bool = True, retries: int = 3, backoff: float = 0.25,
                 chunk_size: int = 500, concurrency: int = 4,
                 on_request: RequestHook | None = None) -> None:
        self.chunk_size = max(1, chunk_size)
        self.concurrency = max(1, concurrency)
        self.http = HttpTransport(api_base(base_url, port), timeout=timeout, transport=transport,
                                  verify=verify, retries=retries, backoff=backoff,
                                  concurrency=self.concurrency, on_request=on_request)
        if isinstance(key_secret, str):
            key_secret = SecretStr(key_secret) if key_secret else None
        self._key_id = key_id or None
        self._secret: SecretStr | None = key_secret if key_id else None
        self._logged_in = False
        self._login_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"ConductorClient(base={self.base!r}, key_id={self._key_id!r})"

    @classmethod
    def child_of(cls, step: StepData) -> ProcessId | None:
        """A SUB_WORKFLOW task's ``subWorkflowId`` (None before it has started one)."""
        return _linked((step.model_extra or {}).get("subWorkflowId"))

    @classmethod
    def parent_of(cls, process: ProcessData) -> ProcessId | None:
        """A sub-workflow's ``parentWorkflowId`` (None for a workflow nothing started)."""
        return _linked((process.model_extra or {}).get("parentWorkflowId"))

    @classmethod
    def check_id(cls, value: Any) -> ProcessId:
        return _id(value)

    @classmethod
    def plan_note(cls, action: str, status: str) -> str | None:
        if action == "resume":
            return ("would resume (it is PAUSED)" if status == "PAUSED"
                    else "would retry from the failed task")
        return None

    # ---- auth ------------------------------------------------------------------------------

    async def _login(self) -> None:
        async with self._login_lock:
            if self._logged_in:
                return
            body = {"keyId": self._key_id, "keySecret": self._secret.get_secret_value()}
            try:
                answer = parse_json(await self.http.request("POST", "token", json_body=body))
            except errors.NotFound:
                self._secret = None  # an open server (Conductor OSS): no token needed
                return
            except errors.Unauthorized:
                raise errors.Unauthorized(f"{self.base}/token refused key id {self._key_id!r} "
                                          "and its secret (check them)", url=f"{self.base}/token",
                                          status=401) from None
            except errors.OutcomeUnknown as exc:
                raise errors.Unreachable(str(exc)) from None
            token = answer.get("token") if isinstance(answer, dict) else None
            if not token:
                raise errors.BadResponse(f"{self.base}/token answered without a token",
                                         url=f"{self.base}/token")
            self.http.headers["X-Authorization"] = str(token)
            self._logged_in = True

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A request with Orkes auth: log in first when a key is set; on a 401 (nothing was
        done) get one new token and send once more."""
        if self._secret is not None and not self._logged_in:
            await self._login()
        try:
            return await self.http.request(method, path, **kwargs)
        except errors.Unauthorized as exc:
            if self._secret is None:
                said = str(exc).split(" (check", 1)[0]
                raise errors.Unauthorized(
                    f"{said} (an Orkes server wants a key id and secret: set key_id and "
                    "secret_env in the profile, or CONDUCTOR_AUTH_KEY and CONDUCTOR_AUTH_SECRET)",
                    url=exc.url, status=exc.status) from None
            self._logged_in = False  # expired or revoked: one new token, then once more
            await self._login()
            return await self.http.request(method, path, **kwargs)

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return parse_json(await self._request(method, path, **kwargs))

    # ---- processes -------------------------------------------------------------------------

    async def get_process(self, process_id: ProcessId, include_steps: bool = False) -> ProcessData:
        return await self._workflow(_id(process_id), include_steps, SUB_WORKFLOW_DEPTH)

    async def _workflow(self, wid: str, include_steps: bool, depth: int) -> ProcessData:
        data = await self._json("GET", f"workflow/{wid}",
                                params={"includeTasks": str(include_steps).lower()})
        if not isinstance(data, dict):
            raise errors.BadResponse(f"{self.base}/workflow/{wid} did not send a workflow")
        found = shapes.steps(data.get("tasks") or []) if include_steps else []
        if include_steps and depth > 0:
            found += await self._sub_workflow_steps(found, depth)
        return shapes.process(data, found)

    async def _sub_workflow_steps(self, found: list, depth: int) -> list:
        """The tasks of each sub-workflow, nested under the task that started it."""
        subs = [s for s in found if getattr(s, "subWorkflowId", None)
                and not any(o.parent_id == s.id for o in found)]

        async def one(step) -> list:
            try:
                child = await self._workflow(str(step.subWorkflowId), True, depth - 1)
            except errors.MeshdeckError:
                return []  # the parent still shows; the child is one `get` away
            for inner in child.step_records or []:
                if inner.parent_id is None:
                    inner.parent_id, inner.parent_ref = step.id, step.ref
            return list(child.step_records or [])

        nested = await asyncio.gather(*(one(s) for s in subs))
        return [s for group in nested for s in group]

    async def get_step(self, step_id: str) -> StepData:
        """The task, with the earlier attempts of its reference name (Conductor keeps each
        attempt as a task of its own) read from its workflow as its ``executionList``."""
        data = await self._json("GET", f"tasks/{_id(step_id)}")
        if not isinstance(data, dict):
            raise errors.BadResponse(f"{self.base}/tasks/{step_id} did not send a task")
        tries = [data]
        wid, ref = data.get("workflowInstanceId"), data.get("referenceTaskName")
        if wid and ref:
            try:
                wf = await self._json("GET", f"workflow/{_id(wid)}", params={"includeTasks": "true"})
            except errors.MeshdeckError:
                wf = None  # the task alone is still worth showing
            tasks = wf.get("tasks") if isinstance(wf, dict) else None
            earlier = [t for t in tasks or [] if isinstance(t, dict)
                       and t.get("referenceTaskName") == ref and t.get("taskId") != data.get("taskId")
                       and (t.get("retryCount") or 0) <= (data.get("retryCount") or 0)]
            tries = earlier + [data]
        return shapes.steps(tries)[0]

    async def search(self, query: SearchQuery) -> list[ProcessData]:
        """``search-v2``: whole workflows (without tasks), so a row carries what the detail
        shows (its owner app), not a summary's subset."""
        self.check_filters(query)
        data = await self._json("GET", "workflow/search-v2", params=shapes.search_params(query))
        rows = data.get("results") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise errors.BadResponse(f"{self.base}/workflow/search-v2 sent no results list")
        return [shapes.process(r) for r in rows if isinstance(r, dict)]

    async def search_by_ids(self, ids: list[ProcessId]) -> list[ProcessSummary]:
        """``workflowId IN (...)`` over any start time. The search index may lag a workflow
        just started or changed: an id it misses is read with a GET by the caller."""
        return await self.search_summaries(SearchQuery.for_ids(ids))

    async def count(self, query: SearchQuery) -> int | None:
        """The exact number of matches (Conductor's ``totalHits``), or None if it sent none."""
        self.check_filters(query)
        data = await self._json("GET", "workflow/search",
                                params=shapes.search_params(query.page(0, 1)))
        total = data.get("totalHits") if isinstance(data, dict) else None
        return int(total) if isinstance(total, int) else None

    async def run_async(self, request: ProcessRequest) -> ProcessData:
        params = {k: v for k, v in (("version", request.version),
                                    ("correlationId", request.correlation_id)) if v is not None}
        response = await self._request("POST", f"workflow/{_id(request.name or '')}",
                                       params=params, json_body=request.input or {})
        wid = response.text.strip().strip('"')
        if not wid:
            raise errors.BadResponse(f"{self.base}/workflow/{request.name} sent no workflow id")
        return await self.get_process(wid)

    async def run_sync(self, request: ProcessRequest, timeout: float | None = None) -> ProcessData:
        name = _id(request.name or "")
        version = request.version or (await self.get_definition("", name)).version or 1
        body = {"name": name, "version": version, "input": request.input or {},
                "correlationId": request.correlation_id}
        params: dict[str, Any] = {"requestId": request.request_id or ""}
        if timeout is not None:
            params["waitForSeconds"] = int(timeout)
        data = await self._json("POST", f"workflow/execute/{name}/{version}", params=params,
                                json_body=body, timeout=(timeout or self.http.timeout) + 5)
        steps = shapes.steps(data.get("tasks") or []) if isinstance(data, dict) else []
        return shapes.process({"workflowType": name, "version": version, **(data or {})}, steps)

    async def rerun(self, process_id: ProcessId, version: int | None = None) -> ProcessData:
        """Conductor reruns the SAME workflow id from the start (its definition version stays)."""
        if version is not None:
            raise Unsupported(UNSUPPORTED["rerun --version"])
        wid = _id(process_id)
        response = await self._request("POST", f"workflow/{wid}/rerun",
                                       json_body={"reRunFromWorkflowId": wid})
        return await self.get_process(response.text.strip().strip('"') or wid)

    # ---- actions ---------------------------------------------------------------------------

    async def send_chunk(self, action: str, ids: list[ProcessId], reason: str | None,
                         settled: dict[ProcessId, ActionDetail]) -> None:
        await operate.send_chunk(self, action, ids, reason, settled)

    async def skip_step(self, process_id: ProcessId, ref: str, *,
                        step_input: dict[str, Any] | None = None,
                        step_output: dict[str, Any] | None = None) -> None:
        await operate.skip_step(self, _id(process_id), _id(ref), step_input, step_output)

    async def rerun_from_step(self, process_id: ProcessId, step_id: str,
                              step_input: dict[str, Any] | None = None) -> ProcessData:
        return await operate.rerun_from_step(self, _id(process_id), _id(step_id), step_input)

    async def correlated(self, name: str, correlation_id: str, include_finished: bool = False
                         ) -> list[ProcessData]:
        return await operate.correlated(self, _id(name), _id(correlation_id), include_finished)

    async def running_ids(self, name: str, version: int | None = None) -> list[ProcessId]:
        return await operate.running_ids(self, _id(name), version)

    # ---- definitions -----------------------------------------------------------------------

    async def list_definitions(self) -> list[ProcessDefinition]:
        """The latest version of each (``metadata/workflow/latest-versions``; a server without
        it lists every version at ``metadata/workflow``, and the latest of each is kept)."""
        try:
            data = await self._json("GET", "metadata/workflow/latest-versions")
        except errors.NotFound:
            data = None
        if data is None:
            latest: dict[Any, dict[str, Any]] = {}
            for d in await self._every_version():
                if d.get("version", 0) >= latest.get(d.get("name"), {}).get("version", 0):
                    latest[d.get("name")] = d
            data = list(latest.values())
        return [shapes.definition(d) for d in data or [] if isinstance(d, dict)]

    async def _every_version(self) -> list[dict[str, Any]]:
        data = await self._json("GET", "metadata/workflow")
        return [d for d in data or [] if isinstance(d, dict)]

    async def get_definition(self, namespace: str, name: str,
                             version: int | None = None) -> ProcessDefinition:
        """``namespace`` is ignored: Conductor names a workflow definition by name alone."""
        params = {"version": version} if version is not None else None
        data = await self._json("GET", f"metadata/workflow/{quote(_id(name), safe='')}",
                                params=params)
        return shapes.definition(data if isinstance(data, dict) else {})

    async def definition_versions(self, namespace: str, name: str) -> list[int]:
        found = sorted({d["version"] for d in await self._every_version()
                        if d.get("name") == name and isinstance(d.get("version"), int)})
        if not found:
            raise errors.NotFound(f"no workflow definition named {name!r}")
        return found

    async def namespaces(self) -> list[str]:
        """The owner apps of the definitions (Conductor has no namespaces)."""
        return sorted({d.namespace for d in await self.list_definitions() if d.namespace})


def _id(value: int | str) -> str:
    text = str(value).strip()
    if not text or any(c in text for c in "/?#"):
        raise errors.BadRequest(f"not a valid id: {value!r}")
    return text


def _linked(value: Any) -> ProcessId | None:
    """A linked workflow id as text (Conductor sends "" for none)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None
