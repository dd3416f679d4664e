"""Conductor's searches over the store: ``GET /api/workflow/search`` and ``search-v2``, the
correlated workflows of a correlation id and the running ids of a definition.

Search parameters: ``start`` (default 0), ``size`` (default 100), ``freeText`` (``*`` = anything,
else a case-insensitive substring of names, ids, input and output), ``query``: clauses joined by
``AND``, each ``FIELD IN (a,b)``, ``FIELD = a`` or ``FIELD > n`` / ``<`` / ``>=`` / ``<=``, on
workflowType, status, correlationId, workflowId, version and startTime (epoch ms), values
quoted or not (anything else is a 400), and ``sort``: ``field:ASC|DESC`` options joined by ``|``
(``WorkflowResource``: "If order is not specified, defaults to ASC") on startTime, updateTime,
endTime, executionTime, workflowId, workflowType, status, correlationId or version. Without a
sort the answer is newest first (the mock's choice). ``search`` answers ``{totalHits, results}``
of WorkflowSummary rows, ``search-v2`` of Workflows without tasks (``ExecutionService.searchV2``);
``totalHits`` is exact (the scan walks every match to count them).

Statuses are Conductor's (``console.mock.conductor_dialect``): the store's status index gives a
superset (REVIEWED and CANCELLED may show as FAILED or TERMINATED) and a check keeps the exact ones.
Sub-workflows are not in the store's index, so searches do not find them (Conductor's do).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from console.mock import conductor_dialect as cd
from console.mock.conductor_ids import parse_workflow_id, workflow_id
from console.mock.http import to_int
from console.mock.search import Check, any_of, scan
from console.mock.store import BadRequest, MockStore

FIELDS = ("workflowType", "status", "correlationId", "workflowId", "version", "startTime")
_CLAUSE = re.compile(r"^\s*(\w+)\s*(IN|=|>=|<=|>|<)\s*(.+?)\s*$", re.IGNORECASE)
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)
_LISTED = re.compile(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^,\s][^,]*)')

Clause = tuple[str, str, list[str]]


def _values(text: str) -> list[str]:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        parts = _LISTED.findall(text[1:-1])
        return [(a.replace('\\"', '"') if a else b or c.strip()) for a, b, c in parts]
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return [text[1:-1]]
    return [text]


def parse_query(query: str) -> list[Clause]:
    """``workflowType IN (a,b) AND startTime > 5`` -> [(field, op, values)]; 400 on anything else."""
    clauses = []
    for part in _AND.split(query.strip()) if query.strip() else []:
        m = _CLAUSE.match(part)
        if not m or m.group(1) not in FIELDS:
            raise BadRequest(f"cannot read query clause {part!r} (fields: {', '.join(FIELDS)})")
        op = m.group(2).upper()
        values = _values(m.group(3))
        if op in (">", "<", ">=", "<=") and (m.group(1) not in ("startTime", "version")
                                             or not values[0].lstrip("-").isdigit()):
            raise BadRequest(f"{m.group(1)} {op} needs a number, got {m.group(3)!r}")
        clauses.append((m.group(1), op, values))
    return clauses


def _time_bounds(clauses: list[Clause]) -> tuple[int | None, int | None]:
    """The inclusive ``startTime`` window the clauses allow (None: unbounded)."""
    lo: int | None = None
    hi: int | None = None
    for fld, op, values in clauses:
        if fld != "startTime":
            continue
        n = int(values[0])
        if op in (">", ">="):
            lo = max(lo or n, n + (op == ">"))
        else:
            hi = min(hi if hi is not None else n, n - (op == "<"))
    return lo, hi


def _filters(store: MockStore, clauses: list[Clause]) -> tuple[set[int] | None, list[Check]]:
    """The ids every indexed clause allows (None: no such clause) and the checks for the rest."""
    checks: list[Check] = []
    index: set[int] | None = None
    for fld, _op, values in clauses:
        wanted = set(values)
        if fld == "startTime":
            continue
        if fld == "version":
            checks.append(lambda p, w=wanted: str(p["version"]) in w)
            continue
        if fld == "status":
            wanted = {v.upper() for v in wanted}
            hits = any_of(store.by_status, cd.store_statuses(wanted))
            checks.append(lambda p, w=wanted: cd.workflow_status(p) in w)
        elif fld == "workflowType":
            hits = any_of(store.by_name, wanted)
        elif fld == "correlationId":
            hits = any_of(store.by_correlation, wanted)
        else:  # workflowId
            hits = {pid for pid in map(parse_workflow_id, wanted) if pid is not None}
        index = hits if index is None else index & hits
    return index, checks


SORTABLE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "startTime": lambda p: p["created"],
    "updateTime": lambda p: p["updated"],
    "endTime": lambda p: p["updated"] if cd.workflow_status(p) in cd.TERMINAL else 0,
    "executionTime": lambda p: (p["updated"] - p["created"]) if cd.workflow_status(p) in cd.TERMINAL else 0,
    "workflowId": lambda p: workflow_id(p["processId"]),
    "workflowType": lambda p: p["name"],
    "status": cd.workflow_status,
    "correlationId": lambda p: p["correlationId"] or "",
    "version": lambda p: p["version"],
}


def parse_sort(text: str | None) -> list[tuple[str, bool]]:
    """``startTime:DESC|workflowType`` -> [(field, descending)]; 400 on a field it cannot sort."""
    out = []
    for part in (text or "").replace(",", "|").split("|"):
        field, _, order = part.strip().partition(":")
        if not field:
            continue
        if field not in SORTABLE or order.strip().upper() not in ("", "ASC", "DESC"):
            raise BadRequest(f"cannot sort by {part.strip()!r} (fields: {', '.join(SORTABLE)}; "
                             "order ASC or DESC)")
        out.append((field, order.strip().upper() == "DESC"))
    return out


def matches(store: MockStore, params: Mapping[str, str]) -> tuple[int, list[dict[str, Any]]]:
    """(totalHits, the stored processes of the page asked for)."""
    store.tick()
    start = to_int(params.get("start"), "start", 0)
    size = to_int(params.get("size"), "size", 100)
    if start < 0 or size < 0:
        raise BadRequest("start and size must not be negative")
    clauses = parse_query(params.get("query") or "")
    order = parse_sort(params.get("sort"))
    index, checks = _filters(store, clauses)
    text = (params.get("freeText") or "*").strip().lower()
    if text not in ("", "*"):
        checks.append(lambda p: text in p["_text"])
    lo_ms, hi_ms = _time_bounds(clauses)
    found = scan(store, lo_ms, hi_ms, index, checks)
    if order and order != [("startTime", True)]:
        every = list(found)
        for field, descending in reversed(order):  # stable: the first option decides first
            every.sort(key=SORTABLE[field], reverse=descending)
        return len(every), every[start:start + size]
    total, page = 0, []
    for p in found:
        if start <= total < start + size:
            page.append(p)
        total += 1
    return total, page


def search(store: MockStore, params: Mapping[str, str]) -> dict[str, Any]:
    """``GET /workflow/search``: a SearchResult of WorkflowSummary rows."""
    total, page = matches(store, params)
    return {"totalHits": total, "results": [cd.summary(store, p) for p in page]}


def search_v2(store: MockStore, params: Mapping[str, str]) -> dict[str, Any]:
    """``GET /workflow/search-v2``: a SearchResult of Workflows (without their tasks)."""
    total, page = matches(store, params)
    return {"totalHits": total, "results": [cd.workflow(store, p, False) for p in page]}


def correlated(store: MockStore, name: str, correlation_id: str, include_closed: bool,
               include_tasks: bool) -> list[dict[str, Any]]:
    """``GET /workflow/{name}/correlated/{correlationId}``: the workflows of that definition and
    correlation id, only RUNNING ones unless ``include_closed`` (``ExecutionService
    .getWorkflowInstances``: a PAUSED one is not RUNNING), newest first."""
    store.tick()
    ids = store.by_correlation.get(correlation_id, set()) & store.by_name.get(name, set())
    found = [store.processes[pid] for pid in sorted(ids, reverse=True) if pid in store.processes]
    return [cd.workflow(store, p, include_tasks) for p in found
            if include_closed or cd.workflow_status(p) == "RUNNING"]


def running(store: MockStore, name: str, version: int, start_ms: int | None,
            end_ms: int | None) -> list[str]:
    """``GET /workflow/running/{name}``: ids of the definition version's unfinished workflows
    (RUNNING or PAUSED); with both ``startTime`` and ``endTime``, every workflow of that version
    started in the window whatever its status (``WorkflowServiceImpl.getRunningWorkflows``)."""
    store.tick()
    window = bool(start_ms) and bool(end_ms)
    ids = sorted(store.by_name.get(name, set()), reverse=True)
    out = []
    for pid in ids:
        p = store.processes.get(pid)
        if p is None or p["version"] != version:
            continue
        if window and start_ms <= p["created"] <= end_ms:  # type: ignore[operator]
            out.append(workflow_id(pid))
        elif not window and cd.workflow_status(p) in ("RUNNING", "PAUSED"):
            out.append(workflow_id(pid))
    return out
