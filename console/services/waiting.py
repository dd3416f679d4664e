"""Steps waiting for a worker, in words both the CLI and the TUI use.

A WORKER step that is still SCHEDULED while its process runs has not been taken by any worker:
no worker polls its queue (its namespace and name), or they are all busy. ``meshdeck get`` and
the execution screen say so in the same words:

    waiting for a worker on `dev_step` since 2m
"""

from __future__ import annotations

from datetime import datetime

from console.format import age
from console.models import ProcessData, StepData


def waiting_steps(process: ProcessData) -> list[StepData]:
    """The WORKER steps of a RUNNING process that no worker has taken yet."""
    if process.status != "RUNNING":
        return []
    return [s for s in process.step_records or [] if s.type == "WORKER" and s.status == "SCHEDULED"]


def waiting_since(step: StepData) -> int | None:
    """When the step last went into its queue (its latest attempt was scheduled)."""
    attempts = [a.scheduled for a in step.execution_list or [] if a.scheduled]
    return attempts[-1] if attempts else (step.schedule or step.updated)


def waiting_message(step: StepData, now: datetime | None = None) -> str:
    """``waiting for a worker on `dev_step` since 2m``: the queue a worker must poll (its
    namespace too, unless ``default``); the step's ref follows when it differs from the name."""
    name = step.name or step.ref or f"step {step.id}"
    queue = f"{step.namespace}/{name}" if step.namespace and step.namespace != "default" else name
    since = waiting_since(step)
    text = f"waiting for a worker on `{queue}`" + (f" since {age(since, now)}" if since else "")
    return text + (f" (step {step.ref})" if step.ref and step.ref != name else "")


def waiting_messages(process: ProcessData, now: datetime | None = None) -> list[str]:
    return [waiting_message(s, now) for s in waiting_steps(process)]
