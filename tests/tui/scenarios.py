"""The screens the snapshot tests check and ``screenshots/make.py`` saves, set up once.

Each scenario is ``async def scenario(pilot)``: it drives a freshly built app (seeded mock,
frozen clock) to the screen it names. ``build_app`` makes that app without pytest.
"""

from __future__ import annotations

from typing import Any

from console.mock.clock import FROZEN_NOW_MS, FakeClock

SIZE = (140, 40)


async def settle(pilot, rounds: int = 3) -> None:
    """Workers done (except an action flow waiting for the user), messages processed."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        others = [w for w in app.workers if w.group != "bulk" and not w.is_finished]
        if others:  # (an empty list would mean "all workers")
            await app.workers.wait_for_complete(others)
        # The bulk flow waits for the user in its confirm modal: wait for it to get there
        # (or finish), never for the user.
        for _ in range(250):
            flows = [w for w in app.workers if w.group == "bulk" and not w.is_finished]
            if not flows or (app.screen.is_modal
                             and type(app.screen).__name__ != "ProgressScreen"):
                break
            await pilot.pause(0.02)
    await pilot.pause()


def build_app(*, executions: int = 300, seed: int = 7, read_only: bool = False,
              banner: str | None = None, clock: Any = None, theme: str | None = None):
    """A MeshdeckApp over an in-process seeded mock; the mock app is on ``app.mock_app``."""
    from console.connect import open_backend
    from console.config import load_settings
    from console.mock.app import create_app
    from console.tui.app import MeshdeckApp

    clock = clock or FakeClock(FROZEN_NOW_MS)
    settings = load_settings(overrides={
        "client_id": "meshdeck-test", "token": "test-token",
        "read_only": True if read_only else None, "banner": banner}, env={})
    mock_app = create_app(seed=seed, executions=executions, clock=clock)
    app = MeshdeckApp(open_backend(settings, mock_app=mock_app), settings, clock=clock,
                      theme=theme)
    app.mock_app = mock_app
    return app


def pressing(*steps: tuple[str, ...] | str):
    """A scenario: settle, then each step (keys to press, or a "#id" to click), settling after
    each one."""

    async def scenario(pilot) -> None:
        await settle(pilot)
        for step in steps:
            if isinstance(step, str):
                await pilot.click(step)
            else:
                await pilot.press(*step)
            await settle(pilot)

    return scenario


async def executions_marked(pilot) -> None:
    """Executions screen, first page, two rows marked, the cursor on the fourth row."""
    await settle(pilot)
    await pilot.press("down", "space", "space", "down")
    await settle(pilot)


async def _mixed_resume(pilot) -> None:
    await settle(pilot)
    table = pilot.app.screen.table
    picks = [next(p for p in table.rows if p.status == s) for s in ("FAILED", "TIMED_OUT",
                                                                      "COMPLETED", "RUNNING")]
    table.set_marks([str(p.process_id) for p in picks])
    await pilot.press("u")
    await settle(pilot)


async def confirm_modal(pilot) -> None:
    """Confirm modal for resume of 4 executions: 2 will be sent, 2 are skipped with reasons."""
    await _mixed_resume(pilot)


async def results_panel(pilot) -> None:
    """Results of that resume: 2 done, 2 skipped (COMPLETED, RUNNING)."""
    await _mixed_resume(pilot)
    await pilot.click("#confirm")
    await settle(pilot)


async def help_screen(pilot) -> None:
    """Help over the executions screen: every key with what it does."""
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


#: name -> (scenario, build_app keyword arguments)
SCENARIOS = {
    "executions": (executions_marked, {"banner": "PRODUCTION"}),
    "confirm": (confirm_modal, {}),
    "results": (results_panel, {}),
    "help": (help_screen, {}),
}
