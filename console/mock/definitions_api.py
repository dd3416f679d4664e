"""The mock's definition writes and schedules (API.md, "Definitions, files and the official CLI").

- ``POST api/processDefinitions``: create (400 if that definition and version exist).
- ``PUT api/processDefinitions``: write the version the body names (a new one is added; no
  version: the latest is replaced) **(choice)**; 404 for an unknown definition.
- ``DELETE api/processDefinitions?versionOnly=``: a JSON list of ``{namespace, name, version}``;
  ``versionOnly`` removes only that version (the last one removes the definition), else every
  version. Executions that ran a deleted version keep their data.
- ``POST api/processDefinitions/bulk/upsert``: a JSON array, each created or written; every one is
  checked first, so a bad one stores nothing. The answer is the stored list.
- ``POST api/schedules/bulk/upsert``: a JSON array of objects with a ``name``, kept as sent.

Versions are kept: every write adds or replaces one version, the others stay. A stored version
gets the facts its executions need (``console.mock.seed.def_info``), so runs and resumes on it work.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from console.definition_files import DefinitionFileError, validate
from console.mock.http import Routes, read_json, store_of, to_bool
from console.mock.seed import def_info
from console.mock.dev_definitions import refuse_seeded
from console.mock.store import BadRequest, MockStore, NotFound

WRITER = "meshdeck-mock"
_STEP_DEFAULTS = {"optional": False, "label": None, "description": None, "configuration": {},
                  "input": {}, "output": {}}


def _step(step: dict[str, Any], namespace: str) -> dict[str, Any]:
    """A step as the mock's executions need it (every key present, children too); the
    definition is served as it was sent."""
    out = {**_STEP_DEFAULTS, **step}
    out.setdefault("namespace", namespace)
    out["name"] = out.get("name") or out["ref"]
    out["children"] = [_step(c, namespace) for c in step.get("children") or []]
    return out


def _checked(doc: Any, where: str) -> dict[str, Any]:
    try:
        validate(doc, where)
    except DefinitionFileError as exc:
        raise BadRequest(str(exc)) from None
    return doc


def store_version(store: MockStore, doc: dict[str, Any], *, create: bool) -> dict[str, Any]:
    """Write one checked definition as the version it names; returns it as served.

    ``create``: refuse a definition and version that exist, and number a definition without a
    version 1. Else (an update) refuse an unknown definition, and write a versionless one over
    the latest."""
    key = (doc["namespace"], doc["name"])
    versions = store.definitions.get(key)
    version = doc.get("version")
    if create:
        version = version or (max(versions) + 1 if versions else 1)
        if versions and version in versions:
            raise BadRequest(f"process definition {key[0]}/{key[1]} version {version} exists; "
                             "update it with PUT")
    elif not versions:
        raise NotFound(f"process definition {key[0]}/{key[1]} not found")
    else:
        version = version or max(versions)
    try:  # a seeded version's executions are built from it: never written over
        refuse_seeded(store, key[0], key[1], version, doc["steps"])
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    now = store.tick()
    before = (versions or {}).get(version) or {}
    like = before or (versions[max(versions)] if versions else {})
    kind = like.get("_kind", "test")
    if not doc["steps"]:
        raise BadRequest(f"process definition {key[0]}/{key[1]}: a definition needs a step")
    stored = {k: v for k, v in doc.items() if v is not None}
    stored.update({"orgId": 0, "version": version, "createdBy": before.get("createdBy", WRITER),
                   "updatedBy": WRITER, "created": before.get("created", now), "updated": now,
                   "_kind": kind})
    filled = {**stored, "steps": [_step(s, key[0]) for s in doc["steps"]]}
    same_def = next((i["index"] for (ns, n, _), i in store.infos.items() if (ns, n) == key),
                    len(store.definitions))
    store.infos[(key[0], key[1], version)] = def_info(filled, same_def)
    store.definitions.setdefault(key, {})[version] = stored
    return store.definition(key[0], key[1], version)


def delete_versions(store: MockStore, items: Any, version_only: bool) -> list[dict[str, Any]]:
    """Check every item first (unknown: 404, nothing deleted), then delete."""
    if not isinstance(items, list) or not items:
        raise BadRequest("body must be a non-empty JSON list of {namespace, name, version}")
    plan = []
    for item in items:
        if not isinstance(item, dict) or not item.get("name"):
            raise BadRequest("each item must be an object with a namespace and a name")
        ns, name, version = item.get("namespace") or "default", item["name"], item.get("version")
        if version_only and version is None:
            raise BadRequest(f"{ns}/{name}: versionOnly needs a version")
        store.definition(ns, name, version if version_only else None)  # 404 if unknown
        plan.append((ns, name, version))
    deleted = []
    for ns, name, version in plan:
        versions = store.definitions[(ns, name)]
        gone = [version] if version_only else sorted(versions)
        for v in gone:
            versions.pop(v, None)
        if not versions:
            del store.definitions[(ns, name)]
        deleted.extend({"namespace": ns, "name": name, "version": v} for v in gone)
    return deleted


def register(routes: Routes) -> None:
    """Add the definition-writing and schedule routes to the Unmeshed dialect's ``routes``."""

    @routes.post("/api/processDefinitions")
    async def create_definition(request: Request) -> Response:
        doc = _checked(await read_json(request), "body")
        return JSONResponse(store_version(store_of(request), doc, create=True))

    @routes.put("/api/processDefinitions")
    async def update_definition(request: Request) -> Response:
        doc = _checked(await read_json(request), "body")
        return JSONResponse(store_version(store_of(request), doc, create=False))

    @routes.delete("/api/processDefinitions")
    async def delete_definitions(request: Request) -> Response:
        version_only = to_bool(request.query_params.get("versionOnly"), "versionOnly")
        deleted = delete_versions(store_of(request), await read_json(request), version_only)
        return JSONResponse({"deleted": deleted, "count": len(deleted)})

    @routes.post("/api/processDefinitions/bulk/upsert")
    async def upsert_definitions(request: Request) -> Response:
        docs = await read_json(request)
        if not isinstance(docs, list):
            raise BadRequest("body must be a JSON array of process definitions")
        checked = [_checked(d, f"definition {i + 1}") for i, d in enumerate(docs)]
        store = store_of(request)
        out = []
        for doc in checked:
            exists = (doc["namespace"], doc["name"]) in store.definitions
            out.append(store_version(store, doc, create=not exists))
        return JSONResponse(out)

    @routes.post("/api/schedules/bulk/upsert")
    async def upsert_schedules(request: Request) -> Response:
        docs = await read_json(request)
        if not isinstance(docs, list) or not all(isinstance(d, dict) and d.get("name")
                                                 for d in docs):
            raise BadRequest("body must be a JSON array of schedule objects, each with a name")
        schedules = schedules_of(request)
        for doc in docs:
            schedules[str(doc["name"])] = doc
        return JSONResponse(docs)


def schedules_of(request: Request) -> dict[str, Any]:
    """The schedules stored so far by name (the mock keeps them; no endpoint lists them)."""
    state = request.app.state
    if not hasattr(state, "schedules"):
        state.schedules = {}
    return state.schedules
