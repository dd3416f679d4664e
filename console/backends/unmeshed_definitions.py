"""Unmeshed's definition writes, schedules and resume-on-a-version, as functions of the one
``HttpTransport`` (API.md, "Definitions, files and the official CLI"). ``UnmeshedClient`` calls
them from thin methods; nothing here is ever resent (the transport's rule for a POST, PUT or
DELETE: a lost answer is ``OutcomeUnknown``)."""

from __future__ import annotations

from typing import Any

from console import errors
from console.backends.http import HttpTransport
from console.backends.responses import adapter_for
from console.models import ProcessDefinition

DEFINITIONS = "api/processDefinitions"


async def create(http: HttpTransport, doc: dict[str, Any]) -> ProcessDefinition:
    return await http.json("POST", DEFINITIONS, adapter_for(ProcessDefinition), json_body=doc)


async def update(http: HttpTransport, doc: dict[str, Any]) -> ProcessDefinition:
    return await http.json("PUT", DEFINITIONS, adapter_for(ProcessDefinition), json_body=doc,
                           idempotent=False)


async def upsert(http: HttpTransport, docs: list[dict[str, Any]]) -> list[ProcessDefinition]:
    """The official CLI's ``update pd``: the whole set in one request (API.md's choice: POST a
    JSON array; the answer is the stored list)."""
    answer = await http.json("POST", f"{DEFINITIONS}/bulk/upsert", json_body=docs)
    if not isinstance(answer, list):
        raise errors.BadResponse(f"{http.url(DEFINITIONS + '/bulk/upsert')} answered something "
                                 "other than the list of stored definitions")
    return adapter_for(list[ProcessDefinition]).validate_python(answer)


async def delete(http: HttpTransport, namespace: str, name: str, version: int | None,
                 version_only: bool) -> None:
    """DELETE with a JSON list body of ``{namespace, name, version}`` and ``versionOnly``."""
    item: dict[str, Any] = {"namespace": namespace, "name": name}
    if version is not None:
        item["version"] = version
    await http.request("DELETE", DEFINITIONS, params={"versionOnly": str(version_only).lower()},
                       json_body=[item])


async def upsert_schedules(http: HttpTransport, docs: list[dict[str, Any]]) -> Any:
    """``update sch``: the file's objects, unchanged, in one POST (API.md's choice)."""
    return await http.json("POST", "api/schedules/bulk/upsert", json_body=docs)


async def resume_with_version(http: HttpTransport, process_id: str, version: int) -> None:
    """Any 2xx is done (the answer's shape is not published)."""
    await http.request("POST", "api/process/resumeWithVersion",
                       params={"processId": process_id, "version": version})
