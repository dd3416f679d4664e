"""Deterministic data generation: definition metadata and process summaries from ``random.Random(seed)``.

Only the process summary is built eagerly (one dict per execution, a few random draws each);
step records are generated on demand by ``console.mock.steps`` from the process's own seed.
"""

from __future__ import annotations

import json
import random
from typing import Any

from console.mock import payloads
from console.mock.catalog import API_MAPPINGS, build_definitions, flatten

BASE_PROCESS_ID = 1_000_000
DAY_MS = 86_400_000
WINDOW_DAYS = 7
CONTAINERS = {"PARALLEL", "FOREACH", "SWITCH", "SUB_PROCESS"}
FAILABLE = {"HTTP", "WORKER", "JAVASCRIPT", "JQ", "SUB_PROCESS"}
TERMINAL_STEP = {"FAILED": "FAILED", "REVIEWED": "FAILED", "TIMED_OUT": "TIMED_OUT",
                 "TERMINATED": "CANCELLED", "CANCELLED": "CANCELLED"}

# (upper bound out of 1000, status)
STATUS_TABLE = [(780, "COMPLETED"), (870, "FAILED"), (890, "TIMED_OUT"), (920, "RUNNING"),
                (945, "TERMINATED"), (960, "CANCELLED"), (1000, "REVIEWED")]
TRIGGER_TABLE = [(350, "API"), (500, "SCHEDULED"), (600, "MANUAL"), (720, "WEBHOOK"),
                 (870, "API_MAPPING"), (1000, "SUB_PROCESS")]
CREATORS = ["client.sdk.orders-service", "client.sdk.payments-api", "ops@acme.io", "scheduler", "jane.doe@acme.io"]
REGIONS = ["us-east-1", "eu-west-1", "ap-south-1"]
_dumps = json.JSONEncoder(ensure_ascii=False).encode
# shared, never mutated: tag lists for (region, high priority)
_TAGS = {(reg, hi): [{"name": "env", "value": "prod"}, {"name": "region", "value": reg}]
         + ([{"name": "priority", "value": "high"}] if hi else []) for reg in REGIONS for hi in (False, True)}


def _lookup(table: list[tuple[int, str]], x: int) -> str:
    for bound, value in table:
        if x < bound:
            return value
    return table[-1][1]


def def_info(defn: dict[str, Any], index: int) -> dict[str, Any]:
    """Precomputed facts about one definition version, shared by all its executions."""
    flat = flatten(defn["steps"])
    leaves = [i for i, (s, _) in enumerate(flat) if not s["children"]]
    failable = [i for i in leaves if flat[i][0]["type"] in FAILABLE] or leaves
    return {
        "defn": defn, "flat": flat, "kind": defn["_kind"], "index": index,
        "leaves": leaves, "failable": failable,
        "has_wait": any(s["type"] == "WAIT" for s, _ in flat),
        "step_names": {s["name"] for s, _ in flat}, "step_refs": {s["ref"] for s, _ in flat},
        "workers": [i for i, (s, _) in enumerate(flat) if s["type"] == "WORKER"],
    }


def search_text(p: dict[str, Any]) -> str:
    return f"{p['name']} {p['namespace']} {p['processId']} {p['correlationId']} {p['requestId']} " \
        f"{_dumps((p['input'], p['output']))}".lower()


def failure_output(info: dict[str, Any], idx: int, status: str, r: int) -> dict[str, Any]:
    step = info["flat"][idx][0]
    if status == "TIMED_OUT":
        msg = f"step {step['ref']} timed out after {30 + r % 90} s waiting for {payloads.step_service(step)}"
    else:
        msg = payloads.error_message(step, r)
    return {"error": msg, "failedStep": step["ref"], "errorCode": "STEP_" + status, "retries": 2}


def stop_output(status: str, r: int) -> dict[str, Any]:
    if status == "TERMINATED":
        who = ["ops@acme.io", "jane.doe@acme.io", "meshdeck"][r % 3]
        return {"reason": f"terminated by {who}: stuck waiting on downstream"}
    return {"reason": "cancelled by caller: request superseded"}


