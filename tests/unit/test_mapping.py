"""The mock's input mapping (console/mock/mapping.py): {{ context.input.x }} and
{{ steps.REF.output.x }}, typed when alone, text when embedded, left alone when not a path."""

from __future__ import annotations

from console.mock.mapping import path_parts, resolve

SCOPE = {
    "context": {"input": {"orderId": 42, "customer": {"email": "a@example.com"}}},
    "steps": {"pick": {"status": "COMPLETED", "input": {"n": 1},
                       "output": {"items": [{"sku": "X1"}, {"sku": "X2"}], "odd key": True}}},
}


def test_a_whole_template_keeps_the_type_and_an_embedded_one_becomes_text():
    assert resolve({"id": "{{ context.input.orderId }}", "label": "order {{context.input.orderId}}",
                    "customer": "{{ context.input.customer }}",
                    "summary": "got {{ steps.pick.output.items }}"}, SCOPE) == {
        "id": 42, "label": "order 42", "customer": {"email": "a@example.com"},
        "summary": 'got [{"sku":"X1"},{"sku":"X2"}]'}


def test_paths_index_lists_and_quoted_keys_and_missing_ones_are_null():
    assert resolve(["{{ steps.pick.output.items[1].sku }}", "{{ steps.pick.output['odd key'] }}",
                    "{{ steps.pick.status }}", "{{ steps.pick.input.n }}",
                    "{{ steps.nope.output.x }}", "{{ steps.pick.output.items[9] }}",
                    "x={{ context.input.missing }}"], SCOPE) == [
        "X2", True, "COMPLETED", 1, None, None, "x=null"]


def test_what_the_mock_does_not_evaluate_is_left_as_written():
    text = {"s": "{{ secrets.apiKey }}", "e": "{{ context.input.orderId > 1 }}", "n": 5,
            "two": "{{ variables.a }} and {{ context.input.orderId }}"}
    assert resolve(text, SCOPE) == {"s": "{{ secrets.apiKey }}", "e": "{{ context.input.orderId > 1 }}",
                                    "n": 5, "two": "{{ variables.a }} and 42"}


def test_path_parts():
    assert path_parts("steps.a-b.output[0]['k']") == ["steps", "a-b", "output", 0, "k"]
    assert path_parts("a > 1") is None and path_parts(".a") is None and path_parts("") is None
