"""Conductor-shaped ids for the mock's workflows, tasks and sub-workflows, computed, never stored.

Every id is UUID-shaped text whose first 8 hex digits are the store's process id, so an id
leads back to its process without a lookup table:

    workflow       000f4268-0000-4xxx-yxxx-xxxxxxxxxxxx   (second group 0000)
    task           000f4268-TTTT-4xxx-...   TTTT = gen<<12 | attempt<<7 | (step index + 1)
    sub-workflow   000f4268-CCCC-4xxx-...   CCCC = 0x8000 | TTTT of the SUB_WORKFLOW task

``attempt`` counts the tasks Conductor keeps for one reference name (a retry appends one with
a new id); ``gen`` counts how often the task list was rebuilt from scratch at that step
(restart, rerun): Conductor gives the rebuilt tasks new ids (counted modulo 8: only one
generation's tasks exist at a time). The rest of the id is a hash of
all of this, so a made-up id is refused (``parse_*`` -> None). Attempt 0 of generation 0 has
the same id the mock always gave a task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: At most this many tasks of one reference name (Conductor keeps every retried attempt).
MAX_ATTEMPTS = 31
#: The attempt number the JOIN that follows a FORK uses (a JOIN is never retried as a copy).
JOIN_ATTEMPT = 31
_CHILD = 0x8000
_ID = re.compile(r"^([0-9a-f]{8})-([0-9a-f]{4})-4([0-9a-f]{3})-([89ab][0-9a-f]{3})-([0-9a-f]{12})$")


@dataclass(frozen=True)
class TaskKey:
    """What a task id encodes: its process, step index, attempt and generation."""

    pid: int
    idx: int
    attempt: int = 0
    gen: int = 0

    @property
    def code(self) -> int:
        return (self.gen % 8) << 12 | self.attempt << 7 | (self.idx + 1)


def _tail(pid: int, salt: int) -> tuple[int, int, int]:
    h = (pid * 2_654_435_761 + salt * 40_503 + 97) & 0xFFFF_FFFF_FFFF
    return (h >> 20) & 0xFFF, 0x8000 | (h & 0x3FFF), h


def _uuid(pid: int, group: int, salt: int) -> str:
    a, b, c = _tail(pid, salt)
    return f"{pid:08x}-{group:04x}-4{a:03x}-{b:04x}-{c:012x}"


def workflow_id(pid: int) -> str:
    return _uuid(pid, 0, 0xFFFF)


def task_id(pid: int, idx: int, attempt: int = 0, gen: int = 0) -> str:
    key = TaskKey(pid, idx, attempt, gen)
    salt = idx if key.code == idx + 1 else 0x1_0000 + key.code
    return _uuid(pid, key.code, salt)


def child_id(pid: int, idx: int, attempt: int = 0, gen: int = 0) -> str:
    """The id of the sub-workflow a SUB_WORKFLOW task (this attempt of it) started."""
    code = _CHILD | TaskKey(pid, idx, attempt, gen).code
    return _uuid(pid, code, 0x2_0000 + code)


def _match(text: Any) -> tuple[int, int] | None:
    m = _ID.match(str(text).strip().lower())
    return (int(m.group(1), 16), int(m.group(2), 16)) if m else None


def _key(pid: int, code: int) -> TaskKey:
    return TaskKey(pid, (code & 0x7F) - 1, (code >> 7) & 0x1F, (code >> 12) & 0x7)


def parse_workflow_id(text: Any) -> int | None:
    """The process id of a top-level workflow id, else None."""
    found = _match(text)
    if found is None or found[1] != 0:
        return None
    return found[0] if workflow_id(found[0]) == str(text).strip().lower() else None


def parse_task_id(text: Any) -> TaskKey | None:
    """What a task id encodes, else None (a made-up id, a workflow id)."""
    found = _match(text)
    if found is None or found[1] == 0 or found[1] & _CHILD or not found[1] & 0x7F:
        return None
    key = _key(*found)
    ok = task_id(key.pid, key.idx, key.attempt, key.gen) == str(text).strip().lower()
    return key if ok else None


def parse_child_id(text: Any) -> TaskKey | None:
    """The SUB_WORKFLOW task (process, index, attempt, generation) a sub-workflow id names."""
    found = _match(text)
    if found is None or not found[1] & _CHILD or not found[1] & 0x7F:
        return None
    key = _key(found[0], found[1] & ~_CHILD)
    ok = child_id(key.pid, key.idx, key.attempt, key.gen) == str(text).strip().lower()
    return key if ok else None
