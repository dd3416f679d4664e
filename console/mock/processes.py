"""The mock store's executions by process id: a mapping whose seeded executions are made when
first read (``console.mock.seed.Seeding``), so that ``mock serve --executions 1000000`` starts in
about a second and holds only what was asked for. Executions started later (runs, reruns) are
stored as they are made.

Process ids are ``BASE_PROCESS_ID + position`` in creation order, so the mapping iterates in
creation order like the dict it replaces.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from console.mock.seed import BASE_PROCESS_ID, Seeding


class Processes(MutableMapping[int, dict[str, Any]]):
    """Process id -> the stored execution (wire fields and ``_`` internals)."""

    def __init__(self, seeding: Seeding | None = None) -> None:
        self._seeding = seeding
        self._made: dict[int, dict[str, Any]] = {}
        self._removed: set[int] = set()
        self._count = len(seeding) if seeding is not None else 0  # ids ever given

    def _index(self, pid: Any) -> int | None:
        """The position of ``pid`` if it is a seeded execution not made yet, else None."""
        if type(pid) is not int or self._seeding is None:
            return None
        i = pid - BASE_PROCESS_ID
        if 0 <= i < len(self._seeding) and pid not in self._removed:
            return i
        return None

    def get(self, pid: Any, default: Any = None) -> Any:  # the search's hot path
        p = self._made.get(pid)
        if p is not None:
            return p
        i = self._index(pid)
        if i is None:
            return default
        p = self._made[pid] = self._seeding.process(i)  # type: ignore[union-attr]
        return p

    def __getitem__(self, pid: int) -> dict[str, Any]:
        p = self.get(pid)
        if p is None:
            raise KeyError(pid)
        return p

    def __contains__(self, pid: object) -> bool:
        return pid in self._made or self._index(pid) is not None

    def __setitem__(self, pid: int, p: dict[str, Any]) -> None:
        self._made[pid] = p
        self._removed.discard(pid)
        self._count = max(self._count, pid - BASE_PROCESS_ID + 1)

    def __delitem__(self, pid: int) -> None:
        if pid not in self:
            raise KeyError(pid)
        self._made.pop(pid, None)
        self._removed.add(pid)

    def __iter__(self) -> Iterator[int]:
        for pid in range(BASE_PROCESS_ID, BASE_PROCESS_ID + self._count):
            if pid in self:
                yield pid

    def __len__(self) -> int:
        seeded = len(self._seeding) if self._seeding is not None else 0
        later = sum(1 for pid in self._made if pid - BASE_PROCESS_ID >= seeded)
        return seeded - sum(1 for pid in self._removed if pid - BASE_PROCESS_ID < seeded) + later

    @property
    def removed(self) -> bool:
        """Whether any execution was removed (else every id up to the last one given exists)."""
        return bool(self._removed)

    def made(self, pid: int) -> dict[str, Any] | None:
        """The execution if it has been made (read or changed) already, else None."""
        return self._made.get(pid)
