"""The client's definition writes, schedules, resume-on-a-version and file store against the mock,
in process and over real HTTP (API.md, "Definitions, files and the official CLI")."""

from __future__ import annotations

from pathlib import Path

import pytest

from console import errors
from console.mock.app import create_app
from console.mock.clock import FakeClock
from tests.contract.conftest import FROZEN_NOW_MS, pick


@pytest.fixture
def app():
    return create_app(seed=3, executions=300, clock=FakeClock(FROZEN_NOW_MS))


def new_def(name: str = "fresh", version: int | None = None, **extra) -> dict:
    doc = {"namespace": "ops", "name": name, "type": "STANDARD",
           "steps": [{"ref": "call", "type": "HTTP"}, {"ref": "wait", "type": "WAIT"}], **extra}
    if version is not None:
        doc["version"] = version
    return doc


async def test_create_update_keeps_versions_and_delete(connect, app):
    client = connect(app)
    made = await client.create_definition(new_def(description="one"))
    assert made.version == 1 and made.created is not None and made.updated_by
    with pytest.raises(errors.BadRequest, match="exists"):
        await client.create_definition(new_def(version=1))
    await client.update_definition(new_def(version=2, description="two"))
    assert await client.definition_versions("ops", "fresh") == [1, 2]
    assert (await client.get_definition("ops", "fresh", 1)).description == "one"
    assert (await client.get_definition("ops", "fresh")).description == "two"
    with pytest.raises(errors.NotFound):
        await client.update_definition(new_def(name="never_made"))
    await client.delete_definition("ops", "fresh", 1, version_only=True)
    assert await client.definition_versions("ops", "fresh") == [2]
    await client.delete_definition("ops", "fresh")
    with pytest.raises(errors.NotFound):
        await client.definition_versions("ops", "fresh")


async def test_bulk_upsert_checks_every_definition_before_storing_any(connect, app):
    client = connect(app)
    stored = await client.upsert_definitions([new_def("a"), new_def("b", version=4)])
    assert [(d.name, d.version) for d in stored] == [("a", 1), ("b", 4)]
    bad = new_def("c")
    del bad["steps"][0]["type"]
    with pytest.raises(errors.BadRequest, match=r"steps\[0\]\.type"):
        await client.upsert_definitions([new_def("d"), bad])
    names = {d.name for d in await client.list_definitions()}
    assert {"a", "b"} <= names and not {"c", "d"} & names


async def test_signature_dependencies_dependents_are_kept(connect, app):
    client = connect(app)
    await client.create_definition(new_def(signature={"in": "x"}, dependencies=[{"name": "y"}],
                                           dependents=[{"name": "z"}]))
    wire = (await client.get_definition("ops", "fresh")).to_wire()
    assert wire["signature"] == {"in": "x"} and wire["dependencies"] == [{"name": "y"}]
    assert wire["dependents"] == [{"name": "z"}]


async def test_resume_with_version_runs_on_the_new_version(connect, app):
    client = connect(app)
    store = app.state.store
    pid, other = pick(store, 2, status="FAILED")
    ns, name = store.processes[pid]["namespace"], store.processes[pid]["name"]
    current = (await client.get_definition(ns, name)).to_wire()
    await client.update_definition({**current, "version": 7})
    await client.resume_with_version(str(pid), 7)
    process = await client.get_process(str(pid), include_steps=True)
    assert process.status == "RUNNING" and process.version == 7 and process.step_records
    with pytest.raises(errors.BadRequest):
        await client.resume_with_version(str(pid), 7)  # RUNNING now: refused, nothing resent
    with pytest.raises(errors.NotFound, match="no version 99"):
        await client.resume_with_version(str(other), 99)


async def test_schedules_and_files(connect, app):
    client = connect(app)
    assert await client.upsert_schedules([{"name": "n", "cron": "0 2 * * *"}]) == [
        {"name": "n", "cron": "0 2 * * *"}]
    await client.create_folder("/a/b")
    entry = await client.upload_file("/a/b", "x.txt", b"hello")
    assert entry.path == "/a/b/x.txt" and entry.size == 5
    listing = await client.list_files("/a/b")
    assert [(e.name, e.size, e.file_extension) for e in listing.entries] == [("x.txt", 5, "txt")]
    assert await client.download_file("/a/b/x.txt") == b"hello"
    with pytest.raises(errors.NotFound, match="folder /nowhere not found"):
        await client.upload_file("/nowhere", "y.txt", b"")
    await client.delete_file("/a")
    with pytest.raises(errors.NotFound, match="not found"):
        await client.download_file("/a/b/x.txt")


async def test_apply_without_bulk_upsert_creates_and_updates_one_by_one(connect, app):
    """A backend without the bulk call: apply sends POST for a new definition, PUT for a
    changed one, nothing for an unchanged one."""
    from console.definition_files import LoadedDefinition, normalise
    from console.services.definitions import apply, plan_apply

    client = connect(app)
    client.IMPLEMENTS_DEFINITION_BULK_UPSERT = False  # this instance only
    current = normalise((await client.get_definition("default", "hello_world")).to_wire())
    changed = {**current, "description": "changed"}
    loaded = [LoadedDefinition(Path("a.yaml"), 1, normalise(new_def("solo"))),
              LoadedDefinition(Path("b.yaml"), 1, changed),
              LoadedDefinition(Path("c.yaml"), 1, current)]
    seen: list[str] = []
    client.http.on_request = lambda method, url, status, ms: seen.append(method)
    results = await apply(client, await plan_apply(client, loaded))
    assert [(c.change, c.result) for c in results] == [("new", "created"), ("changed", "updated"),
                                                        ("unchanged", "unchanged")]
    assert [m for m in seen if m != "GET"] == ["POST", "PUT"]
    assert (await client.get_definition("default", "hello_world")).description == "changed"
