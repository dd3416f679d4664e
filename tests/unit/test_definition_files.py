"""The definition file format: reading .json/.yaml/.yml (one or a list), validation errors that
name the file and the field, normalisation (stable order, no server-managed fields), writing."""

from __future__ import annotations

import json

import pytest
import yaml

from console.definition_files import (
    DefinitionFileError,
    dump,
    file_name,
    normalise,
    read_path,
    same,
    write_all,
)

GOOD = {"namespace": "ops", "name": "flow", "type": "STANDARD", "version": 2,
        "steps": [{"ref": "a", "type": "HTTP", "children": [{"ref": "b", "type": "NOOP"}]}]}


def test_reads_one_or_a_list_from_json_and_yaml(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps(GOOD))
    (tmp_path / "many.yml").write_text(yaml.safe_dump([{**GOOD, "name": "x"}, {**GOOD, "name": "y"}]))
    (tmp_path / "notes.txt").write_text("ignored")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deeper.yaml").write_text(yaml.safe_dump({**GOOD, "name": "deep"}))
    found = read_path(tmp_path)
    assert [(d.path.name, d.index, d.doc["name"]) for d in found] == [
        ("many.yml", 1, "x"), ("many.yml", 2, "y"), ("one.json", 1, "flow")]
    assert [d.doc["name"] for d in read_path(tmp_path / "sub" / "deeper.yaml")] == ["deep"]


@pytest.mark.parametrize("change, words", [
    ({"name": ""}, "field 'name': expected a non-empty string"),
    ({"namespace": None}, "field 'namespace'"),
    ({"type": 3}, "field 'type': expected a non-empty string (got a number)"),
    ({"version": 0}, "field 'version': expected a whole number from 1, got 0"),
    ({"version": True}, "field 'version'"),
    ({"steps": "a"}, "field 'steps': expected a list of steps (got a string)"),
    ({"steps": [{"ref": "a"}]}, "field 'steps[0].type'"),
    ({"steps": [{"ref": "a", "type": "X", "children": [{"ref": "a", "type": "Y"}]}]},
     "field 'steps[0].children[0].ref': 'a' is used by another step"),
    ({"configuration": []}, "field 'configuration': expected an object, got a list"),
])
def test_validation_names_the_file_and_the_field(tmp_path, change, words):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump([GOOD, {**GOOD, **change}]))
    with pytest.raises(DefinitionFileError) as caught:
        read_path(path)
    assert str(caught.value).startswith(f"{path}, definition 2")
    assert words in str(caught.value)


def test_unreadable_files_say_where(tmp_path):
    (tmp_path / "a.json").write_text("{\"namespace\": ")
    with pytest.raises(DefinitionFileError, match=r"a\.json: invalid JSON: .*line 1"):
        read_path(tmp_path / "a.json")
    (tmp_path / "b.yaml").write_text("")
    with pytest.raises(DefinitionFileError, match="the file is empty"):
        read_path(tmp_path / "b.yaml")
    with pytest.raises(DefinitionFileError, match="no such file"):
        read_path(tmp_path / "missing.yaml")
    (tmp_path / "b.txt").write_text("x")
    with pytest.raises(DefinitionFileError, match="not a .json, .yaml or .yml"):
        read_path(tmp_path / "b.txt")
    (tmp_path / "c.json").write_text(json.dumps(GOOD))
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(GOOD))
    (tmp_path / "a.json").unlink()
    (tmp_path / "b.yaml").unlink()
    with pytest.raises(DefinitionFileError, match="ops/flow version 2 is also in"):
        read_path(tmp_path)


def test_normalise_drops_server_fields_and_orders_keys():
    server = {"updated": 5, "steps": [{"orgId": 0, "type": "HTTP", "ref": "a", "optional": False,
                                       "children": [], "input": {}, "configuration": {"z": 1, "a": 2}}],
              "createdBy": "me", "name": "flow", "orgId": 0, "namespace": "ops", "version": 2,
              "type": "STANDARD", "zeta": {"b": 1, "a": None}, "dependents": [{"name": "q"}],
              "signature": {"x": 1}, "description": None, "defaultInput": {}}
    out = normalise(server)
    assert list(out) == ["namespace", "name", "version", "type", "signature", "steps", "zeta"]
    assert out["steps"] == [{"ref": "a", "type": "HTTP", "configuration": {"a": 2, "z": 1}}]
    assert out["zeta"] == {"a": None, "b": 1}  # free-form values keep their nulls
    assert same(server, {**out, "created": 1, "updatedBy": "other"})
    assert not same(server, {**out, "version": 3})


def test_dump_and_file_names_round_trip(tmp_path):
    doc = {**GOOD, "description": "line one\nline two\n", "namespace": "team a"}
    text = dump(doc)
    assert "description: |\n  line one\n  line two\n" in text
    assert yaml.safe_load(text) == normalise(doc) == json.loads(dump(doc, "json"))
    assert file_name(doc) == "team_a.flow.v2.yaml" and file_name({**doc, "version": None}, "json") == "team_a.flow.json"
    written = write_all([doc, {**GOOD, "name": "other"}], tmp_path / "out", "yaml")
    assert [p.name for p in written] == ["team_a.flow.v2.yaml", "ops.other.v2.yaml"]
    assert [d.doc for d in read_path(written[0])] == [normalise(doc)]
    with pytest.raises(DefinitionFileError, match="would both be written to"):
        write_all([{**GOOD, "namespace": "a b"}, {**GOOD, "namespace": "a_b"}], tmp_path / "x")
