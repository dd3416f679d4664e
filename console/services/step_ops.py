"""The operator actions on one step of one execution: skip a step that has not started, rerun
from a step. What they can apply to is decided here, before anything is sent, for the CLI and
the TUI alike; the backend says whether it has them at all (``IMPLEMENTS_SKIP_STEP``,
``IMPLEMENTS_RERUN_FROM_STEP``) and the server has the last word.

Conductor's rules (``WorkflowExecutorOps``): a task can be skipped only while its workflow is
RUNNING and before the task exists; a workflow is rerun from a task only once it has finished
(COMPLETED, FAILED, TIMED_OUT or TERMINATED), and the task keeps its id.
"""

from __future__ import annotations

from typing import Any

from console.backends.base import Backend
from console.models import ProcessData, ProcessDefinition, StepData, StepDefinition

#: Statuses of an execution that has ended (a rerun from a step needs one of these).
FINISHED = frozenset({"COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED", "CANCELLED", "REVIEWED"})
#: Step types never offered for a skip: a JOIN only waits for its branches (skipping it would
#: let the workflow run on before they end).
NOT_SKIPPED = frozenset({"JOIN"})


def _walk(steps: list[StepDefinition]) -> list[StepDefinition]:
    out: list[StepDefinition] = []
    for step in steps:
        out.append(step)
        out.extend(_walk(list(step.children or [])))
    return out


def skippable(process: ProcessData, definition: ProcessDefinition) -> list[StepDefinition]:
    """The steps of ``definition`` that ``process`` has not started, in definition order."""
    started = {s.ref for s in process.step_records or [] if s.ref}
    return [s for s in _walk(list(definition.steps or []))
            if s.ref and s.ref not in started and (s.type or "") not in NOT_SKIPPED]


def why_not_skip(backend: Backend, process: ProcessData) -> str | None:
    """Why no step of ``process`` can be skipped (one line), or None when some may be."""
    if not backend.IMPLEMENTS_SKIP_STEP:
        return backend.UNSUPPORTED.get("skip") or f"the {backend.KIND} backend cannot skip a step"
    if process.status != "RUNNING":
        return (f"only a step of a RUNNING execution can be skipped, before it starts (this one "
                f"is {process.status or 'of unknown status'})"
                + ("; rerun from its failed step, or resume it, instead"
                   if process.status in FINISHED else ""))
    return None


def why_not_rerun_from(backend: Backend, process: ProcessData, step: StepData | None) -> str | None:
    """Why ``process`` cannot be rerun from ``step`` (one line), or None when it can."""
    if not backend.IMPLEMENTS_RERUN_FROM_STEP:
        return (backend.UNSUPPORTED.get("rerun_from")
                or f"the {backend.KIND} backend cannot rerun from a step")
    if step is None or step.id is None:
        return "choose a step (one with an id) to rerun from"
    if process.status not in FINISHED:
        return (f"only a finished execution can be rerun from a step (this one is "
                f"{process.status or 'of unknown status'}): wait for it to end, or terminate it")
    return None


def changed_input(original: Any, edited: Any) -> dict[str, Any] | None:
    """The input to send with a rerun from a step: None when the person left it as it was (the
    server then keeps the step's own), else the edited object."""
    if not isinstance(edited, dict) or edited == (original or {}):
        return None
    return edited
