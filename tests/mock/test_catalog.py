"""The definition catalog, as both dialects serve it: every step of every version has a name and a
unique ref, versions only add steps, and the little step language refuses what it cannot read."""

from __future__ import annotations

import re

import httpx
import pytest

from console.mock.app import create_app
from console.mock.catalog import DEFINITIONS, parse_steps
from console.mock.clock import FakeClock
from console.mock.conductor_app import create_conductor_app


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")


def unmeshed_steps(steps: list[dict]) -> list[tuple[str, str]]:
    """(name, ref) of every StepDefinition, children included, depth first."""
    out = []
    for s in steps:
        out.append((s.get("name"), s.get("ref")))
        out += unmeshed_steps(s.get("children") or [])
    return out


def conductor_tasks(tasks: list[dict]) -> list[tuple[str, str]]:
    """(name, taskReferenceName) of every WorkflowTask, forks, cases and loops included."""
    out = []
    for t in tasks:
        out.append((t.get("name"), t.get("taskReferenceName")))
        nested = [*(t.get("forkTasks") or []), *(t.get("decisionCases") or {}).values(),
                  t.get("defaultCase") or [], t.get("loopOver") or []]
        for branch in nested:
            out += conductor_tasks(branch)
    return out


def check_version(where: str, steps: list[tuple[str, str]]) -> list[str]:
    assert steps, where
    for name, ref in steps:
        assert isinstance(name, str) and name.strip(), f"{where}: a step without a name ({ref!r})"
        assert isinstance(ref, str) and ref.strip(), f"{where}: a step without a ref ({name!r})"
    refs = [ref for _, ref in steps]
    assert len(refs) == len(set(refs)), f"{where}: refs repeat: {refs}"
    return refs


def check_versions_add_steps(where: str, by_version: dict[int, list[str]]) -> None:
    """Each version keeps every step of the one before and adds at least one."""
    versions = sorted(by_version)
    assert versions == list(range(1, len(versions) + 1)), where
    for v in versions[1:]:
        before, after = set(by_version[v - 1]), set(by_version[v])
        assert before < after, f"{where} v{v}: {sorted(before - after)} dropped, {sorted(after - before)} added"


async def test_unmeshed_catalog_every_step_named_and_versions_add_steps():
    app = create_app(seed=7, executions=10, clock=FakeClock())
    seen = 0
    async with _client(app) as client:
        for d in (await client.get("/api/processDefinitions")).json():
            base = f"/api/processDefinitions/{d['namespace']}/{d['name']}"
            by_version = {}
            for v in (await client.get(f"{base}/versions")).json():
                defn = (await client.get(base, params={"version": v})).json()
                where = f"{d['namespace']}/{d['name']} v{v}"
                by_version[v] = check_version(where, unmeshed_steps(defn["steps"]))
                seen += 1
            check_versions_add_steps(f"{d['namespace']}/{d['name']}", by_version)
    assert seen == sum(row[4] for row in DEFINITIONS)


async def test_conductor_catalog_every_task_named_and_versions_add_tasks():
    app = create_conductor_app(seed=7, executions=10, clock=FakeClock())
    latest = {row[1]: row[4] for row in DEFINITIONS}
    async with _client(app) as client:
        names = {d["name"] for d in (await client.get("/api/metadata/workflow")).json()}
        assert names == set(latest)
        for name in sorted(names):
            by_version = {}
            for v in range(1, latest[name] + 1):
                r = await client.get(f"/api/metadata/workflow/{name}", params={"version": v})
                assert r.status_code == 200 and r.json()["version"] == v
                by_version[v] = check_version(f"{name} v{v}", conductor_tasks(r.json()["tasks"]))
            check_versions_add_steps(name, by_version)


async def test_refund_payment_v2_adds_the_customer_notification_with_its_receipt():
    app = create_app(seed=7, executions=10, clock=FakeClock())
    base = "/api/processDefinitions/payments/refund_payment"
    async with _client(app) as client:
        v1, v2 = [(await client.get(base, params={"version": v})).json()["steps"] for v in (1, 2)]
    assert [s["ref"] for s in v1] == ["load_charge", "check_refund_window", "refund", "record_ledger"]
    assert [s["ref"] for s in v2] == [s["ref"] for s in v1] + ["notify_customer"]
    assert [(c["ref"], c["name"]) for c in v2[-1]["children"]] == [("send_receipt", "email-sender")]


def test_step_language_suffixes_after_a_container_cover_its_children():
    text = "a:HTTP? b:JQ=jq-step+2 c:SWITCH[d:NOOP e:WAIT?]?+3"
    assert [(s["ref"], s["name"], s["optional"]) for s in parse_steps(text, 1, "ns")] == [("a", "a", True)]
    assert [s["ref"] for s in parse_steps(text, 2, "ns")] == ["a", "b"]
    v3 = parse_steps(text, 3, "ns")
    assert [s["ref"] for s in v3] == ["a", "b", "c"] and v3[2]["optional"]
    assert [(c["ref"], c["optional"]) for c in v3[2]["children"]] == [("d", False), ("e", True)]


@pytest.mark.parametrize("text,why", [
    ("a:SUB_PROCESS[b:HTTP] ]+2", "a ] with no ["),
    ("a:SWITCH[b:HTTP", "an unclosed ["),
    ("+2 a:HTTP", "expected a step"),
    ("a:HTTP b", "expected a step"),
    ("a:HTTP ? ?", "a second ?"),
    ("a:HTTP+2+3", "a second +"),
    ("a:HTTP=x=y", "expected a step"),
])
def test_step_language_refuses_what_it_cannot_read(text, why):
    with pytest.raises(ValueError, match=re.escape(f"catalog ns/x v1: {why}")):
        parse_steps(text, 1, "ns", "ns/x v1")
