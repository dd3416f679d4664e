"""Deterministic data generation: definition metadata and executions from ``random.Random(seed)``.

Executions are made on demand (``Seeding``) from their own random bits, drawn at once; step
records are generated on demand by ``console.mock.steps`` from the process's own seed.
"""

from __future__ import annotations

import json
import random
from array import array
from collections import defaultdict
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


class Seeding:
    """The generated executions, each made when first asked for (``process(i)``): building
    100,000 dicts with their payloads up front was most of a big mock's start. Only the random
    draws are made at once, in the order an eager build made them, so every execution is the
    same as before, whichever is made first; ``facts(i)`` gives what the store's indexes need
    without making the execution.

    Execution ``i`` (creation order) has process id ``BASE_PROCESS_ID + i``."""

    def __init__(self, seed: int, executions: int, now_ms: int) -> None:
        self.now = now_ms
        self.definitions = build_definitions(now_ms)
        self.infos: dict[tuple[str, str, int], dict[str, Any]] = {}
        for i, ((ns, name), versions) in enumerate(self.definitions.items()):
            for v, defn in versions.items():
                self.infos[(ns, name, v)] = def_info(defn, i)
        rng = random.Random(seed)
        keys = list(self.definitions)
        # weighted definition table: 1000 slots
        weights = [rng.randint(2, 12) for _ in keys]
        total = sum(weights)
        self.slots: list[tuple[str, str]] = []
        for key, w in zip(keys, weights):
            self.slots.extend([key] * (w * 1000 // total + 1))
        self.mapped = {v for v in API_MAPPINGS.values()}
        start = now_ms - WINDOW_DAYS * DAY_MS
        span = WINDOW_DAYS * DAY_MS
        rnd = rng.random
        self.createds = sorted(start + int(rnd() * span) for _ in range(executions))
        bits = rng.getrandbits
        # per execution in turn: its own bits, then the low half of its request id
        self.draws = array("Q", [bits(64) for _ in range(2 * executions)])

    def __len__(self) -> int:
        return len(self.createds)

    def indexes(self) -> tuple[dict[str, set[int]], dict[str, set[int]], dict[str, set[int]],
                               list[tuple[int, int]]]:
        """What the store indexes without making any execution: process ids by status, by
        name and by namespace, and (end of run, id) of those RUNNING. One tight loop (a
        function call per execution cost as much again)."""
        by_status: dict[str, set[int]] = defaultdict(set)
        by_name: dict[str, set[int]] = defaultdict(set)
        by_namespace: dict[str, set[int]] = defaultdict(set)
        running: list[tuple[int, int]] = []
        statuses = [_lookup(STATUS_TABLE, x) for x in range(1000)]
        # per slot: namespace, name, latest version, and whether each version has a WAIT step
        slots = [(ns, name, len(self.definitions[(ns, name)]),
                  {v: self.infos[(ns, name, v)]["has_wait"] for v in self.definitions[(ns, name)]})
                 for ns, name in self.slots]
        nslots, now, draws = len(slots), self.now, self.draws
        for i, created in enumerate(self.createds):
            r = draws[2 * i]
            ns, name, latest, waits = slots[r % nslots]
            version = latest if (r >> 10) % 5 or latest == 1 else 1 + (r >> 13) % (latest - 1)
            duration = 250 + (r >> 36) % 20_000 + ((r >> 20) % 600_000 if waits[version] else 0)
            status = statuses[(r >> 26) % 1000]
            pid = BASE_PROCESS_ID + i
            if status == "RUNNING" or created + duration > now:
                status = "RUNNING"
                running.append((self._run_end(r, created, duration), pid))
            by_status[status].add(pid)
            by_name[name].add(pid)
            by_namespace[ns].add(pid)
        return by_status, by_name, by_namespace, running

    def correlation_id(self, i: int) -> str:
        r = self.draws[2 * i]
        ns, name = self.slots[r % len(self.slots)]
        return payloads.correlation_id(self.infos[(ns, name, self._version(r, ns, name))]["kind"],
                                       r >> 7)

    def request_id(self, i: int) -> str:
        return payloads.request_id((self.draws[2 * i] << 64) | self.draws[2 * i + 1])

    def _version(self, r: int, ns: str, name: str) -> int:
        latest = len(self.definitions[(ns, name)])
        return latest if (r >> 10) % 5 or latest == 1 else 1 + (r >> 13) % (latest - 1)

    def _run_end(self, r: int, created: int, duration: int) -> int:
        if created + duration > self.now:
            return created + duration
        return max(created + duration, self.now + 30_000 + (r >> 20) % 1_800_000)

    def process(self, i: int) -> dict[str, Any]:
        """Execution ``i`` as the store keeps it (wire fields and ``_`` internals)."""
        r, now_ms, created = self.draws[2 * i], self.now, self.createds[i]
        pid = BASE_PROCESS_ID + i
        ns, name = self.slots[r % len(self.slots)]
        version = self._version(r, ns, name)
        info = self.infos[(ns, name, version)]
        kind = info["kind"]
        ptype = info["defn"]["type"]
        trigger = _lookup(TRIGGER_TABLE, (r >> 16) % 1000)
        if ptype == "INTERNAL":
            trigger = "SCHEDULED"
        elif trigger == "API_MAPPING" and (ns, name) not in self.mapped:
            trigger = "API"
        if trigger == "API_MAPPING":
            ptype = "API_ORCHESTRATION"
        elif ptype == "API_ORCHESTRATION":
            ptype = "STANDARD"
        status, duration = _status(r, info)
        inp = payloads.make_input(kind, r)
        if info["defn"]["defaultInput"]:
            inp = {**info["defn"]["defaultInput"], **inp}
        p: dict[str, Any] = {
            "processId": pid, "processType": ptype, "triggerType": trigger, "namespace": ns, "name": name,
            "version": version, "historyId": 7_000 + info["index"] * 10 + version,
            "requestId": self.request_id(i), "correlationId": payloads.correlation_id(kind, r >> 7),
            "status": status, "input": inp, "output": {}, "state": {}, "secretState": {}, "authClaims": None,
            "stepIdCount": len(info["flat"]), "shardName": f"shard-{pid % 4}",
            "shardInstanceId": pid % 4, "created": created, "updated": created + duration,
            "createdBy": CREATORS[(r >> 46) % 5],
            "tags": _TAGS[(REGIONS[(r >> 49) % 3], (r >> 52) % 8 == 0)],
            "_r": r, "_fail": -1, "_run": None, "_final": None, "_prev": None, "_outs": None,
        }
        if status == "RUNNING" or created + duration > now_ms:
            status = p["status"] = "RUNNING"
            p["_run"] = (created, self._run_end(r, created, duration), 0)
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
        p["_text"] = search_text(p)
        return p


def _status(r: int, info: dict[str, Any]) -> tuple[str, int]:
    """The status an execution was drawn with, and how long it runs."""
    duration = 250 + (r >> 36) % 20_000 + (((r >> 20) % 600_000) if info["has_wait"] else 0)
    return _lookup(STATUS_TABLE, (r >> 26) % 1000), duration
