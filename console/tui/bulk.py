"""The destructive-action flow every screen shares (``MeshdeckApp.start_action``).

1. Read-only: refuse with a notification; nothing is sent.
2. Know each id's current status (given by the screen, else fetched with ``services.actions.plan``)
   and which ids the action cannot apply to.
3. Confirm in a modal: the action, how many, the ones it cannot apply to, a reason where the API
   takes one. Cancel sends nothing. Only the ids the action applies to are sent.
4. Send in a worker with a progress bar (``run_bulk`` / ``rerun_many``); never retried.
5. Show per-id results, with "retry the failed ones" (which starts at step 2 again) and
   "copy failed ids"; then every screen gets ``ActionsDone`` so it can refresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from console.services.actions import (
    ACTION_VERBS,
    PlanItem,
    plan,
    plan_for,
    rerun_many,
    run_bulk,
    unique_ids,
)

if TYPE_CHECKING:
    from console.outcomes import BulkOutcome
    from console.services.actions import RerunResult
    from console.tui.app import MeshdeckApp

#: The actions that change executions; hidden and refused in read-only mode.
DESTRUCTIVE = tuple(ACTION_VERBS)
PAST = {"terminate": "terminated", "resume": "resumed", "review": "marked reviewed",
        "rerun": "rerun started"}


class ActionsDone(Message):
    """Posted to every screen on the stack after an action was sent (refresh your data)."""

    def __init__(self, action: str, ids: list[str]) -> None:
        super().__init__()
        self.action, self.ids = action, ids


@dataclass
class ResultRow:
    """What happened to one id: ``outcome`` is done, failed, skipped, unknown or not sent."""

    id: str
    status: str | None
    outcome: str
    message: str

    @property
    def retryable(self) -> bool:
        return self.outcome in ("failed", "unknown", "not sent")


def refuse_read_only(app: MeshdeckApp, action: str) -> None:
    app.notify(f"read-only mode: cannot {ACTION_VERBS[action]}; nothing was sent",
               severity="warning")


def start(app: MeshdeckApp, action: str, ids: Sequence[str],
          statuses: dict[str, str | None] | None = None) -> None:
    """Begin the flow for ``action`` on ``ids`` (see the module docstring)."""
    if action not in ACTION_VERBS:
        app.notify(f"unknown action {action!r}", severity="error")
        return
    if app.read_only:
        refuse_read_only(app, action)
        return
    from console.backend import unsupported

    why = unsupported(app.backend, action)
    if why:
        app.notify(why, title=f"cannot {ACTION_VERBS[action]} here", severity="warning")
        return
    targets = unique_ids(ids)
    if not targets:
        app.notify("nothing selected", severity="warning")
        return
    app.run_worker(_flow(app, action, targets, dict(statuses or {})), group="bulk",
                   name=f"{action} {len(targets)}", exit_on_error=False)


async def _flow(app: MeshdeckApp, action: str, ids: list[str],
                statuses: dict[str, str | None]) -> None:
    try:
        await _run(app, action, ids, statuses)
    except Exception as exc:  # never a traceback: tell the person, keep the app running
        app.notify_error(exc, f"{ACTION_VERBS[action]} failed")


async def _run(app: MeshdeckApp, action: str, ids: list[str],
               statuses: dict[str, str | None]) -> None:
    from console.tui.dialogs.confirm import ConfirmAction
    from console.tui.dialogs.progress import ProgressScreen
    from console.tui.dialogs.results import ResultsScreen

    items = await plan_items(app, action, ids, statuses)
    answer = await app.push_screen_wait(ConfirmAction(action, items))
    if answer is None:
        app.notify(f"cancelled: nothing was sent ({ACTION_VERBS[action]})")
        return
    send = [item.id for item in items if item.applies]
    progress = ProgressScreen(action, len(send))
    await app.push_screen(progress)
    try:
        if action == "rerun":
            reruns = await rerun_many(app.backend, send, on_progress=progress.advance_to)
            sent = rerun_rows(reruns)
        else:
            outcome = await run_bulk(app.backend, action, send, reason=answer.reason or None,
                                     on_progress=progress.advance_to)
            sent = outcome_rows(outcome)
    finally:
        progress.dismiss()
    rows = merge_rows(items, sent)
    await app.push_screen(ResultsScreen(action, rows))
    for screen in list(app.screen_stack):
        screen.post_message(ActionsDone(action, send))


async def plan_items(app: MeshdeckApp, action: str, ids: list[str],
                     statuses: dict[str, str | None]) -> list[PlanItem]:
    """A plan per id, in order; statuses not given are fetched from the server."""
    missing = [i for i in ids if statuses.get(i) is None]
    fetched: dict[str, PlanItem] = {}
    if missing:
        app.notify(f"checking the status of {len(missing):,} execution"
                   f"{'s' if len(missing) > 1 else ''}…", timeout=3)
        fetched = {item.id: item for item in await plan(app.backend, action, missing)}
    return [fetched[i] if i in fetched else plan_for(action, i, statuses[i], app.backend)
            for i in ids]


def outcome_rows(outcome: BulkOutcome) -> dict[str, ResultRow]:
    rows: dict[str, ResultRow] = {}
    past = PAST[outcome.action]
    for pid in outcome.ids:
        detail = outcome.details.get(pid)
        if detail is not None and detail.ok:
            rows[pid] = ResultRow(pid, None, "done", detail.message or past)
        elif detail is not None:
            rows[pid] = ResultRow(pid, None, "failed", detail.error or "failed")
        elif pid in outcome.unknown:
            rows[pid] = ResultRow(pid, None, "unknown", "no answer: it may or may not have "
                                  f"happened ({outcome.stopped_by or 'interrupted'})")
        else:
            rows[pid] = ResultRow(pid, None, "not sent", "not sent: an earlier chunk failed"
                                  + (f" ({outcome.stopped_by})" if outcome.stopped_by else ""))
    return rows


def rerun_rows(results: list[RerunResult]) -> dict[str, ResultRow]:
    rows: dict[str, ResultRow] = {}
    for result in results:
        if result.result == "done":
            new = result.new_process.process_id
            rows[result.id] = ResultRow(result.id, None, "done", f"new execution {new}")
        elif result.unknown:
            rows[result.id] = ResultRow(result.id, None, "unknown", result.error or "no answer")
        else:
            rows[result.id] = ResultRow(result.id, None, "failed", result.error or "failed")
    return rows


def merge_rows(items: list[PlanItem], sent: dict[str, ResultRow]) -> list[ResultRow]:
    """One row per id asked for: what the server said, or why it was skipped."""
    rows = []
    for item in items:
        row = sent.get(item.id)
        if row is None:
            rows.append(ResultRow(item.id, item.status, "skipped", item.note))
        else:
            row.status = item.status
            rows.append(row)
    return rows
