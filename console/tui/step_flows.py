"""The flows of the actions on one step (skip a step, rerun from a step), shared by the execution
detail and the step screens, as ``console.tui.bulk`` is for actions on many ids.

1. Refuse with a notification what cannot happen here: read-only, a backend without the
   feature, a status the server would refuse (``console.services.step_ops``); nothing is sent.
2. Confirm in ``StepActionDialog``: the steps to choose from, the JSON that will be sent.
3. Send once, never again by itself (a lost answer is said as unknown), say what happened, and
   post ``ActionsDone`` to every screen on the stack so they fetch the execution again.

Start them with ``start_skip`` / ``start_rerun_from`` (a worker: the dialog is awaited).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from console import errors
from console.models import ProcessData, StepData
from console.services import step_ops
from console.tui.bulk import ActionsDone

if TYPE_CHECKING:
    from console.tui.app import MeshdeckApp


def _refused(app: MeshdeckApp, verb: str, why: str | None) -> bool:
    if app.read_only:
        app.notify(f"read-only mode: cannot {verb}; nothing was sent", severity="warning")
        return True
    if why:
        app.notify(why, title=f"cannot {verb} here", severity="warning", markup=False)
        return True
    return False


def _done(app: MeshdeckApp, action: str, pid: str) -> None:
    for screen in list(app.screen_stack):
        screen.post_message(ActionsDone(action, [pid]))


def start_skip(app: MeshdeckApp, process: ProcessData) -> None:
    if _refused(app, "skip a step", step_ops.why_not_skip(app.backend, process)):
        return
    app.run_worker(_guarded(app, "skip", skip(app, process)), group="step-action",
                   exit_on_error=False)


def start_rerun_from(app: MeshdeckApp, process: ProcessData, step: StepData | None) -> None:
    if _refused(app, "rerun from a step", step_ops.why_not_rerun_from(app.backend, process, step)):
        return
    assert step is not None
    app.run_worker(_guarded(app, "rerun from the step", rerun_from(app, process, step)),
                   group="step-action", exit_on_error=False)


async def _guarded(app: MeshdeckApp, what: str, flow) -> None:
    try:
        await flow
    except errors.OutcomeUnknown as exc:
        app.notify(f"{exc}", title=f"{what}: no answer", severity="warning", timeout=15,
                   markup=False)
    except Exception as exc:  # noqa: BLE001 - never a traceback: tell the person, keep running
        app.notify_error(exc, f"{what} failed")


async def skip(app: MeshdeckApp, process: ProcessData) -> None:
    """Choose a step that has not started, confirm (with the output it hands on), skip it."""
    from console.tui.dialogs.step_action import StepActionDialog

    pid = str(process.process_id)
    definition = await app.backend.get_definition(process.namespace or "", process.name or "",
                                                  process.version)
    steps = step_ops.skippable(process, definition)
    if not steps:
        app.notify("every step of this execution has started: nothing is left to skip",
                   severity="warning")
        return
    choices = [(s.ref or "", f"{s.ref}  ({s.type or '?'}"
                + (f", {s.name}" if s.name and s.name != s.ref else "") + ")") for s in steps]
    explanation = Text.assemble(
        "The step you choose (of those not started yet) will not run: it ends ",
        ("SKIPPED", "bold"), " with the output below and the execution goes on without it.")
    answer = await app.push_screen_wait(StepActionDialog(
        f"Skip a step of {process.name} {pid}?", explanation, confirm="Skip step", choices=choices,
        json_label="Output of the skipped step (JSON object; {} for none):", json_value={}))
    if answer is None or answer.ref is None:
        app.notify("cancelled: nothing was sent (skip)")
        return
    try:
        await app.backend.skip_step(pid, answer.ref, step_output=answer.value or None)
    finally:
        _done(app, "skip", pid)
    app.notify(f"{answer.ref} will not run: it is SKIPPED in {pid}", title="step skipped",
               markup=False)


async def rerun_from(app: MeshdeckApp, process: ProcessData, step: StepData) -> None:
    """Confirm (with the step's input, editable), then run the execution again from ``step``."""
    from console.tui.dialogs.step_action import StepActionDialog

    pid, ref = str(process.process_id), step.ref or str(step.id)
    explanation = Text.assemble(
        f"{process.name} {pid} ({process.status}) runs again from step ", (ref, "bold"),
        ": the steps before it keep their results; it and every step after it run again, in "
        "the same execution. Change the input below to send the step a new one.")
    answer = await app.push_screen_wait(StepActionDialog(
        f"Rerun from step {ref}?", explanation, confirm=f"Rerun from {ref}"[:30],
        json_label=f"Input of {ref} (JSON object):", json_value=step.input or {}))
    if answer is None:
        app.notify("cancelled: nothing was sent (rerun from a step)")
        return
    new_input = step_ops.changed_input(step.input, answer.value)
    try:
        again = await app.backend.rerun_from_step(pid, str(step.id), new_input)
    finally:
        _done(app, "rerun_from", pid)
    app.notify(f"{pid} runs again from {ref} (now {again.status or 'unknown'})"
               + (" with the edited input" if new_input is not None else ""),
               title="rerun from a step", markup=False)
