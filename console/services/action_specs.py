"""The one table of actions: the words for each, whether it takes a reason, whether sending it
twice is harmless, its key in the console; and the one function that turns an outcome into
per-id result rows, which the CLI and the TUI both render.

Which statuses an action applies to is the backend's to say (``Backend.ACTIONS``); which actions
a backend offers likewise. Everything a person reads about an action comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.outcomes import BulkOutcome


@dataclass(frozen=True)
class ActionSpec:
    """One action meshdeck can send."""

    name: str
    #: For people: "terminate", "mark reviewed".
    verb: str
    #: "terminated", "marked reviewed".
    past: str
    #: The wire call takes a ``reason``.
    takes_reason: bool
    #: Sending it twice is harmless (a second terminate of a TERMINATED process changes nothing);
    #: False for actions that start something new (rerun): an unknown outcome is never resent.
    idempotent: bool
    #: Sent in chunks by one bulk call per chunk (else one request per id).
    bulk: bool
    #: The console's key.
    key: str
    #: One line for ``--help`` and the palette.
    summary: str
    #: Sent from the CLI as a flag of another action's command (``"restart --latest"``) rather
    #: than as a command of its own (None: ``meshdeck NAME``).
    cli: str | None = None
    #: What a confirmation must say before it is answered (an action that cannot be undone).
    warning: str | None = None


ACTIONS: dict[str, ActionSpec] = {s.name: s for s in (
    ActionSpec("terminate", "terminate", "terminated", True, True, True, "t",
               "Stop running executions (their running steps are cancelled)."),
    ActionSpec("resume", "resume", "resumed", False, True, True, "u",
               "Carry on stopped executions: retry the failed steps, then go on."),
    ActionSpec("review", "mark reviewed", "marked reviewed", True, True, True, "v",
               "Mark finished executions as reviewed (someone has looked at them)."),
    ActionSpec("pause", "pause", "paused", False, True, True, "P",
               "Pause running workflows: no new tasks are scheduled until resume."),
    ActionSpec("restart", "restart", "restarted", False, True, True, "ctrl+r",
               "Restart finished workflows from the beginning, keeping their ids."),
    ActionSpec("rerun", "rerun", "rerun started", False, False, False, "R",
               "Start executions again from the beginning with the same input."),
    # ``meshdeck resume --definition-version N | --latest-definition``: one request per id, each
    # with its own version (resumeWithVersion). Resuming twice is harmless: the second is refused.
    ActionSpec("resume_version", "resume", "resumed on the new version",
               False, True, False, "U",
               "Resume stopped executions on another version of their definition (e.g. the "
               "latest, after a fix).", cli="resume --definition-version"),
    ActionSpec("restart_latest", "restart on the latest definition",
               "restarted on the latest definition", False, True, True, "U",
               "Restart finished workflows from the beginning on their definition's latest "
               "version, keeping their ids.", cli="restart --latest"),
    ActionSpec("remove", "remove", "removed", False, True, True, "D",
               "Delete finished executions for good: they leave searches and cannot be read "
               "again.", warning="This cannot be undone: they are deleted for good, leave every "
               "search and cannot be read again."),
)}

#: Actions sent as a flag of another command (``resume --definition-version``), not as a
#: command of their own.
OPTION_ACTIONS = frozenset(name for name, s in ACTIONS.items() if s.cli is not None)

#: The results an id can have after an action (``skipped``: the action did not apply to it).
DONE, FAILED, UNKNOWN, NOT_SENT, SKIPPED = "done", "failed", "unknown", "not sent", "skipped"


def spec(action: str) -> ActionSpec:
    """The spec of ``action``; ``KeyError`` names the known ones."""
    try:
        return ACTIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r} (known: {', '.join(ACTIONS)})") from None


@dataclass
class ResultRow:
    """What happened to one id: ``result`` is done, failed, unknown, not sent or skipped."""

    id: str
    result: str
    message: str
    status: str | None = None
    #: For an action that starts a new process (rerun): its id and status.
    new_id: str | None = None
    new_status: str | None = None


def selection_rows(selection: Any, sent: list[ResultRow]) -> list[ResultRow]:
    """One row per id of ``selection`` (a ``console.services.selection.Selection``): what the
    server said (``sent``), or why it was not sent: skipped, for a status the action does not
    apply to; not sent, for an id whose status could not be read (not found, or unknown)."""
    by_id = {row.id: row for row in sent}
    rows = []
    for item in selection.items:
        row = by_id.get(item.id)
        if row is None:
            kind = SKIPPED if item.status is not None else NOT_SENT
            rows.append(ResultRow(item.id, kind, item.note, status=item.status))
        else:
            row.status = item.status
            rows.append(row)
    return rows


def retryable(row: ResultRow, action: str) -> bool:
    """Whether the row may be offered for sending again.

    Failed and not sent: yes. Unknown: only for an idempotent action (the console re-checks the
    status first); an unknown rerun may have started a process, so it is offered for a check,
    never for a resend."""
    if row.result in (FAILED, NOT_SENT):
        return True
    return row.result == UNKNOWN and spec(action).idempotent


def outcome_rows(outcome: BulkOutcome) -> list[ResultRow]:
    """One row per id of ``outcome``, in order, with a message a person can act on."""
    action = spec(outcome.action)
    why = f" ({outcome.stopped_by})" if outcome.stopped_by else ""
    rows = []
    for pid in outcome.ids:
        detail = outcome.details.get(pid)
        started = outcome.started.get(pid)
        new = None if started is None or started.process_id is None else str(started.process_id)
        if detail is not None and detail.ok:
            message = f"new execution {new}" if new else (detail.message or action.past)
            rows.append(ResultRow(pid, DONE, message, new_id=new,
                                  new_status=started.status if started is not None else None))
        elif detail is not None:
            rows.append(ResultRow(pid, FAILED, detail.error or "failed"))
        elif pid in outcome.unknown:
            check = ("look for a new execution before rerunning (meshdeck search --since 15m)"
                     if not action.idempotent else f"check with meshdeck get {pid}")
            said = f" ({outcome.notes[pid]})" if pid in outcome.notes else why
            rows.append(ResultRow(pid, UNKNOWN, "sent, but no answer said what happened: it may "
                                  f"or may not have happened; {check}{said}"))
        else:
            rows.append(ResultRow(pid, NOT_SENT, "not sent" + why))
    return rows
