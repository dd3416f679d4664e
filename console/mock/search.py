"""``GET api/stats/process/search`` over the store: parsing the query and running it fast.

Semantics (all filters optional, combined with AND; the values inside one list filter with OR):

- ``startTimeEpoch`` (default now - 24 h) and ``endTimeEpoch`` bound ``created``, both inclusive.
- ``statuses``, ``processTypes``, ``triggerTypes`` accept ``FAILED`` as well as the SDK's ``str()``
  of an enum member, ``ProcessStatus.FAILED`` (case-insensitive).
- ``stepNames`` / ``stepRefs``: the process's definition version has a step with that name / ref.
- ``tags``: a process matches when it carries ANY of the given tags. A tag is written ``name``
  (any value), ``name:value`` or ``name=value`` (exact value, case-insensitive). The Python SDK
  sends ``str()`` of ``asdict(TagValue)``, i.e. ``{'name': 'env', 'value': 'prod'}``: that form,
  its JSON twin and ``TagValue(name='env', value='prod')`` are understood too (empty value = any).
- ``fullTextSearchQuery``: case-insensitive substring of a precomputed text holding the name,
  namespace, process id, correlation and request ids and the JSON of input and output.
- ``limit`` (default 10) and ``offset`` (default 0); results are newest first (created desc).

Speed: processes are numbered in creation order, so the time window is a bisect over the sorted
created array; the scan then walks the window newest first and stops once offset + limit matches
are found. When an index (ids, statuses, names, namespace) is much smaller than the work a scan
would do, the scan walks that index's sorted ids instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any, Callable, Mapping

from console.mock.seed import BASE_PROCESS_ID
from console.mock.store import BadRequest, MockStore

DAY_MS = 86_400_000
_SDK_TAG = re.compile(r"""TagValue\(name='([^']*)',\s*value='([^']*)'\)"""
                      r"""|\{\s*['"]name['"]\s*:\s*['"]([^'"]*)['"]\s*,\s*['"]value['"]\s*:\s*['"]([^'"]*)['"]\s*\}""")


def split_list(value: str | None) -> list[str]:
    if not value:
        return []
    return [v.strip() for v in value.split(",") if v.strip()]


def enum_values(value: str | None) -> set[str]:
    """``"FAILED,ProcessStatus.TIMED_OUT"`` -> ``{"FAILED", "TIMED_OUT"}``."""
    return {v.rsplit(".", 1)[-1].upper() for v in split_list(value)}


def parse_int(params: Mapping[str, str], name: str, default: int | None = None) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, got {raw!r}") from None


def parse_tags(value: str | None) -> list[tuple[str, str | None]]:
    if not value:
        return []
    tags = [((n1 or n2).lower(), (v1 or v2).lower() or None) for n1, v1, n2, v2 in _SDK_TAG.findall(value)]
    for token in split_list(_SDK_TAG.sub("", value)):
        sep = ":" if ":" in token else "=" if "=" in token else None
        if sep:
            n, v = token.split(sep, 1)
            tags.append((n.strip().lower(), v.strip().lower() or None))
        else:
            tags.append((token.lower(), None))
    return tags


def _tag_match(wanted: list[tuple[str, str | None]]) -> Callable[[dict[str, Any]], bool]:
    def check(p: dict[str, Any]) -> bool:
        for t in p["tags"] or ():
            n = str(t.get("name", "")).lower()
            v = str(t.get("value", "")).lower()
            for wn, wv in wanted:
                if n == wn and (wv is None or v == wv):
                    return True
        return False
    return check


def search(store: MockStore, params: Mapping[str, str]) -> list[dict[str, Any]]:
    """Run one search; returns wire-shaped ProcessData dicts (``stepRecords: []``)."""
    now = store.tick()
    start = parse_int(params, "startTimeEpoch", now - DAY_MS)
    end = parse_int(params, "endTimeEpoch")
    limit = parse_int(params, "limit", 10)
    offset = parse_int(params, "offset", 0)
    parse_int(params, "orgId")
    if limit < 0 or offset < 0:
        raise BadRequest("limit and offset must not be negative")
    pid_texts = split_list(params.get("processIds"))
    try:
        pids = {int(x) for x in pid_texts}
    except ValueError:
        raise BadRequest(f"processIds must be integers, got {params.get('processIds')!r}") from None

    created = store.created
    lo = bisect_left(created, start)
    hi = bisect_right(created, end) if end is not None else len(created)
    if hi <= lo or limit == 0:
        return []

    checks: list[Callable[[dict[str, Any]], bool]] = []
    candidates: list[set[int]] = []  # OR-ed index hits, one set per indexed filter
    if pids:
        candidates.append(pids)
        checks.append(lambda p: p["processId"] in pids)
    for key, index in (("correlationIds", store.by_correlation), ("requestIds", store.by_request)):
        values = set(split_list(params.get(key)))
        if values:
            candidates.append(set().union(*(index.get(v, set()) for v in values)))
            field = key[:-1]
            checks.append(lambda p, f=field, vs=values: p[f] in vs)
    statuses = enum_values(params.get("statuses"))
    if statuses:
        candidates.append(set().union(*(store.by_status.get(s, set()) for s in statuses)))
        checks.append(lambda p: p["status"] in statuses)
    names = set(split_list(params.get("names")))
    if names:
        candidates.append(set().union(*(store.by_name.get(n, set()) for n in names)))
        checks.append(lambda p: p["name"] in names)
    namespace = params.get("namespace")
    if namespace:
        candidates.append(store.by_namespace.get(namespace, set()))
        checks.append(lambda p: p["namespace"] == namespace)
    for key, field in (("processTypes", "processType"), ("triggerTypes", "triggerType")):
        values = enum_values(params.get(key))
        if values:
            checks.append(lambda p, f=field, vs=values: p[f] in vs)
    for key, field in (("stepNames", "step_names"), ("stepRefs", "step_refs")):
        values = set(split_list(params.get(key)))
        if values:
            keys = {k for k, info in store.infos.items() if info[field] & values}
            checks.append(lambda p, ks=keys: (p["namespace"], p["name"], p["version"]) in ks)
    tags = parse_tags(params.get("tags"))
    if tags:
        checks.append(_tag_match(tags))
    text = (params.get("fullTextSearchQuery") or "").strip().lower()
    if text:
        checks.append(lambda p: text in p["_text"])

    need = offset + limit
    window = hi - lo
    procs = store.processes
    best: set[int] | None = None
    for cand in sorted(candidates, key=len):  # AND of the index hits, smallest first (C-speed &)
        best = cand if best is None else best & cand
    if best is not None and len(best) / 8 < min(window, need * len(created) / max(len(best), 1)):
        lo_id, hi_id = BASE_PROCESS_ID + lo, BASE_PROCESS_ID + hi
        order: Any = sorted((pid for pid in best if lo_id <= pid < hi_id), reverse=True)
    else:
        order = range(BASE_PROCESS_ID + hi - 1, BASE_PROCESS_ID + lo - 1, -1)

    found: list[dict[str, Any]] = []
    for pid in order:
        p = procs.get(pid)
        if p is None:
            continue
        for check in checks:
            if not check(p):
                break
        else:
            found.append(p)
            if len(found) >= need:
                break
    return [store.public(p, False, now) for p in found[offset:need]]
