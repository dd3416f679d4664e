"""Scenarios of the definitions-as-code views for snapshots and pilot tests: a definition's
versions with a diff, the definition as YAML, resuming its FAILED executions on the latest
version, and the version picker of "resume on version" on the executions screen.

Each is ``async def scenario(pilot)`` on an app from ``tests.tui.scenarios.build_app``.
"""

from __future__ import annotations

from tests.tui.part2_scenarios import CHARGE_CARD, definition_detail, settle


async def press(pilot, *keys: str) -> None:
    """Press ``keys``, let the app settle, and clear the toasts: a toast expires in real time,
    so whether it is still shown would depend on how loaded the machine is."""
    await pilot.press(*keys)
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def versions_diff(pilot) -> None:
    """payments/charge_card's versions, the cursor on v3: the diff v2 → v3."""
    await definition_detail(pilot)
    await press(pilot, "V")


async def source_yaml(pilot) -> None:
    """payments/charge_card v3 as YAML in the read-only viewer."""
    await definition_detail(pilot)
    await press(pilot, "y")


async def resume_failed_on_latest(pilot) -> None:
    """F on payments/charge_card: the confirmation listing each FAILED execution with the
    version it ran and v3."""
    await definition_detail(pilot)
    await press(pilot, "F")


def newest_failed(store, name: str = "charge_card") -> int:
    """The newest FAILED execution of ``name`` in the mock's store."""
    return max(pid for pid, p in store.processes.items()
               if p["status"] == "FAILED" and p["name"] == name)


async def version_picker(pilot) -> None:
    """The newest FAILED payments/charge_card execution opened, U: the version picker."""
    await settle(pilot)
    pilot.app.open_process(str(newest_failed(pilot.app.mock_app.state.store)))
    await settle(pilot)
    await press(pilot, "U")


__all__ = ["CHARGE_CARD", "definition_detail", "press", "resume_failed_on_latest",
           "source_yaml", "version_picker", "versions_diff"]
