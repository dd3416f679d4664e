"""A Gantt-style timeline of a process's steps: one bar per step on a shared time axis.

``layout_timeline`` is the pure maths (rows, bar columns, axis ticks) and knows nothing of
Textual; ``Timeline`` renders a layout at its current width, so a resize re-scales the bars.
A step's bar runs from its start (else its scheduled time) to its last update; a step still
running runs to "now".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from console import format as fmt
from console.models import StepData
from console.tui.widgets.step_tree import StepNode, build_step_forest, walk_forest

#: Tick spacings to choose from, in milliseconds ("nice" numbers a person reads at a glance).
TICK_STEPS_MS = (
    1, 2, 5, 10, 20, 50, 100, 200, 500,
    1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
    60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
    3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
)
LIVE_STATUSES = frozenset({"RUNNING"})


@dataclass
class TimelineRow:
    """One step: where its bar sits in the bar area (``None`` when it never ran)."""

    step: StepData
    depth: int
    start_ms: int | None
    end_ms: int | None
    start_col: int | None
    end_col: int | None  # exclusive

    @property
    def label(self) -> str:
        return self.step.ref or self.step.name or f"step {self.step.id}"


@dataclass
class TimelineLayout:
    origin_ms: int
    span_ms: int
    width: int
    rows: list[TimelineRow]
    ticks: list[tuple[int, str]]  # (column, "+1.2s")


def format_offset(ms: int) -> str:
    """``+0s``, ``+250ms``, ``+1.2s``, ``+45s``, ``+2m``, ``+1m30s``, ``+2h``, ``+1h30m``,
    ``+2d``."""
    ms = max(0, int(ms))
    if ms == 0:
        return "+0s"
    if ms < 1000:
        return f"+{ms}ms"
    if ms < 60_000:
        return "+" + f"{ms / 1000:.1f}".rstrip("0").rstrip(".") + "s"
    if ms < 3_600_000:
        minutes, seconds = divmod(ms // 1000, 60)
        return f"+{minutes}m{seconds:02d}s" if seconds else f"+{minutes}m"
    if ms < 86_400_000:
        hours, minutes = divmod(ms // 60_000, 60)
        return f"+{hours}h{minutes:02d}m" if minutes else f"+{hours}h"
    days, hours = divmod(ms // 3_600_000, 24)
    return f"+{days}d{hours:02d}h" if hours else f"+{days}d"


def tick_step(span_ms: int, width: int, min_gap: int = 12) -> int:
    """The smallest nice spacing that keeps ticks at least ``min_gap`` columns apart."""
    if width <= 0:
        return TICK_STEPS_MS[-1]
    for step in TICK_STEPS_MS:
        if step * width / max(span_ms, 1) >= min_gap:
            return step
    return TICK_STEPS_MS[-1] * math.ceil(span_ms * min_gap / width / TICK_STEPS_MS[-1])


def step_span(step: StepData, now_ms: int | None = None) -> tuple[int, int] | None:
    """``(start, end)`` of the step's bar in epoch ms; None for a step that never started."""
    start = step.start or None
    if start is None:
        return None
    end = step.updated or start
    if step.status in LIVE_STATUSES and now_ms is not None:
        end = max(end, now_ms)
    return start, max(start, end)


def layout_timeline(steps: Sequence[StepData] | Sequence[StepNode], width: int,
                    now_ms: int | None = None, origin_ms: int | None = None) -> TimelineLayout:
    """Rows in tree order with bar columns scaled to ``width``, and the axis ticks.

    ``steps`` may be StepData (the forest is built here) or an already built forest.
    ``origin_ms`` (e.g. the process's created time) pins ``+0s``; by default the first start.
    """
    width = max(1, width)
    forest = (list(steps) if steps and isinstance(steps[0], StepNode)
              else build_step_forest(steps))  # type: ignore[arg-type]
    spans = [(depth, node.step, step_span(node.step, now_ms))
             for depth, node in walk_forest(forest)]
    starts = [s[0] for _, _, s in spans if s]
    ends = [s[1] for _, _, s in spans if s]
    origin = min(starts) if starts else (origin_ms or 0)
    if origin_ms is not None and starts:
        origin = min(origin, origin_ms)
    span = max(1, (max(ends) - origin) if ends else 1)

    def col(t: int) -> float:
        return (t - origin) * width / span

    rows = []
    for depth, step, s in spans:
        if s is None:
            rows.append(TimelineRow(step, depth, None, None, None, None))
            continue
        start_col = min(width - 1, max(0, math.floor(col(s[0]))))
        end_col = min(width, max(start_col + 1, math.ceil(col(s[1]))))
        rows.append(TimelineRow(step, depth, s[0], s[1], start_col, end_col))

    spacing = tick_step(span, width)
    ticks = []
    t = 0
    while t <= span:
        ticks.append((min(width - 1, round(t * width / span)), format_offset(t)))
        t += spacing
    return TimelineLayout(origin, span, width, rows, ticks)


