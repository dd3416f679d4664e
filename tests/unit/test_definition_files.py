"""Definition files (console/definition_files.py): JSON or YAML, one or a list per file, checked
with errors that name the file and the field."""

from __future__ import annotations

import json

import pytest

from console.definition_files import DefinitionFileError, check, load_file, load_path

ORDER_YAML = """\
namespace: shop
name: order_pipeline
description: reserve, then charge
steps:
  - ref: reserve
    type: worker            # any case; the SDK's StepType.WORKER too
    input: {orderId: "{{ context.input.orderId }}"}
  - ref: branches
    type: PARALLEL
    children:
      - {ref: charge, type: WORKER, name: charge_card}
signature: kept-as-written
"""


def test_a_yaml_file_gives_its_definition_with_defaults_filled_in(tmp_path):
    path = tmp_path / "order.yaml"
    path.write_text(ORDER_YAML)
    [d] = load_file(path)
    assert (d["namespace"], d["name"], d["version"], d["type"]) == ("shop", "order_pipeline", 1, "STANDARD")
    reserve, branches = d["steps"]
    assert reserve["type"] == "WORKER" and reserve["name"] == "reserve" and reserve["children"] == []
    assert reserve["input"] == {"orderId": "{{ context.input.orderId }}"}
    assert branches["children"][0]["name"] == "charge_card" and branches["children"][0]["configuration"] == {}
    assert d["signature"] == "kept-as-written"  # unknown fields survive


def test_a_folder_gives_every_definition_of_its_files_in_name_order(tmp_path):
    (tmp_path / "b.json").write_text(json.dumps([{"name": "two", "steps": []}, {"name": "three"}]))
    (tmp_path / "a.yml").write_text("name: one\nversion: 4\n")
    (tmp_path / "notes.txt").write_text("ignored")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.yaml").write_text("name: deeper\n")  # not recursive
    found = load_path(tmp_path)
    assert [(f.name, d["name"], d["version"]) for f, d in found] == [
        ("a.yml", "one", 4), ("b.json", "two", 1), ("b.json", "three", 1)]


@pytest.mark.parametrize("text, problem", [
    ("name: x\nsteps:\n  - type: WORKER\n", "x.yaml: steps[0].ref: field required"),
    ("name: x\nsteps:\n  - {ref: a, type: NOOP, children: [{ref: b}]}\n",
     "x.yaml: steps[0].children[0].type: field required"),
    ("name: x\nversion: latest\n", "x.yaml: version: input should be a valid integer"),
    ("name: x\nversion: 0\n", "x.yaml: version: input should be greater than or equal to 1"),
    ("steps: []\n", "x.yaml: name: field required"),
    ("name: my flow\n", "x.yaml: name: 'my flow' has a space or a slash"),
    ("name: x\nsteps:\n  - {ref: a, type: 'WORK ER'}\n", "x.yaml: steps[0].type: 'WORK ER' is not a type"),
    ("name: x\nsteps:\n  - {ref: a, type: NOOP}\n  - {ref: a, type: NOOP}\n",
     "x.yaml: step ref 'a' is used twice (steps[0] and steps[1])"),
    ("name: x\nsteps: {}\n", "x.yaml: steps: input should be a valid list"),
    ("- name: fine\n- name: x\n  steps: [{ref: a}]\n",
     "x.yaml: definition 2 (default/x): steps[0].type: field required"),
    ("- 42\n", "x.yaml: expected a definition (an object with a name and steps), got int"),
    ("name: [unclosed\n", "x.yaml: not valid YAML (line 2, column 1)"),
    ("", "x.yaml: the file is empty"),
])
def test_each_problem_names_the_file_and_the_field(tmp_path, text, problem):
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(DefinitionFileError) as info:
        load_file(path)
    assert str(info.value).startswith(str(tmp_path / problem.split(": ", 1)[0]) + ": ")
    assert problem.split(": ", 1)[1] in str(info.value)


def test_bad_json_missing_paths_empty_folders_and_duplicates_are_named(tmp_path):
    (tmp_path / "bad.json").write_text('{"name": "x",}')
    with pytest.raises(DefinitionFileError, match=r"bad.json: not valid JSON: .*line 1, column 14"):
        load_path(tmp_path / "bad.json")
    with pytest.raises(DefinitionFileError, match="no such file or folder"):
        load_path(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DefinitionFileError, match="no .json, .yaml or .yml files"):
        load_path(tmp_path / "empty")
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "a.json").write_text('{"name": "same"}')
    (tmp_path / "two" / "b.yaml").write_text("name: same\n")
    with pytest.raises(DefinitionFileError, match=r"b.yaml: default/same version 1 is also defined in .*a.json"):
        load_path(tmp_path / "two")


def test_what_an_sdk_dataclass_sends_is_accepted():
    """The SDK's asdict(ProcessDefinition): nulls for unset fields, enum values as text."""
    d = check({"orgId": None, "namespace": "default", "name": "x", "version": None, "type": None,
               "configuration": None, "defaultInput": {}, "metadata": {}, "tags": [],
               "steps": [{"ref": "a", "type": "WORKER", "name": None, "children": None,
                          "configuration": None, "input": None, "created": 0}]})
    assert d["version"] == 1 and d["type"] == "STANDARD"
    assert d["steps"][0] | {"created": 0} == d["steps"][0] and d["steps"][0]["name"] == "a"
