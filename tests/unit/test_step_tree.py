"""The step forest: nesting by parentId, orphans, cycles, ordering (no Textual app needed)."""

from __future__ import annotations

from console.models import StepData
from console.tui.widgets.step_tree import (
    build_step_forest,
    find_node,
    step_label,
    walk_forest,
)


def step(sid, parent=None, ref=None, schedule=None, **extra) -> StepData:
    return StepData(id=sid, parent_id=parent, ref=ref or f"s{sid}", schedule=schedule, **extra)


def shape(forest) -> list:
    """The forest as nested (id, [children]) tuples, for readable asserts."""
    return [(n.step.id, shape(n.children)) for n in forest]


def test_children_nest_under_their_parent_at_any_depth():
    steps = [step(1, schedule=10), step(2, schedule=20, type="PARALLEL"), step(3, 2, schedule=21),
             step(4, 2, schedule=22, type="SWITCH"), step(5, 4, schedule=23), step(6, schedule=30)]
    assert shape(build_step_forest(steps)) == [
        (1, []), (2, [(3, []), (4, [(5, [])])]), (6, [])]


def test_children_listed_before_their_parent_still_nest():
    steps = [step(3, 2, schedule=21), step(5, 4, schedule=23), step(4, 2, schedule=22),
             step(2, schedule=20)]
    assert shape(build_step_forest(steps)) == [(2, [(3, []), (4, [(5, [])])])]


def test_orphans_go_to_the_top_level_with_a_note_and_are_never_lost():
    steps = [step(1, schedule=1), step(2, parent=999, schedule=2), step(3, parent=2, schedule=3)]
    forest = build_step_forest(steps)
    assert shape(forest) == [(1, []), (2, [(3, [])])]
    assert "999" in forest[1].note
    assert forest[0].note is None


def test_a_cycle_is_broken_and_every_step_appears_once():
    steps = [step(1, parent=3, schedule=5), step(2, parent=1, schedule=6),
             step(3, parent=2, schedule=7), step(4, schedule=1)]
    forest = build_step_forest(steps)
    ids = [n.step.id for _, n in walk_forest(forest)]
    assert sorted(ids) == [1, 2, 3, 4]
    # the earliest step of the cycle (1) becomes a top-level step, the chain hangs under it
    assert shape(forest) == [(4, []), (1, [(2, [(3, [])])])]
    assert "cycle" in forest[1].note


def test_a_step_that_is_its_own_parent_is_a_top_level_step():
    forest = build_step_forest([step(7, parent=7)])
    assert shape(forest) == [(7, [])]


def test_two_step_cycle_and_a_long_chain_terminate():
    steps = [step(i, parent=i - 1 if i > 1 else None, schedule=i) for i in range(1, 2001)]
    steps += [step(5001, parent=5002), step(5002, parent=5001)]
    forest = build_step_forest(steps)
    assert sum(1 for _ in walk_forest(forest)) == 2002
    depths = [d for d, n in walk_forest(forest) if n.step.id == 2000]
    assert depths == [1999]


def test_siblings_are_ordered_by_schedule_then_id_and_unscheduled_last():
    steps = [step(5, schedule=None), step(4, schedule=300), step(3, schedule=100),
             step(2, schedule=100), step(1, schedule=None, start=200)]
    assert [n.step.id for n in build_step_forest(steps)] == [2, 3, 1, 4, 5]


def test_start_zero_means_never_started():
    steps = [step(1, schedule=None, start=0), step(2, schedule=50)]
    assert [n.step.id for n in build_step_forest(steps)] == [2, 1]


def test_duplicate_ids_are_both_kept_and_children_attach_to_the_first():
    steps = [step(1, ref="a", schedule=1), step(1, ref="b", schedule=2),
             step(2, parent=1, schedule=3)]
    forest = build_step_forest(steps)
    assert [(n.step.ref, len(n.children)) for n in forest] == [("a", 1), ("b", 0)]


def test_steps_without_ids_are_kept():
    forest = build_step_forest([StepData(ref="x"), StepData(ref="y", parent_id=None)])
    assert sorted(n.step.ref for n in forest) == ["x", "y"]


def test_find_node_and_path():
    steps = [step(1, schedule=1), step(2, 1, schedule=2), step(3, 2, schedule=3)]
    forest = build_step_forest(steps)
    node = find_node(forest, 3)
    assert [n.step.id for n in node.path()] == [1, 2, 3]
    assert find_node(forest, 42) is None and find_node(forest, None) is None


def test_label_shows_status_ref_type_duration_and_attempts():
    s = StepData(id=1, ref="charge_card", name="payments-gateway", type="HTTP", status="FAILED",
                 start=1_000, updated=2_500,
                 execution_list=[{"id": 1}, {"id": 2}, {"id": 3}])
    text = step_label(s).plain
    for part in ("✗", "charge_card", "(payments-gateway)", "HTTP", "FAILED", "1.5s", "×3"):
        assert part in text


def test_label_of_an_unknown_status_and_missing_fields_does_not_fail():
    text = step_label(StepData(status="EXPLODED")).plain
    assert "EXPLODED" in text and "?" in text
