"""Definitions as code through the CLI against the mock over HTTP: list/get with versions and the
kept fields, export, apply (a diff first, only changes written), diff, delete, schedules apply."""

from __future__ import annotations

import json

import yaml

from tests.cli.conftest import ids_with


def export(cli, tmp_path, *names: str, fmt: str = "yaml") -> list:
    out = tmp_path / "defs"
    run = cli("definitions", "export", *names, "--dir", str(out), "--format", fmt, "--mock")
    assert run.exit_code == 0, run.stderr
    return sorted(out.iterdir())


def writes(mock) -> list[tuple[str, str]]:
    return [(m, p) for m, p in mock.requests if m != "GET" and "processDefinitions" in p]


def test_list_all_versions_and_get_keeps_sdk_dropped_fields(cli, mock):
    defn = mock.store.definitions[("default", "test_process")][2]
    defn.update(signature={"input": {"orderId": "string"}}, dependencies=[{"name": "x"}],
                dependents=[{"name": "y"}])
    rows = json.loads(cli("definitions", "list", "--all-versions", "--namespace", "default",
                          "--mock", "-o", "json").stdout)
    assert sorted(r["version"] for r in rows if r["name"] == "test_process") == [1, 2]
    assert {r["namespace"] for r in rows} == {"default"}
    one = json.loads(cli("definitions", "get", "default/test_process", "--mock", "-o", "json").stdout)
    assert one["signature"] == {"input": {"orderId": "string"}}
    assert one["dependencies"] == [{"name": "x"}] and one["dependents"] == [{"name": "y"}]
    as_yaml = yaml.safe_load(cli("definitions", "get", "default/test_process", "--version", "1",
                                 "--mock", "-o", "yaml").stdout)
    assert as_yaml["version"] == 1 and "created" not in as_yaml


def test_get_takes_a_bare_name_when_one_namespace_has_it(cli, mock):
    by_name = cli("definitions", "get", "hello_world", "--mock", "-o", "json")
    assert by_name.exit_code == 0, by_name.stderr
    assert json.loads(by_name.stdout)["namespace"] == "default"
    assert cli("definitions", "get", "hello_world", "--versions", "--mock").exit_code == 0
    missing = cli("definitions", "get", "no_such_definition", "--mock")
    assert missing.exit_code == 2 and "no definition named 'no_such_definition'" in missing.stderr


def test_export_writes_one_stable_file_per_version(cli, mock, tmp_path):
    files = export(cli, tmp_path, "default/test_process", "hello_world")
    assert [f.name for f in files] == ["default.hello_world.v1.yaml", "default.test_process.v2.yaml"]
    doc = yaml.safe_load(files[1].read_text())
    assert list(doc)[:3] == ["namespace", "name", "version"]
    assert not {"created", "updated", "createdBy", "updatedBy", "orgId"} & set(doc)
    again = export(cli, tmp_path, "default/test_process", "hello_world")
    assert [f.read_text() for f in again] == [f.read_text() for f in files]  # byte for byte
    every = cli("definitions", "export", "default/test_process", "--all-versions", "--dir",
                str(tmp_path / "all"), "--mock")
    assert every.exit_code == 0 and len(every.lines) == 2
    missing = cli("definitions", "export", "default/nope", "--mock", "--dir", str(tmp_path))
    assert missing.exit_code == 2 and "no definition named 'default/nope'" in missing.stderr
    nothing = cli("definitions", "export", "--mock")
    assert nothing.exit_code == 2 and "--all" in nothing.stderr


def test_export_then_apply_is_a_no_op(cli, mock, tmp_path):
    for fmt in ("yaml", "json"):
        files = export(cli, tmp_path / fmt, "--namespace", "payments", fmt=fmt)
        assert len(files) == 5
        before = len(mock.requests)
        run = cli("definitions", "apply", str(files[0].parent), "--yes", "--mock")
        assert run.exit_code == 0, run.stderr
        assert "nothing to write: 5 unchanged" in run.stderr
        assert writes(mock) == [] and len(mock.requests) > before


def test_an_edit_shows_exactly_its_change_in_diff_and_dry_run(cli, mock, tmp_path):
    path = export(cli, tmp_path, "default/hello_world")[0]
    path.write_text(path.read_text().replace("description: Greets, waits a little, logs",
                                             "description: Greets twice"))
    for args in (("diff", str(path)), ("apply", str(path), "--dry-run")):
        run = cli("definitions", *args, "--mock")
        assert run.exit_code == 0, run.stderr
        changed = [line for line in run.lines if line[:1] in ("+", "-") and line[:3] not in ("+++", "---")]
        assert changed == ["-description: Greets, waits a little, logs", "+description: Greets twice"]
        assert "changed: default/hello_world v1" in run.stdout
    assert writes(mock) == []
    as_json = json.loads(cli("definitions", "diff", str(path), "--mock", "-o", "json").stdout)
    assert as_json[0]["change"] == "changed" and "+description: Greets twice" in as_json[0]["diff"]


