"""The TUI side of definitions as code: versions with a diff, the definition as YAML/JSON with
copy, "resume failed on latest", "resume on version" with its picker, and the header's host.
Pilot tests check behaviour; the snapshot tests (140x40 and 80x24) check what a person sees."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest
from textual.widgets import Static, TextArea

from console.definition_files import dump
from console.tui.dialogs.confirm import ConfirmAction
from console.tui.dialogs.results import ResultsScreen
from console.tui.dialogs.version_picker import VersionPicker
from console.tui.screens.definition_views import DefinitionSourceScreen, DefinitionVersionsScreen
from tests.tui import definitions_code_scenarios as s
from tests.tui.scenarios import SIZE, build_app, settle

SMALL = (80, 24)


def text_of(widget: Static) -> str:
    return str(widget.render())


async def test_versions_show_the_diff_between_two(clock):
    app = build_app(clock=clock, executions=200)
    async with app.run_test(size=SIZE) as pilot:
        await s.versions_diff(pilot)
        screen = app.screen
        assert isinstance(screen, DefinitionVersionsScreen)
        assert [d.version for d in screen.versions] == [1, 2, 3]
        shown = text_of(screen.query_one("#diff", Static))
        assert shown.startswith("v2 → v3") and "+- ref: emit_event" in shown
        await s.press(pilot, "up", "up", "space", "down", "down")
        shown = text_of(screen.query_one("#diff", Static))
        assert shown.startswith("v1 → v3") and "+- ref: fraud_check" in shown


async def test_source_is_the_exported_yaml_or_json_and_copies(clock, monkeypatch):
    app = build_app(clock=clock, executions=200)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await s.source_yaml(pilot)
        screen = app.screen
        assert isinstance(screen, DefinitionSourceScreen)
        area = screen.query_one(TextArea)
        assert area.read_only and area.text == dump(screen.definition.to_wire())
        assert "created:" not in area.text and area.text.startswith("namespace: payments\n")
        await pilot.press("f")
        assert area.text.startswith('{\n  "namespace": "payments"')
        await pilot.press("c")
        assert copied == [area.text]


async def confirm(pilot) -> None:
    await pilot.click("#confirm")
    await settle(pilot)


@asynccontextmanager
async def running(clock, scenario, executions: int = 300):
    """The app over a seeded mock, ``scenario`` played: ``(app, pilot, the mock's store)``."""
    app = build_app(clock=clock, executions=executions)
    async with app.run_test(size=SIZE) as pilot:
        await scenario(pilot)
        yield app, pilot, app.mock_app.state.store


async def test_resume_failed_on_latest_sends_each_with_the_latest_version(clock):
    async with running(clock, s.resume_failed_on_latest, 2000) as (app, pilot, store):
        modal = app.screen
        assert isinstance(modal, ConfirmAction) and modal.action_name == "resume_version"
        sent = modal.selection.to_send
        assert sent and all(i.target_version == 3 for i in modal.apply)
        assert all(i.note.startswith(f"ran v{i.version} → resumes on v3") for i in modal.apply)
        await confirm(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert {store.processes[int(pid)]["version"] for pid in sent} == {3}
        assert {store.processes[int(pid)]["status"] for pid in sent} == {"RUNNING"}


async def test_resume_on_version_picks_from_the_definitions_versions(clock):
    async with running(clock, s.version_picker) as (app, pilot, store):
        picker = app.screen
        assert isinstance(picker, VersionPicker)
        pid = s.newest_failed(store)
        assert picker.versions == [1, 2, 3] and picker.definitions == [("payments", "charge_card")]
        await s.press(pilot, "down", "down", "enter")  # "Version 2"
        modal = app.screen
        assert isinstance(modal, ConfirmAction)
        assert [(i.id, i.target_version) for i in modal.apply] == [(str(pid), 2)]
        await s.press(pilot, "escape")
        assert store.processes[pid]["status"] == "FAILED"  # cancelled: nothing sent
        await s.press(pilot, "U")
        await s.press(pilot, "enter")  # "Latest version"
        await confirm(pilot)
        assert (store.processes[pid]["status"], store.processes[pid]["version"]) == ("RUNNING", 3)


async def test_read_only_hides_resume_failed_and_the_header_names_the_server(clock):
    app = build_app(clock=clock, executions=200, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await s.definition_detail(pilot)
        assert app.server_label == "mock"  # the host of http://mock
        title = str(app.format_title("Definition", ""))
        assert title.endswith("@ mock")
        assert app.screen.check_action("resume_failed", ()) is False
        await s.press(pilot, "F")
        assert not isinstance(app.screen, ConfirmAction)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["140x40", "80x24"])
def test_snapshot_versions_diff(snap_compare, clock, size):
    """payments/charge_card's versions: a table of v1..v3 (date, steps) with the cursor on v3,
    and the coloured diff "v2 → v3: N line(s) differ" (+version: 3, +emit_event); the header
    ends with "@ mock"."""
    assert snap_compare(build_app(clock=clock), terminal_size=size, run_before=s.versions_diff)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["140x40", "80x24"])
def test_snapshot_source_yaml(snap_compare, clock, size):
    """payments/charge_card v3 as YAML with line numbers (namespace, name, version, type first;
    no created/updated), read-only; the footer offers YAML/JSON and Copy."""
    assert snap_compare(build_app(clock=clock), terminal_size=size, run_before=s.source_yaml)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["140x40", "80x24"])
def test_snapshot_resume_failed_on_latest(snap_compare, clock, size):
    """The confirmation for payments/charge_card's FAILED executions: "Resume N executions?",
    the line saying each resumes on the version shown, then per id FAILED and "ran vX →
    resumes on v3"; Cancel and the red Resume button stay visible at 80x24."""
    assert snap_compare(build_app(clock=clock, executions=2000), terminal_size=size,
                        run_before=s.resume_failed_on_latest)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["140x40", "80x24"])
def test_snapshot_version_picker(snap_compare, clock, size):
    """Resume on version from a FAILED charge_card execution's detail: "Resume on which
    definition version?", payments/charge_card named, "Latest version" highlighted above
    Version 3 (latest), Version 2, Version 1; a Cancel button."""
    assert snap_compare(build_app(clock=clock), terminal_size=size, run_before=s.version_picker)
