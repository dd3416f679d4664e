"""Part 2's screens for the snapshot tests and ``screenshots/make.py``: definitions, one
definition, the API call screen (an answer, a refused body), the run form, and a theme.

Each scenario is ``async def scenario(pilot)`` on an app from ``tests.tui.scenarios.build_app``
(seeded mock, frozen clock). The data dir and config file must be temporary (the tests' conftest
and make.py see to it): the API screen writes its history there.
"""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select

from tests.tui.scenarios import settle

CHARGE_CARD = "payments/charge_card"


async def goto(pilot, key: str) -> None:
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


async def select_definition_row(pilot, full: str) -> None:
    screen = pilot.app.screen
    keys = [f"{d.namespace}/{d.name}" for d in screen.shown]
    screen.query_one(DataTable).move_cursor(row=keys.index(full))
    await settle(pilot)


async def definitions_list(pilot) -> None:
    """Definitions section: every definition by namespace, cursor on payments/charge_card."""
    await goto(pilot, "f3")
    await select_definition_row(pilot, CHARGE_CARD)


async def definition_detail(pilot) -> None:
    """payments/charge_card opened: step tree, stats of the last 24 h, sparkline, config."""
    await definitions_list(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def fill_call(pilot, endpoint: str, body: str, call_type: str = "SYNC") -> None:
    screen = pilot.app.screen
    screen.query_one("#api-endpoint", Input).value = endpoint
    screen.query_one("#api-type", Select).value = call_type
    screen.query_one("#api-json").load_text(body)
    await settle(pilot)


async def api_call_answer(pilot) -> None:
    """API call section: a SYNC POST to test_process_endpoint answered, history of one call."""
    await goto(pilot, "f4")
    await fill_call(pilot, "test_process_endpoint", '{\n  "orderId": 42,\n  "note": "hi"\n}')
    await pilot.press("ctrl+s")
    await settle(pilot)


async def api_call_bad_body(pilot) -> None:
    """API call section: a body with a missing comma, refused with line 3, column 3."""
    await goto(pilot, "f4")
    await fill_call(pilot, "test_process_endpoint", '{\n  "orderId": 42\n  "note": "hi"\n}')
    await pilot.press("ctrl+s")
    await settle(pilot)


async def run_form(pilot) -> None:
    """Run section: payments/charge_card chosen, versions listed, defaultInput in the editor."""
    await goto(pilot, "f5")
    pilot.app.screen.choose("payments", "charge_card")
    await settle(pilot)


async def light_theme(pilot) -> None:
    """The definitions section in the meshdeck-light theme (a theme file from themes/)."""
    await definitions_list(pilot)


async def production_theme(pilot) -> None:
    """The executions screen in the meshdeck-production theme with a PRODUCTION banner."""
    await settle(pilot)


#: name -> (scenario, build_app keyword arguments)
SCENARIOS = {
    "definitions": (definitions_list, {}),
    "definition": (definition_detail, {"executions": 2000}),
    "api_call": (api_call_answer, {}),
    "api_call_bad_body": (api_call_bad_body, {}),
    "run": (run_form, {}),
    "theme_light": (light_theme, {"theme": "meshdeck-light"}),
    "theme_production": (production_theme, {"theme": "meshdeck-production", "banner": "PRODUCTION"}),
}