def test_apply_writes_only_what_changed_in_one_bulk_request(cli, mock, tmp_path):
    folder = tmp_path / "defs"
    export(cli, tmp_path, "default/hello_world", "default/test_process")
    edited = folder / "default.test_process.v2.yaml"
    doc = yaml.safe_load(edited.read_text())
    doc["version"] = 3
    doc["steps"][0]["configuration"]["timeoutSeconds"] = 30
    edited.write_text(yaml.safe_dump(doc))
    (folder / "brand_new.json").write_text(json.dumps({
        "namespace": "ops", "name": "brand_new", "type": "STANDARD", "steps": [{"ref": "go", "type": "NOOP"}]}))
    not_a_tty = cli("definitions", "apply", str(folder), "--mock")
    assert not_a_tty.exit_code == 2 and "--yes" in not_a_tty.stderr and writes(mock) == []
    run = cli("definitions", "apply", str(folder), "--yes", "--mock")
    assert run.exit_code == 0, run.stderr
    assert "new version: default/test_process v3 (against v2)" in run.stdout
    assert "new: ops/brand_new v1" in run.stdout
    assert writes(mock) == [("POST", "/api/processDefinitions/bulk/upsert")]
    assert sorted(mock.store.definitions[("default", "test_process")]) == [1, 2, 3]
    assert mock.store.definitions[("ops", "brand_new")][1]["steps"][0]["ref"] == "go"
    table = [line.split()[:2] for line in run.lines if line.startswith(("default/", "ops/"))]
    assert sorted(table) == [["default/hello_world", "v1"], ["default/test_process", "v3"],
                             ["ops/brand_new", "v1"]]
    assert "apply: 2 written, 1 unchanged" in run.stderr
    again = cli("definitions", "apply", str(folder), "--yes", "--mock")
    assert "nothing to write: 3 unchanged" in again.stderr


def test_apply_of_an_invalid_file_sends_nothing(cli, mock, tmp_path):
    folder = tmp_path / "defs"
    export(cli, tmp_path, "default/hello_world")
    (folder / "broken.yaml").write_text("namespace: ops\nname: broken\ntype: STANDARD\nsteps:\n  - ref: a\n")
    before = len(mock.requests)
    run = cli("definitions", "apply", str(folder), "--yes", "--mock")
    assert run.exit_code == 2
    assert "broken.yaml" in run.stderr and "field 'steps[0].type'" in run.stderr
    assert "nothing was sent" in run.stderr and len(run.err_lines) == 1
    assert len(mock.requests) == before
    (folder / "broken.yaml").write_text("{not: [valid")
    bad_yaml = cli("definitions", "apply", str(folder), "--mock")
    assert bad_yaml.exit_code == 2 and "invalid YAML" in bad_yaml.stderr and "line" in bad_yaml.stderr


def test_apply_and_delete_refuse_in_read_only(cli, mock, tmp_path):
    path = export(cli, tmp_path, "default/hello_world")[0]
    run = cli("definitions", "apply", str(path), "--yes", "--read-only", "--mock")
    assert run.exit_code == 2 and "refusing to apply definitions" in run.stderr
    assert cli("definitions", "apply", str(path), "--dry-run", "--read-only", "--mock").exit_code == 0
    gone = cli("definitions", "delete", "default/hello_world", "--yes", "--read-only", "--mock")
    assert gone.exit_code == 2 and "refusing to delete definitions" in gone.stderr
    assert writes(mock) == [] and ("default", "hello_world") in mock.store.definitions


def test_diff_between_two_versions_on_the_server(cli, mock):
    run = cli("definitions", "diff", "default/test_process", "--from-version", "1",
              "--to-version", "2", "--mock")
    assert run.exit_code == 0, run.stderr
    assert "+version: 2" in run.lines and "-version: 1" in run.lines
    assert any(line.startswith("+- ref: transform_output") for line in run.lines)
    latest = cli("definitions", "diff", "default/test_process", "--from-version", "2", "--mock")
    assert "say the same" in latest.stderr and latest.stdout == ""


def test_delete_a_version_then_the_definition(cli, mock):
    store = mock.store
    version_only = cli("definitions", "delete", "default/test_process", "--version", "1",
                       "--version-only", "--yes", "--mock")
    assert version_only.exit_code == 0, version_only.stderr
    assert "version(s) v1 of 2" in version_only.stderr and "last 7 days" in version_only.stderr
    assert sorted(store.definitions[("default", "test_process")]) == [2]
    asked = cli("definitions", "delete", "default/test_process", "--mock")
    assert asked.exit_code == 2 and "pass --yes to delete default/test_process" in asked.stderr
    whole = cli("definitions", "delete", "default/test_process", "--yes", "--mock")
    assert whole.exit_code == 0 and ("default", "test_process") not in store.definitions
    query = [q for (m, p), q in zip(mock.requests, mock.queries) if m == "DELETE"]
    assert query == ["versionOnly=true", "versionOnly=false"]
    unknown = cli("definitions", "delete", "default/test_process", "--yes", "--mock")
    assert unknown.exit_code == 1 and "404" in unknown.stderr
    wrong = cli("definitions", "delete", "default/hello_world", "--version", "1", "--mock")
    assert wrong.exit_code == 2 and "--version-only" in wrong.stderr


