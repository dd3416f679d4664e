"""Flows of the execution detail screen that go beyond one execution: open the process a
SUB_PROCESS step started, open the process that started this one, and run it again with an
edited input.

- **Child** (``o``): the focused step's child (``Backend.child_of``: Conductor's
  ``subWorkflowId``; on Unmeshed the SUB_PROCESS step's output ``processId``, a choice). When the
  focused step is not one, the execution's only sub-process step is used. The child is fetched
  first: an id the server does not have is said, not opened.
- **Parent** (``p``): ``Backend.parent_of`` (Conductor's ``parentWorkflowId``). Unmeshed does not
  link a process to its parent: the key says so.
- **Rerun with a new input** (``e``): the input in the JSON editor; confirmed, a NEW execution of
  the same definition and version starts with it (``services.starting.start_process``,
  journaled), with the same correlation id, and opens. The dialog says it is a new run: no
  backend offers a rerun of the same execution with another input (Conductor's rerun from a
  step with a new step input is ``f``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from console import errors
from console.backends.base import Unsupported
from console.models import ProcessData, ProcessRequest, StepData

if TYPE_CHECKING:
    from console.tui.app import MeshdeckApp


def sub_process_step(process: ProcessData, focused: StepData | None) -> StepData | None:
    """The step whose child to open: the focused one if it is a SUB_PROCESS step, else the
    execution's only SUB_PROCESS step (None: none, or several and none focused)."""
    if focused is not None and focused.type in ("SUB_PROCESS", "SUB_WORKFLOW"):
        return focused
    subs = [s for s in process.step_records or [] if s.type in ("SUB_PROCESS", "SUB_WORKFLOW")]
    return subs[0] if len(subs) == 1 else None


def open_child(app: MeshdeckApp, process: ProcessData, focused: StepData | None) -> None:
    step = sub_process_step(process, focused)
    if step is None:
        app.notify("move to a SUB_PROCESS step first (this execution has none, or several)",
                   severity="warning")
        return
    try:
        child = app.backend.child_of(step)
    except Unsupported as exc:
        app.notify(str(exc), title="no link to the sub-process", severity="warning",
                   markup=False)
        return
    ref = step.ref or step.name or step.id
    if child is None:
        app.notify(f"step {ref} names no process it started (it may not have started one "
                   "yet)", severity="warning", markup=False)
        return

    async def check_then_open() -> None:
        try:
            await app.backend.get_process(child)
        except errors.NotFound:
            app.notify(f"step {ref} names process {child}, which this server does not have",
                       title="sub-process not found", severity="warning", markup=False)
            return
        except errors.MeshdeckError as exc:
            app.notify_error(exc, f"cannot open sub-process {child}")
            return
        app.open_process(child)

    app.run_worker(check_then_open(), group="open-child", exclusive=True, exit_on_error=False)


def open_parent(app: MeshdeckApp, process: ProcessData) -> None:
    try:
        parent = app.backend.parent_of(process)
    except Unsupported as exc:
        app.notify(str(exc), title="no link to the parent", severity="warning", markup=False)
        return
    if parent is None:
        app.notify(f"no process started {process.process_id} as a sub-process (trigger: "
                   f"{process.trigger_type or 'unknown'})", severity="warning", markup=False)
        return
    app.open_process(parent)


def start_rerun_with_input(app: MeshdeckApp, process: ProcessData) -> None:
    if app.read_only:
        app.notify("read-only mode: cannot start a process; nothing was sent",
                   severity="warning")
        return
    if not process.name:
        app.notify("this execution has no process name to start again", severity="warning")
        return
    app.run_worker(_guarded(app, rerun_with_input(app, process)), group="step-action",
                   exit_on_error=False)


async def _guarded(app: MeshdeckApp, flow) -> None:
    try:
        await flow
    except errors.OutcomeUnknown as exc:
        app.notify(f"{exc} (see the journal: J)", title="new run: no answer",
                   severity="warning", timeout=15, markup=False)
    except Exception as exc:  # noqa: BLE001 - never a traceback: tell the person, keep running
        app.notify_error(exc, "new run failed")


async def rerun_with_input(app: MeshdeckApp, process: ProcessData) -> None:
    """Edit the input, confirm, start a new execution with it, open it."""
    from console.services.starting import start_process
    from console.tui.dialogs.step_action import StepActionDialog

    what = f"{process.namespace}/{process.name}" if process.namespace else process.name
    version = f" v{process.version}" if process.version is not None else ""
    explanation = Text.assemble(
        "This starts a ", ("NEW execution", "bold"), f" of {what}{version} with the input "
        "below; ", (str(process.process_id), "bold"), " stays as it is. It keeps the "
        f"correlation id ({process.correlation_id or 'none'}) and gets a new request id.")
    answer = await app.push_screen_wait(StepActionDialog(
        f"Run {process.name} again with this input?", explanation, confirm="Start new run",
        json_label="Input of the new execution (JSON object):", json_value=process.input or {}))
    if answer is None:
        app.notify("cancelled: nothing was sent (new run)")
        return
    request = ProcessRequest(namespace=process.namespace, name=process.name,
                             version=process.version, correlation_id=process.correlation_id,
                             input=answer.value or {})
    started = await start_process(app.backend, request, journal=app.journal)
    app.notify(f"{started.process_id} started ({started.status or 'status unknown'}) with the "
               f"edited input", title="new run", markup=False)
    if started.process_id is not None:
        app.open_process(str(started.process_id))
