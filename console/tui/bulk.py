"""The destructive-action flow every screen shares (``MeshdeckApp.start_action``).

1. Read-only, or an action this backend lacks: refuse with a notification; nothing is sent.
2. A ``Selection``: each id's current status (given by the screen, else fetched) and whether the
   action applies to it (``console.services.selection``).
3. Confirm in a modal: the action, how many, the ones it cannot apply to, a reason where the API
   takes one; a confirmation that would change nothing has no confirm button. Cancel sends
   nothing. Only the ids the action applies to are sent.
4. Send in a worker with a progress bar, through the one engine (``run_action``); never retried;
   journaled in ``app.journal``.
5. Show per-id results (``outcome_rows``): "retry" offers failed and not-sent ids (and unknown
   ones of an idempotent action, whose status is checked again first); an unknown rerun is
   offered for a check, never for a resend. Then every screen gets ``ActionsDone``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from console.services.action_specs import ACTIONS, SKIPPED, ResultRow, outcome_rows
from console.services.actions import run_action, unique_ids
from console.services.selection import Selection, by_ids

if TYPE_CHECKING:
    from console.tui.app import MeshdeckApp


class ActionsDone(Message):
    """Posted to every screen on the stack after an action was sent (refresh your data).

    ``unknown`` holds the ids whose new status could not be read from the answer: a screen shows
    them as stale until its next successful refresh."""

    def __init__(self, action: str, ids: list[str], unknown: list[str] | None = None) -> None:
        super().__init__()
        self.action, self.ids, self.unknown = action, ids, list(unknown or [])


def refuse_read_only(app: MeshdeckApp, action: str) -> None:
    app.notify(f"read-only mode: cannot {ACTIONS[action].verb}; nothing was sent",
               severity="warning")


def refused(app: MeshdeckApp, action: str) -> bool:
    """Tell the person why ``action`` cannot be sent here (True), or say nothing (False)."""
    if action not in ACTIONS:
        app.notify(f"unknown action {action!r}", severity="error")
        return True
    if app.read_only:
        refuse_read_only(app, action)
        return True
    why = app.backend.unsupported(action)
    if why:
        app.notify(why, title=f"cannot {ACTIONS[action].verb} here", severity="warning")
        return True
    return False


def start(app: MeshdeckApp, action: str, ids: Sequence[str],
          statuses: dict[str, str | None] | None = None, not_shown: Sequence[str] = ()) -> None:
    """Begin the flow for ``action`` on ``ids`` (see the module docstring); ``not_shown`` are
    those not on the screen (marked on another page): the confirmation counts them apart."""
    if refused(app, action):
        return
    targets = unique_ids(ids)
    if not targets:
        app.notify("nothing selected", severity="warning")
        return
    app.run_worker(_flow(app, action, targets, dict(statuses or {}), None, set(not_shown)),
                   group="bulk", name=f"{action} {len(targets)}", exit_on_error=False)


def start_selection(app: MeshdeckApp, selection: Selection) -> None:
    """Begin the flow with a selection already made (e.g. every match of a query)."""
    if refused(app, selection.action):
        return
    if not selection.items:
        app.notify("nothing selected", severity="warning")
        return
    app.run_worker(_flow(app, selection.action, [], {}, selection), group="bulk",
                   name=f"{selection.action} {len(selection.items)}", exit_on_error=False)


async def _flow(app: MeshdeckApp, action: str, ids: list[str],
                statuses: dict[str, str | None], selection: Selection | None,
                not_shown: set[str] | None = None) -> None:
    try:
        await _run(app, action, ids, statuses, selection, not_shown or set())
    except Exception as exc:  # noqa: BLE001 - never a traceback: tell the person, keep running
        app.notify_error(exc, f"{ACTIONS[action].verb} failed")


async def _run(app: MeshdeckApp, action: str, ids: list[str], statuses: dict[str, str | None],
               selection: Selection | None, not_shown: set[str]) -> None:
    from console.tui.dialogs.confirm import ConfirmAction
    from console.tui.dialogs.progress import ProgressScreen
    from console.tui.dialogs.results import ResultsScreen

    if selection is None:
        missing = sum(1 for i in ids if statuses.get(i) is None)
        if missing:
            app.notify(f"checking the status of {missing:,} execution"
                       f"{'s' if missing > 1 else ''}…", timeout=3)
        selection = await by_ids(app.backend, action, ids, statuses)
    answer = await app.push_screen_wait(ConfirmAction(selection, not_shown))
    if answer is None:
        app.notify(f"cancelled: nothing was sent ({ACTIONS[action].verb})")
        return
    send = selection.to_send
    sent_at = app.now_ms()
    progress = ProgressScreen(action, len(send))
    await app.push_screen(progress)
    try:
        outcome = await run_action(app.backend, action, send, reason=answer.reason or None,
                                   on_progress=progress.advance_to, journal=app.journal)
    finally:
        progress.dismiss()
    rows = result_rows(selection, outcome_rows(outcome))
    await app.push_screen(ResultsScreen(action, rows, sent_at))
    for screen in list(app.screen_stack):
        screen.post_message(ActionsDone(action, send, outcome.unknown))


def result_rows(selection: Selection, sent: list[ResultRow]) -> list[ResultRow]:
    """One row per id asked for: what the server said, or why it was skipped."""
    by_id = {row.id: row for row in sent}
    rows = []
    for item in selection.items:
        row = by_id.get(item.id)
        if row is None:
            rows.append(ResultRow(item.id, SKIPPED, item.note, status=item.status))
        else:
            row.status = item.status
            rows.append(row)
    return rows


async def check_unknown(app: MeshdeckApp, ids: list[str], since_ms: int) -> None:
    """Unknown reruns: say per id whether a new execution with the same input has appeared."""
    from console.services.actions import look_for_started

    try:
        found = await look_for_started(app.backend, ids, since_ms)
    except Exception as exc:  # noqa: BLE001 - a notification, never a traceback
        app.notify_error(exc, "cannot check the unknown reruns")
        return
    lines = [f"{pid}: started {', '.join(new)}" if new else f"{pid}: nothing new found"
             for pid, new in found.items()]
    started = sum(1 for new in found.values() if new)
    app.notify("\n".join(lines[:10]) + (f"\n… and {len(lines) - 10} more" if len(lines) > 10 else ""),
               title=f"{started} of {len(found)} unknown reruns started an execution",
               timeout=15, markup=False)
