"""The destructive-action flow every screen shares (``MeshdeckApp.start_action``).

1. Read-only, or an action this backend lacks: refuse with a notification; nothing is sent.
2. A ``Selection``: each id's current status (given by the screen, else fetched) and whether the
   action applies to it (``console.services.selection``).
3. Confirm in a modal: the action, how many, the ones it cannot apply to, a reason where the API
   takes one; a confirmation that would change nothing has no confirm button. Cancel sends
   nothing. Only the ids the action applies to are sent.
4. Send in a worker with a progress bar, through the one engine (``run_action``); never retried;
   journaled in ``app.journal``. Resume on a new definition (``resume_version``): each
   execution's definition and version are fetched, a picker offers the definitions' versions (or
   each one's latest), and the confirmation lists per execution "ran v2 → resumes on v3";
   executions whose definition lacks the version are skipped with that reason.
5. Show per-id results (``outcome_rows``): "retry" offers failed and not-sent ids (and unknown
   ones of an idempotent action, whose status is checked again first); an unknown rerun is
   offered for a check, never for a resend. Then every screen gets ``ActionsDone``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.message import Message

from console.services.action_specs import ACTIONS, outcome_rows, selection_rows
from console.services.actions import run_action, unique_ids
from console.services.resume_version import ACTION as PIN
from console.services.resume_version import definition_versions, pin_versions, versions_of
from console.services.selection import Selection, by_ids

if TYPE_CHECKING:
    from console.tui.app import MeshdeckApp


#: Footer labels where an action's verb is too long for it.
SHORT = {"restart_latest": "Restart on latest"}


def action_bindings(*names: str, shown: tuple[str, ...] = ()) -> list[Binding]:
    """Key bindings ``act('NAME')`` for actions of the table, each with its key, a footer label
    and its summary as the tooltip; in the footer only when in ``shown``."""
    return [Binding(ACTIONS[n].key, f"act('{n}')", SHORT.get(n, ACTIONS[n].verb.capitalize()),
                    show=n in shown, tooltip=f"{ACTIONS[n].summary} (asks first)") for n in names]


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


def start_selection(app: MeshdeckApp, selection: Selection, *,
                    empty: str = "nothing selected") -> None:
    """Begin the flow with a selection already made (e.g. every match of a query); ``empty``:
    what to say when it holds nothing."""
    if refused(app, selection.action):
        return
    if not selection.items:
        app.notify(empty, severity="warning", markup=False)
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
        if action == PIN:  # the definition and version each ran: always fetched
            statuses = {}
        missing = sum(1 for i in ids if statuses.get(i) is None)
        if missing:
            app.notify(f"checking the status of {missing:,} execution"
                       f"{'s' if missing > 1 else ''}…", timeout=3)
        selection = await by_ids(app.backend, action, ids, statuses)
        if action == PIN and not await _pick_version(app, selection):
            app.notify("cancelled: nothing was sent (resume on a new definition)")
            return
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
                                   versions=versions_of(selection) if action == PIN else None,
                                   on_progress=progress.advance_to, journal=app.journal)
    finally:
        progress.dismiss()
    rows = selection_rows(selection, outcome_rows(outcome))
    await app.push_screen(ResultsScreen(action, rows, sent_at))
    for screen in list(app.screen_stack):
        screen.post_message(ActionsDone(action, send, outcome.unknown))


async def _pick_version(app: MeshdeckApp, selection: Selection) -> bool:
    """Ask which version to resume on (from the definitions' versions), then pin each id to it.
    False when the person cancelled."""
    from console.tui.dialogs.version_picker import VersionPicker

    keys = {(i.namespace, i.name) for i in selection.items if i.applies and i.namespace and i.name}
    found = await definition_versions(app.backend, keys)  # type: ignore[arg-type]
    versions = sorted({v for vs in found.values() if isinstance(vs, list) for v in vs})
    choice = await app.push_screen_wait(VersionPicker(sorted(keys), versions))  # type: ignore[arg-type]
    if choice is None:
        return False
    await pin_versions(app.backend, selection, choice.version)
    return True


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
