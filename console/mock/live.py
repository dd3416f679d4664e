"""The state of a live process (``console.mock.engine`` moves it): its definition snapshot and a
record per step it reached, in the order they began."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from console.mock.steps import STEP_ID_FACTOR

__all__ = ["DEFAULT_WAIT_SECONDS", "DONE", "STEP_ID_FACTOR", "STOPPED", "Live", "LiveStep", "retries"]

DONE = ("COMPLETED", "SKIPPED")
STOPPED = ("FAILED", "TIMED_OUT", "CANCELLED")
#: A WAIT step waits its input's ``waitSeconds``, else this many seconds.
DEFAULT_WAIT_SECONDS = 1


def retries(step_def: dict[str, Any]) -> int:
    """Retries a failing WORKER step gets: N from an ``errorPolicyName`` like ``retry_N_linear``
    (the mock's reading of the name; the real policies live on the server), else none."""
    name = str((step_def.get("configuration") or {}).get("errorPolicyName") or "")
    m = re.match(r"retry_(\d+)", name)
    return int(m.group(1)) if m else 0


@dataclass
class LiveStep:
    """One step record of a live process (a StepData on the wire, built by ``Engine.record``)."""

    idx: int
    status: str
    input: dict[str, Any]
    schedule: int
    output: dict[str, Any] = field(default_factory=dict)
    start: int = 0
    updated: int = 0
    due: int | None = None  # a WAIT ends / a rescheduled worker step goes back to its queue
    real: bool = False  # a WORKER step that waits for a real worker
    tries: int = 0  # failed attempts since the step was (re)started: the retry budget
    worker: str | None = None
    chosen: int | None = None  # SWITCH: the child that runs
    ended: bool = False  # EXIT: the process ends here
    executions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Live:
    """A live process's definition (a snapshot: a later PUT does not change a running process)
    and its step records."""

    info: dict[str, Any]
    seeded: bool
    steps: dict[int, LiveStep] = field(default_factory=dict)
    kids: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kids: dict[int, list[int]] = defaultdict(list)
        for i, (_, parent) in enumerate(self.info["flat"]):
            kids[parent].append(i)
        self.kids = dict(kids)

    def sdef(self, idx: int) -> dict[str, Any]:
        return self.info["flat"][idx][0]
