"""Your own definitions in the mock: from files (``mock serve --definitions DIR``) or from the API
(``POST/PUT api/processDefinitions``). Their processes run live (``console.mock.engine``): their
WORKER steps wait for your workers.

    from console.mock.dev_definitions import install
    install(store, definition, source="file")  # a ProcessDefinition dict (wire shape)

The mock's choices: a step without a namespace is in its definition's namespace (so a worker
polls ``namespace/step name``); a version of a seeded definition cannot be replaced (its seeded
executions are built from it), but a new version can be added.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from console.definition_files import check
from console.mock.catalog import flatten
from console.mock.seed import def_info

if TYPE_CHECKING:
    from console.mock.store import MockStore

#: A definition may hold this many steps (step ids are processId * 100 + position).
MAX_STEPS = 100


def _fill_steps(steps: list[dict[str, Any]], namespace: str) -> None:
    for step in steps:
        step["namespace"] = step.get("namespace") or namespace
        step.setdefault("orgId", 0)
        _fill_steps(step["children"], namespace)


def install(store: MockStore, definition: dict[str, Any], source: str,
            now: int | None = None) -> dict[str, Any]:
    """Store ``definition`` as a runnable version; returns it as the API serves it. ``ValueError``
    for an invalid definition (``console.definition_files.check`` names the field) or one the
    mock cannot run (too many steps, a seeded version)."""
    d = check(definition)
    namespace, name, version = d["namespace"], d["name"], d["version"]
    _fill_steps(d["steps"], namespace)
    count = len(flatten(d["steps"]))
    if count > MAX_STEPS:
        raise ValueError(f"{namespace}/{name} has {count} steps; the mock runs at most {MAX_STEPS}")
    old = store.infos.get((namespace, name, version))
    if old is not None and not old.get("live"):
        raise ValueError(f"{namespace}/{name} version {version} is one of the mock's seeded "
                         "definitions: give yours another name or version, or start the mock "
                         "with --empty")
    now = store.clock() if now is None else now
    for key, default in (("orgId", 0), ("configuration", {"completionTimeout": 180000}),
                         ("defaultInput", {}), ("defaultOutput", {}), ("outputMapping", {}),
                         ("metadata", {}), ("tags", [])):
        if d.get(key) is None:
            d[key] = copy.deepcopy(default)
    d["created"] = d.get("created") or (old["defn"]["created"] if old else now)
    d["updated"] = now
    d["createdBy"] = d.get("createdBy") or f"meshdeck mock ({source})"
    d["_kind"] = "custom"
    keys = list(store.definitions)
    versions = store.definitions.setdefault((namespace, name), {})
    index = keys.index((namespace, name)) if (namespace, name) in keys else len(keys)
    versions[version] = d
    info = def_info(d, index)
    info["live"] = True
    store.infos[(namespace, name, version)] = info
    return store.definition(namespace, name, version)
