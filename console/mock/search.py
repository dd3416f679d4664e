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

Speed (``scan``, which the Conductor dialect's search uses too): processes are numbered in creation
order, so the time window is a bisect over the sorted created array; the scan then walks the window
newest first and the caller stops once offset + limit matches are found. When an index (ids,
statuses, names, namespace) is much smaller than the work a scan would do, the scan walks that
index's sorted ids instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Mapping

from console.mock.http import to_int
from console.mock.seed import BASE_PROCESS_ID
from console.mock.store import BadRequest, MockStore

Check = Callable[[dict[str, Any]], bool]

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
    return to_int(params.get(name), name, default)


def any_of(index: Mapping[str, set[int]], keys: Iterable[str]) -> set[int]:
    """The ids an index holds under any of ``keys``."""
    return set().union(*(index.get(k, set()) for k in keys))


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


def _tag_match(wanted: list[tuple[str, str | None]]) -> Check:
    def check(p: dict[str, Any]) -> bool:
        for t in p["tags"] or ():
            n = str(t.get("name", "")).lower()
            v = str(t.get("value", "")).lower()
            for wn, wv in wanted:
                if n == wn and (wv is None or v == wv):
                    return True
        return False
    return check


def scan(store: MockStore, start_ms: int | None, end_ms: int | None, index: set[int] | None,
         checks: list[Check], need: int | None = None) -> Iterator[dict[str, Any]]:
    """Stored processes created in ``[start_ms, end_ms]`` (None: unbounded), among the ids in
    ``index`` (None: any) and passing every check, newest first (store dicts, not wire shapes).

    ``need`` (None: all) says how many the caller will take; it only decides whether walking the
    index's ids or the time window is less work."""
    procs = store.processes
    return (procs[pid] for pid in scan_ids(store, start_ms, end_ms, index, checks, need))


def scan_ids(store: MockStore, start_ms: int | None, end_ms: int | None, index: set[int] | None,
             checks: list[Check], need: int | None = None) -> Iterator[int]:
    """``scan``'s process ids: without checks no process is read (seeded ones are made on
    first read, so a page far down a search makes only its own rows)."""
    created = store.created
    lo = bisect_left(created, start_ms) if start_ms is not None else 0
    hi = bisect_right(created, end_ms) if end_ms is not None else len(created)
    if hi <= lo:
        return
    lo_id, hi_id = BASE_PROCESS_ID + lo, BASE_PROCESS_ID + hi
    window = hi - lo
    walk = window if need is None else min(window, need * len(created) / max(len(index or ()), 1))
    order: Iterable[int]
    if index is not None and len(index) / 8 < walk:
        order, index = sorted((pid for pid in index if lo_id <= pid < hi_id), reverse=True), None
    else:
        order = range(hi_id - 1, lo_id - 1, -1)
    procs = store.processes
    if not checks:
        if index is None and not procs.removed:  # every id of the window is there
            yield from order
            return
        for pid in order:
            if (index is None or pid in index) and pid in procs:
                yield pid
        return
    get = procs.get
    for pid in order:
        if index is not None and pid not in index:
            continue
        p = get(pid)
        if p is None:
            continue
        for check in checks:  # a plain loop: all() over a generator costs more per process
            if not check(p):
                break
        else:
            yield pid


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
    if limit == 0:
        return []

    checks: list[Check] = []
    candidates: list[set[int]] = []  # one set of index hits per indexed filter, AND-ed below
    if pids:
        candidates.append(pids)
    for key, index_of in (("correlationIds", lambda: store.by_correlation),
                          ("requestIds", lambda: store.by_request), ("names", lambda: store.by_name)):
        values = set(split_list(params.get(key)))
        if values:  # the id indexes are made on first use: only when asked
            candidates.append(any_of(index_of(), values))
    statuses = enum_values(params.get("statuses"))
    if statuses:
        candidates.append(any_of(store.by_status, statuses))
    namespace = params.get("namespace")
    if namespace:
        candidates.append(store.by_namespace.get(namespace, set()))
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

    index: set[int] | None = None
    for cand in sorted(candidates, key=len):  # AND of the index hits, smallest first (C-speed &)
        index = cand if index is None else index & cand
    need = offset + limit
    procs = store.processes
    return [store.public(procs[pid], False, now)
            for pid in islice(scan_ids(store, start, end, index, checks, need), offset, need)]
