"""The mock's process definitions and API mappings, written in a tiny step language.

A step list is steps separated by white space; one step is

    ref:TYPE[=step-name] [ [children ...] ] [?] [+N]

``ref:TYPE`` names the step by its ``ref`` (the step name defaults to it); ``[ ... ]`` holds its
children (PARALLEL, FOREACH, SWITCH, SUB_PROCESS); after them, ``?`` marks the step optional and
``+N`` says it exists from version N on (so older versions look older): a container's suffixes
come after its closing bracket and cover its children, as in ``notify:SUB_PROCESS[send:HTTP]+2``.
Anything else (a stray bracket or suffix, a step without a ref or type) is a ValueError naming
the definition, so a typo cannot become a nameless step.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

#: (namespace, name, process type, payload kind, versions, description, steps), from
#: ``catalog.toml`` beside this file (data, kept out of the code).
DEFINITIONS: list[tuple[str, str, str, str, int, str, str]] = [
    (d["namespace"], d["name"], d["type"], d["payload"], d["versions"], d["description"], d["steps"])
    for d in tomllib.loads((Path(__file__).with_name("catalog.toml")).read_text("utf-8"))["definition"]
]

#: endpoint -> (namespace, name): the API mappings served under ``api/call/{endpoint}``.
API_MAPPINGS: dict[str, tuple[str, str]] = {
    "test_process_endpoint": ("default", "test_process"),
    "create_order": ("orders", "create_order"),
    "refund_payment": ("payments", "refund_payment"),
    "send_email": ("notifications", "send_email"),
    "track_shipment": ("shipping", "track_shipment"),
}

#: ``[``, ``]``, ``?``, ``+N`` or a step head (anything up to one of those or white space)
_TOKEN = re.compile(r"[\[\]?]|\+\d+|[^\s\[\]?+]+")
_HEAD = re.compile(r"^(?P<ref>\w+):(?P<type>[A-Z_]+)(?:=(?P<name>[\w.-]+))?$")

_CONFIG = {
    "HTTP": {"errorPolicyName": "retry_3_exponential", "rateLimitMaxRequests": 100, "rateLimitWindowSeconds": 1},
    "WORKER": {"errorPolicyName": "retry_3_linear"},
    "JAVASCRIPT": {"scriptLanguage": "javascript"},
    "JQ": {"jqTransformer": ". | {id: .orderId, total: .amount}"},
    "WAIT": {},
}


class _Steps:
    """Reads one definition's step list (see the module docstring) for one version."""

    def __init__(self, text: str, version: int, namespace: str, where: str) -> None:
        self.tokens = _TOKEN.findall(text)
        self.pos = 0
        self.version, self.namespace, self.where = version, namespace, where

    def fail(self, why: str) -> ValueError:
        return ValueError(f"catalog {self.where}: {why} at token {self.pos + 1} of {self.tokens}")

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def steps(self, closing: bool) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while self.peek() not in (None, "]"):
            step, since = self.step()
            if self.version >= since:
                out.append(step)
        if closing != (self.peek() == "]"):
            raise self.fail("an unclosed [" if closing else "a ] with no [")
        self.pos += closing
        return out

    def step(self) -> tuple[dict[str, Any], int]:
        head = _HEAD.match(self.peek() or "")
        if not head:
            raise self.fail("expected a step ref:TYPE[=name]")
        self.pos += 1
        children: list[dict[str, Any]] = []
        if self.peek() == "[":
            self.pos += 1
            children = self.steps(closing=True)
        optional: bool | None = None
        since: int | None = None
        while (tok := self.peek()) is not None and (tok == "?" or tok[0] == "+"):
            if tok == "?" and optional is None:
                optional = True
            elif tok[0] == "+" and since is None:
                since = int(tok[1:])
            else:
                raise self.fail(f"a second {tok[0]} suffix")
            self.pos += 1
        ref, typ = head["ref"], head["type"]
        return {
            "orgId": 0, "namespace": self.namespace, "name": head["name"] or ref, "type": typ,
            "ref": ref, "optional": bool(optional), "label": ref.replace("_", " ").capitalize(),
            "description": f"{typ.lower()} step {ref}",
            "configuration": dict(_CONFIG.get(typ, {})), "children": children,
            "input": {}, "output": {},
        }, since or 1


def parse_steps(text: str, version: int, namespace: str, where: str = "") -> list[dict[str, Any]]:
    """The step definitions ``text`` describes for ``version`` (wire-shaped StepDefinitions)."""
    return _Steps(text, version, namespace, where or text[:40]).steps(closing=False)


def build_definitions(now_ms: int) -> dict[tuple[str, str], dict[int, dict[str, Any]]]:
    """All definitions: ``{(namespace, name): {version: ProcessDefinition dict}}`` (wire-shaped)."""
    day = 86_400_000
    out: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for i, (ns, name, ptype, kind, versions, desc, steps) in enumerate(DEFINITIONS):
        by_version: dict[int, dict[str, Any]] = {}
        for v in range(1, versions + 1):
            created = now_ms - (400 - i * 7) * day + (v - 1) * 45 * day
            by_version[v] = {
                "orgId": 0, "namespace": ns, "name": name, "version": v, "type": ptype,
                "description": desc, "createdBy": "platform-team@acme.io", "updatedBy": "ops@acme.io",
                "created": created, "updated": created + 3_600_000,
                "configuration": {"completionTimeout": 180000, "onTimeoutProcess": None,
                                  "onFailProcess": None, "onCompleteProcess": None, "onCancelProcess": None},
                "steps": parse_steps(steps, v, ns, f"{ns}/{name} v{v}"),
                "defaultInput": {"source": "meshdeck-mock", "priority": "normal"} if kind != "test" else {},
                "defaultOutput": {}, "outputMapping": {}, "metadata": {},
                "tags": [{"name": "team", "value": ns}, {"name": "kind", "value": kind}],
                "_kind": kind,
            }
        out[(ns, name)] = by_version
    return out


def flatten(steps: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """Depth-first list of ``(step definition, parent index or -1)``."""
    flat: list[tuple[dict[str, Any], int]] = []

    def walk(items: list[dict[str, Any]], parent: int) -> None:
        for s in items:
            flat.append((s, parent))
            if s["children"]:
                walk(s["children"], len(flat) - 1)

    walk(steps, -1)
    return flat