def test_schedules_apply_sends_files_as_written(cli, mock, tmp_path):
    folder = tmp_path / "sch"
    folder.mkdir()
    (folder / "a.yaml").write_text("- name: nightly\n  cron: '0 2 * * *'\n- name: hourly\n")
    (folder / "b.json").write_text(json.dumps({"name": "weekly", "anything": {"kept": True}}))
    dry = cli("schedules", "apply", str(folder), "--dry-run", "--mock")
    assert dry.exit_code == 0 and [line.split()[0] for line in dry.lines] == ["nightly", "hourly", "weekly"]
    assert not [p for m, p in mock.requests if "schedules" in p]
    run = cli("schedules", "apply", str(folder), "--yes", "--mock")
    assert run.exit_code == 0, run.stderr
    assert [p for m, p in mock.requests if "schedules" in p] == ["/api/schedules/bulk/upsert"]
    assert mock.app.state.schedules["weekly"] == {"name": "weekly", "anything": {"kept": True}}
    (folder / "c.yaml").write_text("cron: no name\n")
    bad = cli("schedules", "apply", str(folder), "--yes", "--mock")
    assert bad.exit_code == 2 and "c.yaml" in bad.stderr and "'name'" in bad.stderr


def test_resume_on_the_latest_definition_shows_and_sends_versions(cli, mock):
    store = mock.store
    latest = {key: max(v) for key, v in store.definitions.items()}
    failed = [pid for pid in ids_with(store, "FAILED")
              if store.processes[int(pid)]["version"]
              < latest[(store.processes[int(pid)]["namespace"], store.processes[int(pid)]["name"])]][:2]
    assert len(failed) == 2
    wanted = [latest[(store.processes[int(p)]["namespace"], store.processes[int(p)]["name"])]
              for p in failed]
    dry = cli("resume", *failed, "--latest-definition", "--dry-run", "--mock", "-o", "json")
    plan = json.loads(dry.stdout)
    assert [p["target_version"] for p in plan] == wanted
    assert all(p["version"] < p["target_version"] for p in plan)
    refused = cli("resume", failed[0], "--definition-version", "9", "--yes", "--mock")
    assert refused.exit_code == 2 and "has no version 9 (it has 1, " in refused.stderr
    run = cli("resume", *failed, "--latest-definition", "--yes", "--mock")
    assert run.exit_code == 0, run.stderr
    sent = [q for (m, p), q in zip(mock.requests, mock.queries) if p.endswith("resumeWithVersion")]
    assert sorted(sent) == sorted(f"processId={pid}&version={v}" for pid, v in zip(failed, wanted))
    assert [store.processes[int(pid)]["version"] for pid in failed] == wanted
    assert {store.processes[int(pid)]["status"] for pid in failed} == {"RUNNING"}


def test_conductor_refuses_writes_and_resume_on_a_version_with_the_reason(cli, mock, tmp_path):
    run = cli("definitions", "apply", str(tmp_path), "--backend", "conductor", "--mock")
    assert run.exit_code == 2 and "would lose them" in run.stderr
    gone = cli("definitions", "delete", "default/x", "--yes", "--backend", "conductor", "--mock")
    assert gone.exit_code == 2 and "cannot write definitions on the conductor backend" in gone.stderr
    resume = cli("resume", "abc", "--latest-definition", "--yes", "--backend", "conductor", "--mock")
    assert resume.exit_code == 2 and "useLatestDefinitions" in resume.stderr
    schedules = cli("schedules", "apply", str(tmp_path), "--backend", "conductor", "--mock")
    assert schedules.exit_code == 2 and "cannot write schedules" in schedules.stderr
    assert mock.requests == []


def test_a_lost_answer_leaves_each_definition_unknown_never_failed(cli, tmp_path):
    """No shared mock: --mock-faults makes this invocation's own mock drop the upsert's answer
    after it took effect."""
    path = tmp_path / "new.yaml"
    path.write_text("namespace: ops\nname: lost\ntype: STANDARD\nsteps:\n- ref: a\n  type: NOOP\n")
    run = cli("definitions", "apply", str(path), "--yes", "--mock", "--mock-faults",
              "reset_rate=1,only=POST,paths=upsert", "-o", "json")
    assert run.exit_code == 3, run.stderr
    [record] = json.loads(run.stdout)
    assert record["result"] == "unknown" and "may or may not" in record["message"]
    assert "1 unknown" in run.stderr and "failed" not in run.stderr.split("error:")[0]
