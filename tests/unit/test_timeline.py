"""Timeline maths: bar columns on a shared axis, tick spacing and labels (no Textual app)."""

from __future__ import annotations

import pytest

from console.models import StepData
from console.tui.widgets.timeline import (
    format_offset,
    layout_timeline,
    render_timeline,
    step_span,
    tick_step,
)


def st(sid, start, updated, status="COMPLETED", parent=None, ref=None) -> StepData:
    return StepData(id=sid, ref=ref or f"s{sid}", start=start, schedule=start, updated=updated,
                    status=status, parent_id=parent)


@pytest.mark.parametrize("ms,text", [
    (0, "+0s"), (250, "+250ms"), (1000, "+1s"), (1200, "+1.2s"), (45_000, "+45s"),
    (120_000, "+2m"), (90_000, "+1m30s"), (7_200_000, "+2h"), (5_400_000, "+1h30m"),
    (172_800_000, "+2d"), (-5, "+0s"),
])
def test_format_offset(ms, text):
    assert format_offset(ms) == text


def test_bars_scale_to_the_width_on_a_shared_axis():
    steps = [st(1, 1000, 2000), st(2, 2000, 3000), st(3, 1000, 3000)]
    layout = layout_timeline(steps, width=100)
    assert layout.origin_ms == 1000 and layout.span_ms == 2000
    cols = {r.step.id: (r.start_col, r.end_col) for r in layout.rows}
    assert cols == {1: (0, 50), 3: (0, 100), 2: (50, 100)}


def test_rows_follow_tree_order_with_depth():
    steps = [st(2, 1500, 1600, parent=1), st(1, 1000, 2000), st(3, 2000, 2100)]
    layout = layout_timeline(steps, width=50)
    assert [(r.step.id, r.depth) for r in layout.rows] == [(1, 0), (2, 1), (3, 0)]


def test_a_tiny_step_still_gets_one_column_and_nothing_leaves_the_area():
    steps = [st(1, 0 + 1, 1_000_001), st(2, 500_000, 500_001), st(3, 1_000_001, 1_000_001)]
    layout = layout_timeline(steps, width=40)
    for row in layout.rows:
        assert 0 <= row.start_col < row.end_col <= 40
    assert layout.rows[1].end_col - layout.rows[1].start_col == 1
    assert layout.rows[2].start_col == 39  # a zero-length step at the very end


def test_steps_that_never_started_have_no_bar():
    steps = [st(1, 1000, 2000), StepData(id=2, status="SKIPPED", start=0, schedule=1500),
             StepData(id=3, status="PENDING")]
    rows = {r.step.id: r for r in layout_timeline(steps, 30).rows}
    assert rows[2].start_col is None and rows[3].end_col is None
    assert rows[1].start_col == 0


def test_running_steps_run_to_now():
    assert step_span(st(1, 1000, 1500, status="RUNNING"), now_ms=9000) == (1000, 9000)
    assert step_span(st(1, 1000, 1500), now_ms=9000) == (1000, 1500)
    layout = layout_timeline([st(1, 0 + 1000, 2000), st(2, 1500, 1600, status="RUNNING")],
                             width=10, now_ms=3000)
    assert layout.span_ms == 2000 and layout.rows[1].end_col == 10


def test_origin_can_be_pinned_to_the_process_start():
    layout = layout_timeline([st(1, 2000, 3000)], width=10, origin_ms=1000)
    assert layout.origin_ms == 1000 and layout.rows[0].start_col == 5


def test_no_steps_and_all_unstarted_do_not_divide_by_zero():
    assert layout_timeline([], 20).rows == []
    layout = layout_timeline([StepData(id=1, status="SCHEDULED")], 20)
    assert layout.span_ms >= 1 and layout.ticks[0] == (0, "+0s")


@pytest.mark.parametrize("span,width", [(1, 80), (999, 80), (6_000, 100), (3_600_000, 60),
                                        (30 * 86_400_000, 100), (10**12, 20)])
def test_ticks_are_nice_spaced_and_inside_the_area(span, width):
    step = tick_step(span, width)
    assert step * width / span >= 12 or step >= 86_400_000
    layout = layout_timeline([st(1, 0 + 10, span + 10)], width)
    cols = [c for c, _ in layout.ticks]
    assert cols == sorted(cols) and all(0 <= c < width for c in cols)
    assert layout.ticks[0][1] == "+0s"
    assert len(layout.ticks) <= width // 12 + 2


def test_tick_labels_for_a_six_second_process():
    layout = layout_timeline([st(1, 0 + 1, 6_001)], width=100)
    assert [label for _, label in layout.ticks] == ["+0s", "+1s", "+2s", "+3s", "+4s", "+5s", "+6s"]


def test_render_aligns_bars_under_the_axis_and_fits_the_width():
    steps = [st(1, 1000, 2000, ref="validate"), st(2, 2000, 3000, ref="charge", status="FAILED")]
    lines = render_timeline(steps, 60).plain.split("\n")
    assert all(len(line) <= 60 for line in lines)
    axis = lines[1]
    first = axis.index("┬")
    assert lines[0][first:first + 3] == "+0s"
    assert lines[2].startswith("validate") and lines[2][first] == "█"
    assert lines[3].startswith("charge") and lines[3].rstrip().endswith("█")
    assert "1.0s" in lines[2]


def test_render_without_steps_says_so():
    assert "No steps" in render_timeline([], 80).plain
