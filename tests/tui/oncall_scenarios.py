"""The on-call screens for the snapshot tests (``test_oncall_snapshots.py``) and
``screenshots/make.py``: failure groups, compare, the query line, saving a view, the journal,
a switched server, the wide table with its error and progress columns, a running execution.

Each scenario is ``async def scenario(pilot)`` on an app from ``tests.tui.scenarios.build_app``
(seeded mock, frozen clock); the config file and data dir are temporary (the tests' conftest and
make.py see to it). Toasts are cleared before the picture: they expire in real time.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Input

from tests.tui.scenarios import settle

#: A config file with two profiles for the server switch.
PROFILES = """
[profiles.staging]
base_url = "http://staging.example.com"
port = 8080
client_id = "ops"
token = "staging-token"
read_only = true
banner = "STAGING (read-only)"

[profiles.prod]
base_url = "https://orch.example.com"
client_id = "ops"
token = "prod-token"
"""


async def quiet(pilot) -> None:
    await settle(pilot)
    pilot.app.clear_notifications()
    await settle(pilot)


async def failure_groups(pilot) -> None:
    """A week of failures grouped, the cursor on the second group."""
    await settle(pilot)
    await pilot.press("w")  # 7d
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)
    await pilot.press("down")
    await quiet(pilot)


async def compare(pilot) -> None:
    """The newest COMPLETED and the newest FAILED create_order side by side."""
    await settle(pilot)
    await pilot.press("w")  # 7d
    await settle(pilot)
    screen = pilot.app.screen
    rows = [r for r in screen.table.rows if r.name == "create_order"]
    pair = [next(r for r in rows if r.status == s) for s in ("COMPLETED", "FAILED")]
    screen.table.set_marks([str(r.process_id) for r in pair])
    screen.table.move_to(screen.table.rows.index(pair[0]))
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    await pilot.press("down", "down")
    await quiet(pilot)


def typed_query(line: str):
    """A scenario: ``:``, ``line`` typed, enter."""

    async def scenario(pilot) -> None:
        await settle(pilot)
        await pilot.press("colon")
        await settle(pilot)
        pilot.app.screen.query_one("#q-input", Input).value = line
        await pilot.press("enter")
        await quiet(pilot)

    return scenario


#: The query line with an unclosed quote, refused in red.
query_line_error = typed_query('status:FAILED name:create_order since:2h text:"gateway')
#: A query line applied: the widgets and the status facets show it.
query_line_applied = typed_query(
    "status:FAILED,TIMED_OUT since:7d name:create_order,charge_card tag:env:prod")


async def save_view(pilot) -> None:
    """ctrl+s after choosing FAILED in the last hour: the name dialog, a name typed."""
    await settle(pilot)
    await pilot.press("3", "W")  # FAILED, 1h
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press(*"failing-1h")
    await quiet(pilot)


async def send(pilot, action: str, ids: list[str], reason: str = "") -> None:
    """``action`` on ``ids`` through the shared flow: confirmed (with ``reason``), the results
    closed."""
    from console.tui.dialogs.confirm import ConfirmAction

    pilot.app.start_action(action, ids)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmAction)
    if reason:
        pilot.app.screen.query_one("#reason", Input).value = reason
    await pilot.click("#confirm")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)


async def journal(pilot) -> None:
    """Two actions sent, then the journal (J): newest first, the first entry in full."""
    app = pilot.app
    app.journal.user = "jane"  # not the machine's own user: the picture is the same anywhere
    await settle(pilot)
    rows = [str(r.process_id) for r in app.screen.table.rows if r.status == "FAILED"]
    await send(pilot, "review", rows[:1], "known: stripe outage")
    await send(pilot, "resume", rows[1:3])
    await pilot.press("J")
    await quiet(pilot)


async def server_switched(pilot) -> None:
    """The palette's "Server: staging" chosen: the header says the host and profile, the
    read-only banner is on."""
    import httpx

    from console.backends import registry
    from console.config import load_settings

    app = pilot.app
    Path(os.environ["MESHDECK_CONFIG"]).write_text(PROFILES)

    def connect(name: str):
        settings = load_settings(name)
        return registry.kind(settings.backend).client_class().from_settings(
            settings, transport=httpx.ASGITransport(app=app.mock_app)), settings

    app.connect = connect
    await settle(pilot)
    [command] = [c for c in app.palette_commands() if c.name == "Server: staging"]
    command.run()
    await quiet(pilot)


async def wide_table(pilot) -> None:
    """The RUNNING, FAILED and TIMED_OUT executions (keys 1, 3, 4): on a wide terminal, the
    error and progress columns."""
    await settle(pilot)
    for key in "134":
        await pilot.press(key)
        await settle(pilot)
    await quiet(pilot)


async def running_detail(pilot) -> None:
    """The newest RUNNING execution opened: the live line with its progress."""
    app = pilot.app
    await settle(pilot)
    store = app.mock_app.state.store
    app.open_process(str(max(p for p, r in store.processes.items() if r["status"] == "RUNNING")))
    await quiet(pilot)


#: name -> (scenario, build_app keyword arguments), for screenshots/make.py.
SCENARIOS = {
    "failure_groups": (failure_groups, {"executions": 3000}),
    "diff": (compare, {"executions": 3000}),
    "query_line": (query_line_applied, {"executions": 3000}),
    "journal": (journal, {}),
}
