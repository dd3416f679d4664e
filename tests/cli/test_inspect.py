"""get, step and definitions against the in-process mock."""

from __future__ import annotations

import json

from tests.cli.conftest import ids_with


def test_get_json_is_a_list_in_input_order(cli, mock):
    ids = ids_with(mock.store, "FAILED", 2) + ids_with(mock.store, "COMPLETED", 1)
    run = cli("get", *ids, "--mock", "-o", "json")
    assert run.exit_code == 0, run.stderr
    got = json.loads(run.stdout)
    assert [str(p["processId"]) for p in got] == ids
    assert all(p["stepRecords"] == [] for p in got)  # json leaves steps out unless --steps


def test_get_steps_in_json_and_ndjson(cli, mock):
    pid = ids_with(mock.store, "FAILED", 1)[0]
    run = cli("get", pid, "--steps", "--mock", "-o", "ndjson")
    [process] = [json.loads(line) for line in run.lines]
    assert process["stepRecords"] and {"ref", "status"} <= set(process["stepRecords"][0])


def test_get_table_shows_summary_failed_error_first_and_steps(cli, mock):
    pid = ids_with(mock.store, "FAILED", 1)[0]
    run = cli("get", pid, "--mock")
    assert run.exit_code == 0
    text = run.stdout
    assert f"process         {pid}" in text and "FAILED" in text
    error_line = next(line for line in run.lines if line.startswith("error"))
    header = next(i for i, line in enumerate(run.lines) if line.split()[:3] == ["REF", "NAME", "TYPE"])
    assert run.lines[header].split() == ["REF", "NAME", "TYPE", "STATUS", "ATTEMPTS", "DURATION", "WORKER",
                                         "STEP", "ID"]
    first_step = run.lines[header + 1]
    assert "FAILED" in first_step or "TIMED_OUT" in first_step  # the failed step comes first
    assert "in step" in error_line


def test_get_tree(cli, mock):
    pid = ids_with(mock.store, "COMPLETED", 1)[0]
    run = cli("get", pid, "--mock", "-o", "tree")
    assert run.exit_code == 0
    assert run.lines[0] == f"process {pid}" and any("status: COMPLETED" in line for line in run.lines)


def test_get_missing_id_is_one_error_line_each_others_still_printed_exit_3(cli, mock):
    """Some ids found and some not is a partial result (3), like a bulk action; none found is 1."""
    good = ids_with(mock.store, "COMPLETED", 1)[0]
    run = cli("get", good, "777", "778", "--mock", "-o", "json")
    assert run.exit_code == 3
    assert [str(p["processId"]) for p in json.loads(run.stdout)] == [good]
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 2 and errors[0].startswith("meshdeck: error: 777: ") and "404" in errors[0]


def test_get_ids_from_stdin(cli, mock):
    ids = ids_with(mock.store, "FAILED", 3)
    run = cli("get", "-", "--mock", "-o", "json", input="\n".join(ids) + "\n\n")
    assert [str(p["processId"]) for p in json.loads(run.stdout)] == ids


def test_get_without_ids_is_a_usage_error(cli, mock):
    run = cli("get", "--mock")
    assert run.exit_code == 2 and "name at least one process id" in run.stderr


def test_step_table_json_and_tree(cli, mock):
    pid = ids_with(mock.store, "FAILED", 1)[0]
    process = json.loads(cli("get", pid, "--steps", "--mock", "-o", "json").stdout)[0]
    failed = next(s for s in process["stepRecords"] if s["status"] in ("FAILED", "TIMED_OUT"))
    as_json = cli("step", str(failed["id"]), "--mock", "-o", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["id"] == failed["id"]
    table = cli("step", str(failed["id"]), "--mock")
    assert table.exit_code == 0
    assert f"step      {failed['id']}" in table.stdout
    assert "input" in table.lines and "output" in table.lines
    if json.loads(as_json.stdout).get("executionList"):
        assert any(line.split()[:2] == ["#", "ATTEMPT"] for line in table.lines)
    tree = cli("step", str(failed["id"]), "--mock", "-o", "tree")
    assert tree.lines[0] == f"step {failed['id']}"


def test_unknown_step_is_exit_1_one_line(cli, mock):
    run = cli("step", "1", "--mock")
    assert run.exit_code == 1 and run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and "404" in run.stderr


def test_definitions_list_formats(cli, mock):
    listing = json.loads(cli("definitions", "--mock", "-o", "json").stdout)
    names = {f"{d['namespace']}/{d['name']}" for d in listing}
    assert "default/test_process" in names
    ids = cli("definitions", "--mock", "-o", "ids")
    assert set(ids.lines) == names
    table = cli("definitions", "--mock")
    assert table.lines[0].split()[:3] == ["NAMESPACE", "NAME", "VER"]


def test_definition_one_versions_and_version(cli, mock):
    versions = cli("definitions", "default/test_process", "--versions", "--mock", "-o", "json")
    numbers = json.loads(versions.stdout)
    assert numbers and all(isinstance(n, int) for n in numbers)
    one = json.loads(cli("definitions", "default/test_process", "--version", str(numbers[0]), "--mock",
                         "-o", "json").stdout)
    assert one["name"] == "test_process" and one["version"] == numbers[0]
    table = cli("definitions", "default/test_process", "--mock")
    assert table.exit_code == 0 and "steps" in table.lines
    assert cli("definitions", "default/test_process", "--mock", "-o", "tree").exit_code == 0


def test_definition_bad_name_and_unknown(cli, mock):
    bad = cli("definitions", "just_a_name", "--mock")  # a bare name: looked up, not found
    assert bad.exit_code == 2 and "no definition named 'just_a_name'" in bad.stderr
    malformed = cli("definitions", "a/b/c", "--mock")
    assert malformed.exit_code == 2 and "expected NAMESPACE/NAME" in malformed.stderr
    unknown = cli("definitions", "default/nope", "--mock")
    assert unknown.exit_code == 1 and "404" in unknown.stderr
    orphan = cli("definitions", "--versions", "--mock")
    assert orphan.exit_code == 2


def test_get_of_only_unknown_ids_exits_1(cli, mock):
    run = cli("get", "777", "--mock", "-o", "json")
    assert run.exit_code == 1 and json.loads(run.stdout) == []


def test_a_malformed_id_is_refused_before_anything_is_sent(cli, mock):
    """Unmeshed ids are numbers: 'abc' is a usage error naming it, and no request goes out."""
    run = cli("get", "abc", "--mock")
    assert run.exit_code == 2 and "'abc'" in run.stderr and mock.requests == []
    run = cli("resume", "12,abc", "--mock", "--yes")
    assert run.exit_code == 2 and mock.requests == []


def test_ids_on_stdin_split_on_commas_and_whitespace_like_arguments(cli, mock):
    good = ids_with(mock.store, "COMPLETED", 2)
    run = cli("get", "-", "--mock", "-o", "json", input=f"{good[0]},{good[1]}\n")
    assert run.exit_code == 0, run.stderr
    assert sorted(str(p["processId"]) for p in json.loads(run.stdout)) == sorted(good)


def test_get_of_an_empty_pipe_shows_nothing_and_exits_0_like_the_actions(cli, mock):
    """``meshdeck journal --result unknown -o ids | meshdeck get -`` with nothing unknown."""
    run = cli("get", "-", "--mock", "-o", "json", input="")
    assert run.exit_code == 0 and json.loads(run.stdout) == []
    assert run.err_lines == ["nothing to get: no ids on stdin"] and mock.requests == []
    assert cli("get", "--mock").exit_code == 2  # no ids and no '-': still a usage error
