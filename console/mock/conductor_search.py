"""Conductor's ``GET /api/workflow/search`` over the store: its query language, run on the shared scan.

Parameters: ``start`` (default 0), ``size`` (default 100), ``freeText`` (``*`` = anything, else a
case-insensitive substring of names, ids, input and output) and ``query``: clauses joined by
``AND``, each ``FIELD IN (a,b)``, ``FIELD = a`` or ``FIELD > n`` / ``<`` / ``>=`` / ``<=``, on
workflowType, status, correlationId, workflowId, version and startTime (epoch ms). Values may be
quoted. Anything else is a 400. Answers ``{totalHits, results}`` newest first, with an exact
``totalHits`` (the scan walks every match to count them).

Statuses are Conductor's (``console.mock.conductor_dialect``): the store's status index gives a
superset (REVIEWED and CANCELLED may show as FAILED or TERMINATED) and a check keeps the exact ones.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from console.mock import conductor_dialect as cd
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
            hits = {pid for pid in map(cd.parse_workflow_id, wanted) if pid is not None}
        index = hits if index is None else index & hits
    return index, checks


def search(store: MockStore, params: Mapping[str, str]) -> dict[str, Any]:
    """Run one search; returns a SearchResult of WorkflowSummary rows."""
    store.tick()
    start = to_int(params.get("start"), "start", 0)
    size = to_int(params.get("size"), "size", 100)
    if start < 0 or size < 0:
        raise BadRequest("start and size must not be negative")
    clauses = parse_query(params.get("query") or "")
    index, checks = _filters(store, clauses)
    text = (params.get("freeText") or "*").strip().lower()
    if text not in ("", "*"):
        checks.append(lambda p: text in p["_text"])
    lo_ms, hi_ms = _time_bounds(clauses)
    total, page = 0, []
    for p in scan(store, lo_ms, hi_ms, index, checks):
        if start <= total < start + size:
            page.append(p)
        total += 1
    return {"totalHits": total, "results": [cd.summary(store, p) for p in page]}
