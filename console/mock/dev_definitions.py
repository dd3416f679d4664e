"""Your own definitions in the mock: from files (``mock serve --definitions DIR``) or from the API
(``POST/PUT api/processDefinitions``). Their processes run live (``console.mock.engine``): their
WORKER steps wait for your workers. A new version of a seeded definition (same namespace and
name) runs like the seeded ones: simulated, unless a worker registered for its WORKER steps.

    from console.mock.dev_definitions import install
    install(store, definition, source="file")  # a ProcessDefinition dict (wire shape)

The mock's choices: a step without a namespace is in its definition's namespace (so a worker
polls ``namespace/step name``); a version of a seeded definition cannot be replaced (its seeded
executions are built from it), but a new version can be added.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from console.definition_files import validate
from console.mock.catalog import flatten
from console.mock.seed import def_info

if TYPE_CHECKING:
    from console.mock.store import MockStore

#: A definition may hold this many steps (step ids are processId * 100 + position).
MAX_STEPS = 100


_STEP_DEFAULTS = {"orgId": 0, "optional": False, "label": None, "description": None,
                  "configuration": {}, "input": {}, "output": {}}


def _fill_steps(steps: list[dict[str, Any]], namespace: str) -> list[dict[str, Any]]:
    """Every key the mock's runs read, on every step (a file may leave the empty ones out)."""
    out = []
    for step in steps:
        filled = {**_STEP_DEFAULTS, **{k: v for k, v in step.items() if v is not None}}
        filled["namespace"] = step.get("namespace") or namespace
        filled["name"] = step.get("name") or step["ref"]
        filled["children"] = _fill_steps(step.get("children") or [], namespace)
        out.append(filled)
    return out


def refuse_seeded(store: MockStore, namespace: str, name: str, version: int,
                  steps: Any = None) -> None:
    """``ValueError`` for a write that changes the steps of a seeded version: its executions are
    built from them, so different ones would break them (every definition write of the mock
    calls this). ``steps``: the steps the write brings; the same steps (a new description, say)
    may be written, as on a real server."""
    if (namespace, name, version) not in store.seeded_versions:
        return
    if steps is not None:
        from console.definition_files import normalise

        current = store.definition(namespace, name, version)
        if normalise({"steps": current.get("steps") or []}) == normalise({"steps": steps}):
            return
    raise ValueError(f"{namespace}/{name} version {version} is one of the mock's seeded "
                     "definitions, whose steps its executions are built from: give yours another "
                     "name or version, or start the mock with --empty")


def install(store: MockStore, definition: dict[str, Any], source: str, where: str = "definition",
            now: int | None = None) -> dict[str, Any]:
    """Store ``definition`` as a runnable version; returns it as the API serves it. ``ValueError``
    for an invalid definition (``console.definition_files.validate`` names the field) or one
    the mock cannot run (too many steps, a seeded version). No version means version 1."""
    validate(definition, where)
    d = copy.deepcopy(definition)
    d["version"] = d.get("version") or 1
    namespace, name, version = d["namespace"], d["name"], d["version"]
    d["steps"] = _fill_steps(d["steps"], namespace)
    count = len(flatten(d["steps"]))
    if count > MAX_STEPS:
        raise ValueError(f"{namespace}/{name} has {count} steps; the mock runs at most {MAX_STEPS}")
    refuse_seeded(store, namespace, name, version)
    old = store.infos.get((namespace, name, version))
    now = store.clock() if now is None else now
    for key, default in (("orgId", 0), ("configuration", {"completionTimeout": 180000}),
                         ("defaultInput", {}), ("defaultOutput", {}), ("outputMapping", {}),
                         ("metadata", {}), ("tags", [])):
        if d.get(key) is None:
            d[key] = copy.deepcopy(default)
    d["created"] = d.get("created") or (old["defn"]["created"] if old else now)
    d["updated"] = now
    d["createdBy"] = d.get("createdBy") or f"meshdeck mock ({source})"
    seeded = store.definitions.get((namespace, name)) if (namespace, name) in store.seeded_names else None
    d["_kind"] = next(iter(seeded.values()))["_kind"] if seeded else "custom"
    keys = list(store.definitions)
    versions = store.definitions.setdefault((namespace, name), {})
    index = keys.index((namespace, name)) if (namespace, name) in keys else len(keys)
    versions[version] = d
    info = def_info(d, index)
    store.infos[(namespace, name, version)] = info
    return store.definition(namespace, name, version)