def generate(seed: int, executions: int, now_ms: int) -> tuple[dict, dict, list[dict[str, Any]]]:
    """Returns ``(definitions, infos, processes)``; processes are sorted by created, ids increasing."""
    definitions = build_definitions(now_ms)
    infos: dict[tuple[str, str, int], dict[str, Any]] = {}
    for i, ((ns, name), versions) in enumerate(definitions.items()):
        for v, defn in versions.items():
            infos[(ns, name, v)] = def_info(defn, i)

    rng = random.Random(seed)
    keys = list(definitions)
    # weighted definition table: 1000 slots
    weights = [rng.randint(2, 12) for _ in keys]
    total = sum(weights)
    slots: list[tuple[str, str]] = []
    for key, w in zip(keys, weights):
        slots.extend([key] * (w * 1000 // total + 1))
    nslots = len(slots)
    mapped = {v for v in API_MAPPINGS.values()}

    start = now_ms - WINDOW_DAYS * DAY_MS
    span = WINDOW_DAYS * DAY_MS
    rnd = rng.random
    createds = sorted(start + int(rnd() * span) for _ in range(executions))
    bits = rng.getrandbits
    procs: list[dict[str, Any]] = []
    for i, created in enumerate(createds):
        pid = BASE_PROCESS_ID + i
        r = bits(64)
        ns, name = slots[r % nslots]
        versions = definitions[(ns, name)]
        latest = len(versions)
        version = latest if (r >> 10) % 5 or latest == 1 else 1 + (r >> 13) % (latest - 1)
        info = infos[(ns, name, version)]
        kind = info["kind"]
        ptype = info["defn"]["type"]
        trigger = _lookup(TRIGGER_TABLE, (r >> 16) % 1000)
        if ptype == "INTERNAL":
            trigger = "SCHEDULED"
        elif trigger == "API_MAPPING" and (ns, name) not in mapped:
            trigger = "API"
        if trigger == "API_MAPPING":
            ptype = "API_ORCHESTRATION"
        elif ptype == "API_ORCHESTRATION":
            ptype = "STANDARD"
        status = _lookup(STATUS_TABLE, (r >> 26) % 1000)
        duration = 250 + (r >> 36) % 20_000 + (((r >> 20) % 600_000) if info["has_wait"] else 0)
        inp = payloads.make_input(kind, r)
        if info["defn"]["defaultInput"]:
            inp = {**info["defn"]["defaultInput"], **inp}
        p: dict[str, Any] = {
            "processId": pid, "processType": ptype, "triggerType": trigger, "namespace": ns, "name": name,
            "version": version, "historyId": 7_000 + info["index"] * 10 + version,
            "requestId": payloads.request_id((r << 64) | bits(64)), "correlationId": payloads.correlation_id(kind, r >> 7),
            "status": status, "input": inp, "output": {}, "state": {}, "secretState": {}, "authClaims": None,
            "stepIdCount": len(info["flat"]), "shardName": f"shard-{pid % 4}",
            "shardInstanceId": pid % 4, "created": created, "updated": created + duration,
            "createdBy": CREATORS[(r >> 46) % 5],
            "tags": _TAGS[(REGIONS[(r >> 49) % 3], (r >> 52) % 8 == 0)],
            "_r": r, "_fail": -1, "_run": None, "_final": None, "_prev": None, "_outs": None,
        }
        if status == "RUNNING" or created + duration > now_ms:
            status = p["status"] = "RUNNING"
            end = max(created + duration, now_ms + 30_000 + (r >> 20) % 1_800_000)
            if created + duration > now_ms:
                end = created + duration
            p["_run"] = (created, end, 0)
            p["_final"] = "FAILED" if (r >> 55) % 10 == 0 else "COMPLETED"
            p["updated"] = now_ms if created < now_ms else created
        elif status == "COMPLETED":
            p["output"] = payloads.make_output(kind, r >> 3, inp)
        elif status in ("TERMINATED", "CANCELLED"):
            p["_fail"] = info["leaves"][(r >> 58) % len(info["leaves"])]
            p["output"] = stop_output(status, r >> 5)
        else:
            p["_fail"] = info["failable"][(r >> 58) % len(info["failable"])]
            if status == "REVIEWED":
                p["_prev"] = "FAILED"
            p["output"] = failure_output(info, p["_fail"], p["_prev"] or status, r >> 9)
        procs.append(p)
    return definitions, infos, procs
