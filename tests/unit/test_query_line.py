"""The query line (console.services.query_line): parsing, errors, and the round trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.services.query_line import FIELDS, KEYS, QueryError, format_line, parse


def test_the_issue_example_gives_the_cli_filter_values():
    values = parse('status:FAILED name:create_order since:2h text:"gateway" ns:payments '
                   'corr:abc id:123 trigger:API')
    assert values == {"status": ["FAILED"], "name": ["create_order"], "since": "2h",
                      "text": "gateway", "namespace": "payments", "correlation_id": ["abc"],
                      "process_id": ["123"], "trigger": ["API"]}


def test_lists_repeats_case_aliases_and_quotes():
    values = parse("Status:failed,timed_out status:FAILED,running NAMESPACE:pay "
                   "text:'say \"hi\"' name:\"a b\",c step:x ref:y type:standard "
                   "until:2026-11-25T08:00 since:3d tag:t1 req:r1 correlation:c1 pid:7")
    assert values["status"] == ["FAILED", "TIMED_OUT", "RUNNING"]  # upper-cased, no repeats
    assert values["namespace"] == "pay" and values["text"] == 'say "hi"'
    assert values["name"] == ["a b", "c"] and values["type"] == ["STANDARD"]
    assert values["until"] == "2026-11-25T08:00" and values["step_name"] == ["x"]
    assert values["correlation_id"] == ["c1"] and values["process_id"] == ["7"]
    assert parse("") == parse("   ") == {}
    assert parse(r'text:"a \"quoted\" \\ back"') == {"text": 'a "quoted" \\ back'}


@pytest.mark.parametrize(("line", "message", "position"), [
    ("colour:red", "unknown key 'colour' in the query (known: status, name, ns", 0),
    ("status:FAILED gateway", "expected key:value at 'gateway'", 14),
    ("status:", "status: needs a value", 7),
    ("status: FAILED", "status: needs a value", 7),
    ("status:A, B", "a comma must be followed by a value", 9),
    ("status:A,", "a comma must be followed by a value", 9),
    ("status:,", "a value is needed before the comma", 7),
    ("since:2h since:3h", "since is given twice", 9),
    ("text:a,b", 'text takes one value (quote it to keep a comma: text:"a,b")', 0),
    ('text:"open', 'text: the quote " is never closed', 5),
    ("text:'open", "text: the quote ' is never closed", 5),
    ('text:"a"b', "text: unexpected 'b' after the value", 8),
    ('text:"  "', "text: empty value", 0),
    ("since:yesterday", "since: cannot read 'yesterday' as a time", 0),
])
def test_errors_name_the_problem_and_where(line, message, position):
    with pytest.raises(QueryError) as caught:
        parse(line)
    assert message in str(caught.value)
    assert caught.value.position == position


def test_format_writes_keys_in_order_and_quotes_only_when_needed():
    line = format_line({"text": "gateway timeout", "status": ["FAILED", "TIMED_OUT"],
                        "name": ["a,b", 'say "x"'], "since": "2026-11-25T08:00", "tag": []})
    assert line == ('status:FAILED,TIMED_OUT name:"a,b","say \\"x\\"" since:2026-11-25T08:00 '
                    'text:"gateway timeout"')
    with pytest.raises(ValueError, match="not filter names: colour"):
        format_line({"colour": "red"})


# ---- the round trip, property-style ---------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    lambda s: s.strip())
UPPER = TEXT.map(str.upper).filter(lambda s: s == s.upper() and s.upper() == s)
TIMES = st.sampled_from(["15m", "2h", "3d", "1w", "2026-11-25T08:00", "2026-11-25"])


def value_for(key):
    if key.time:
        return TIMES
    item = UPPER if key.upper else TEXT
    return st.lists(item, min_size=1, max_size=3, unique=True) if key.many else item


VALUES = st.fixed_dictionaries({}, optional={key.field: value_for(key) for key in KEYS})


@given(VALUES)
@settings(max_examples=300, deadline=None)
def test_format_then_parse_gives_the_same_values(values):
    assert parse(format_line(values)) == values


@given(VALUES)
@settings(max_examples=100, deadline=None)
def test_parse_then_format_is_stable(values):
    line = format_line(values)
    assert format_line(parse(line)) == line


def test_every_key_sets_a_filter_of_its_own():
    assert len(set(FIELDS)) == len(KEYS)
