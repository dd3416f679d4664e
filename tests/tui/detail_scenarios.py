"""The execution detail and step screens for ``screenshots/make.py`` (the snapshot tests in
``test_detail_snapshots.py`` drive the same screens): a seeded FAILED process with a nested
failed step, opened, then the tab or key each picture needs."""

from __future__ import annotations

from tests.tui.scenarios import settle
from tests.tui.test_detail import failed_with_nested_step
from tests.tui.test_detail_snapshots import failed_with_nested_input


def opened(*keys: str, nested_input: bool = False):
    async def scenario(pilot) -> None:
        app = pilot.app
        pid = failed_with_nested_input(app) if nested_input else failed_with_nested_step(app)[0]
        await settle(pilot)
        app.open_process(pid)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return scenario


SCENARIOS = {
    "detail": (opened(), {}),
    "detail_timeline": (opened("2"), {}),
    "detail_json": (opened("3", nested_input=True), {}),
    "detail_raw_json": (opened("4", "f"), {}),
    "step": (opened("enter"), {}),
}