LABEL_MAX = 30
DURATION_WIDTH = 8


class Timeline(Widget):
    """The steps' bars; re-laid out at the widget's width every render."""

    DEFAULT_CSS = """
    Timeline { height: auto; width: 1fr; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._steps: list[StepData] = []
        self._now_ms: int | None = None
        self._origin_ms: int | None = None

    def show_steps(self, steps: Sequence[StepData], now_ms: int | None = None,
                   origin_ms: int | None = None) -> None:
        self._steps, self._now_ms, self._origin_ms = list(steps), now_ms, origin_ms
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._steps) + 2 if self._steps else 1

    def render(self) -> Group:
        # A Group of cropped lines (not one Text): rendered by Rich as is, never re-wrapped.
        text = render_timeline(self._steps, self.content_size.width or 80,
                               self._now_ms, self._origin_ms)
        lines = text.split("\n", allow_blank=True)
        for line in lines:
            line.no_wrap, line.overflow = True, "crop"
        return Group(*lines)


def render_timeline(steps: Sequence[StepData], total_width: int, now_ms: int | None = None,
                    origin_ms: int | None = None) -> Text:
    """The whole timeline as text ``total_width`` columns wide: axis, then one row per step."""
    if not steps:
        return Text("No steps have run yet.", style="dim")
    forest = build_step_forest(steps)
    labels = [("  " * depth) + (node.step.ref or node.step.name or f"step {node.step.id}")
              for depth, node in walk_forest(forest)]
    label_w = max(6, min(LABEL_MAX, max(len(s) for s in labels), total_width // 3))
    lead = label_w + DURATION_WIDTH + 2
    bar_w = max(10, total_width - lead)
    layout = layout_timeline(forest, bar_w, now_ms, origin_ms)
    tick_cols = {c for c, _ in layout.ticks}

    out = Text(no_wrap=True, overflow="crop")
    axis = [" "] * bar_w
    free_from = 0
    for column, label in layout.ticks:
        at = min(column, bar_w - len(label))
        if at < free_from or at < 0:
            continue
        axis[at:at + len(label)] = list(label)
        free_from = at + len(label) + 1
    out.append(" " * lead + "".join(axis) + "\n", style="dim")
    axis_line = "".join("┬" if c in tick_cols else "─" for c in range(bar_w))
    out.append(" " * lead + axis_line + "\n", style="dim")

    for label, row in zip(labels, layout.rows):
        if len(label) > label_w:
            label = label[: label_w - 1] + "…"
        out.append(label.ljust(label_w), style="bold" if row.depth == 0 else "")
        dur = fmt.duration(row.end_ms - row.start_ms) if row.start_ms is not None else ""
        out.append(dur.rjust(DURATION_WIDTH) + "  ", style="dim")
        style = fmt.status_style(row.step.status) or "white"
        if row.start_col is None:
            note = (row.step.status or "not started").lower()
            out.append(note[:bar_w].ljust(bar_w), style="dim italic")
        else:
            bar = "▓" if row.step.status in LIVE_STATUSES else "█"
            for c in range(bar_w):
                if row.start_col <= c < row.end_col:
                    out.append(bar, style=style.replace("bold ", ""))
                else:
                    out.append("┊" if c in tick_cols else " ", style="dim")
        out.append("\n")
    out.rstrip()
    return out
