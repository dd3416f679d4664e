"""Comparing two executions (console.services.diff)."""

from __future__ import annotations

from console.models import ProcessData, StepData
from console.services.diff import MISSING, OPEN_LIMIT, diff_processes, leaves, show_value


def process(pid: int, *, status: str = "FAILED", input=None, output=None, steps=(),
            took: int = 1000) -> ProcessData:
    return ProcessData(process_id=pid, namespace="shop", name="checkout", version=3,
                       status=status, trigger_type="API", created=0, updated=took,
                       input=input, output=output, step_records=list(steps))


def step(ref: str, status: str = "COMPLETED", input=None, output=None, took: int = 10,
         sid: int = 1) -> StepData:
    return StepData(id=sid, ref=ref, name=ref, status=status, input=input, output=output,
                    start=100, updated=100 + took)


def rows_of(diff) -> dict[tuple[str, str], tuple]:
    return {(r.section, r.field): (r.left, r.right) for r in diff.rows}


def test_only_differing_fields_by_default_leaf_by_leaf():
    left = process(1, input={"order": {"id": 1, "items": [{"sku": "A"}, {"sku": "B"}]},
                             "currency": "EUR"},
                   steps=[step("charge", "FAILED", {"amount": 5}, {"error": "card 1 declined"}),
                          step("ship")])
    right = process(2, status="COMPLETED",
                    input={"order": {"id": 2, "items": [{"sku": "A"}, {"sku": "C"}]},
                           "currency": "EUR", "coupon": "X"},
                    steps=[step("charge", "COMPLETED", {"amount": 5}, {"ok": True}),
                           step("ship")])
    diff = diff_processes(left, right)
    rows = rows_of(diff)
    assert rows[("process", "status")] == ("FAILED", "COMPLETED")
    assert rows[("process", "error")] == ("card 1 declined", MISSING)  # "–", not null
    assert rows[("input", "order.id")] == (1, 2)
    assert rows[("input", "order.items[1].sku")] == ("B", "C")
    assert rows[("input", "coupon")] == (MISSING, "X")
    assert rows[("step charge", "status")] == ("FAILED", "COMPLETED")
    assert rows[("step charge", "output.error")] == ("card 1 declined", MISSING)
    assert rows[("step charge", "output.ok")] == (MISSING, True)
    assert ("input", "currency") not in rows and ("step charge", "input.amount") not in rows
    assert "step ship" not in {r.section for r in diff.rows}  # the same in every field
    assert all(not r.same for r in diff.rows)
    assert diff.differences == len(diff.rows) < diff.compared


def test_everything_shows_the_same_fields_too_and_sections_come_in_order():
    left = process(1, input={"a": 1}, steps=[step("one"), step("two")])
    right = process(2, input={"a": 1}, steps=[step("one"), step("three")])
    diff = diff_processes(left, right, everything=True)
    assert diff.compared == len(diff.rows)
    assert rows_of(diff)[("input", "a")] == (1, 1)
    assert [name for name, _ in diff.sections()] == [
        "process", "input", "output", "step one", "step two", "step three"]
    assert rows_of(diff)[("step two", "present")] == (True, False)
    assert rows_of(diff)[("step three", "present")] == (False, True)


def test_identical_executions_have_no_rows_and_types_matter():
    same = diff_processes(process(1, input={"a": 1}), process(2, input={"a": 1}))
    assert same.rows == [] and same.differences == 0
    typed = diff_processes(process(1, input={"a": 1}), process(2, input={"a": 1.0}))
    assert rows_of(typed)[("input", "a")] == (1, 1.0)


def test_a_step_run_twice_is_matched_by_ref_and_turn():
    left = process(1, steps=[step("poll", sid=1), step("poll", "FAILED", sid=2)])
    right = process(2, steps=[step("poll", sid=3), step("poll", sid=4)])
    rows = rows_of(diff_processes(left, right))
    assert rows[("step poll#2", "status")] == ("FAILED", "COMPLETED")
    assert ("step poll", "status") not in rows


def test_huge_values_are_one_leaf_and_shown_short():
    big = {f"k{i}": i for i in range(OPEN_LIMIT + 1)}
    assert list(leaves(big)) == [("(whole)", big)]
    assert list(leaves({})) == [("(whole)", {})]
    assert show_value(MISSING) == "—"
    assert show_value({"a": [1, 2]}) == '{"a":[1,2]}'
    assert show_value("x" * 50, limit=10) == "x" * 9 + "…"
    row = diff_processes(process(1, took=1000), process(2, took=125_000)).rows[0]
    assert row.field == "duration" and row.shown("right") == "2m 05s"


def test_the_same_definition_in_two_namespaces_differs():
    left, right = process(1), process(2)
    right.namespace = "shop-eu"
    assert rows_of(diff_processes(left, right))[("process", "namespace")] == ("shop", "shop-eu")
