"""Clocks for the mock backend: every clock is a callable returning "now" in epoch milliseconds.

- ``real_clock``: wall time (the default).
- ``frozen_clock``: always ``FROZEN_NOW_MS`` (2026-11-25T12:00:00Z), for tests and snapshots.
- ``FakeClock``: starts frozen and moves only when told (``advance(seconds)``, ``set(ms)``).
"""

from __future__ import annotations

import time
from typing import Callable

Clock = Callable[[], int]

#: 2026-11-25T12:00:00Z in epoch milliseconds.
FROZEN_NOW_MS = 1_795_608_000_000


def real_clock() -> int:
    """Wall-clock time in epoch milliseconds."""
    return int(time.time() * 1000)


def frozen_clock() -> int:
    """Always 2026-11-25T12:00:00Z (``FROZEN_NOW_MS``)."""
    return FROZEN_NOW_MS


class FakeClock:
    """A controllable clock: ``clock = FakeClock(); create_app(clock=clock); clock.advance(30)``."""

    def __init__(self, start_ms: int = FROZEN_NOW_MS) -> None:
        self.now_ms = int(start_ms)

    def __call__(self) -> int:
        return self.now_ms

    def advance(self, seconds: float) -> int:
        """Move forward by ``seconds`` (may be fractional); returns the new time in ms."""
        self.now_ms += int(round(seconds * 1000))
        return self.now_ms

    def set(self, epoch_ms: int) -> None:
        self.now_ms = int(epoch_ms)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"FakeClock({self.now_ms})"
