"""JSON viewer helpers: paging of big containers, cut strings, labels, pretty text."""

from __future__ import annotations

import json

from console.tui.widgets.json_view import (
    PAGE,
    STRING_LIMIT,
    children_of,
    node_label,
    scalar_text,
    summary,
    to_json_text,
)


def test_children_of_a_big_list_come_one_page_at_a_time():
    data = list(range(250))
    first, left = children_of(data)
    assert len(first) == PAGE and left == 150 and first[0].key == "[0]"
    last, left = children_of(data, 200)
    assert [e.value for e in last] == list(range(200, 250)) and left == 0
    assert last[0].key == "[200]"


def test_children_of_a_dict_and_of_a_scalar():
    entries, left = children_of({"a": 1, "b": {"c": 2}})
    assert [(e.key, e.value) for e in entries] == [("a", 1), ("b", {"c": 2})] and left == 0
    assert children_of("text") == ([], 0)


def test_long_strings_are_cut_with_the_count_of_what_is_left():
    text = scalar_text("x" * (STRING_LIMIT + 1234)).plain
    assert text.endswith("… 1,234 more chars")
    assert len(text) < STRING_LIMIT + 40


def test_scalars_read_as_json():
    assert scalar_text(None).plain == "null"
    assert scalar_text(True).plain == "true"
    assert scalar_text(3.5).plain == "3.5"
    assert scalar_text('a"b').plain == '"a\\"b"'


def test_labels_and_summaries():
    assert summary({"a": 1}) == "{1 key}" and summary([1, 2]) == "[2 items]"
    assert node_label("items", [1, 2, 3]).plain == "items: [3 items]"
    assert node_label(None, "x").plain == '"x"'


def test_pretty_text_round_trips_and_survives_odd_values():
    value = {"b": [1, {"c": None}], "a": "é"}
    assert json.loads(to_json_text(value)) == value
    assert "é" in to_json_text(value)
    assert to_json_text({"when": object}).startswith("{")
