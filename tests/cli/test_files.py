"""``meshdeck files`` against the mock's in-memory file store over HTTP: ls, upload (folders
recursively, missing folders created, per-file results), download, rm (confirmed), and failures
the server reports in the body (``"error": true``) treated as errors."""

from __future__ import annotations

import json


def test_upload_a_folder_recursively_then_ls_download_rm(cli, mock, tmp_path):
    src = tmp_path / "scripts"
    (src / "lib").mkdir(parents=True)
    (src / "job.py").write_text("print('hi')\n")
    (src / "lib" / "util.py").write_bytes(b"\x00\x01binary")
    run = cli("files", "upload", str(src), "/team/a", "--mock", "-o", "json")
    assert run.exit_code == 0, run.stderr
    results = json.loads(run.stdout)
    assert sorted((r["path"], r["result"]) for r in results) == [
        ("/team/a/scripts/job.py", "uploaded"), ("/team/a/scripts/lib/util.py", "uploaded")]
    assert "2 of 2 file(s) uploaded" in run.stderr
    tree = mock.app.state.files
    assert {"/team", "/team/a", "/team/a/scripts", "/team/a/scripts/lib"} <= tree.folders
    listing = json.loads(cli("files", "ls", "/team/a/scripts", "--mock", "-o", "json").stdout)
    assert [(e["name"], e["folder"]) for e in listing] == [("lib", True), ("job.py", False)]
    table = cli("files", "ls", "/team/a/scripts", "--mock")
    assert table.lines[0].split()[:2] == ["NAME", "SIZE"] and "lib/" in table.stdout
    out = tmp_path / "copy.bin"
    got = cli("files", "download", "/team/a/scripts/lib/util.py", "-o", str(out), "--mock")
    assert got.exit_code == 0 and out.read_bytes() == b"\x00\x01binary"
    asked = cli("files", "rm", "/team/a", "--mock")
    assert asked.exit_code == 2 and "--yes" in asked.stderr and "/team/a" in tree.folders
    gone = cli("files", "rm", "/team/a", "--yes", "--mock")
    assert gone.exit_code == 0 and "/team/a" not in tree.folders and not tree.files


def test_body_level_errors_are_errors(cli, mock, tmp_path):
    missing = cli("files", "ls", "/nope", "--mock")
    assert missing.exit_code == 1 and "folder /nope not found" in missing.stderr
    assert len(missing.err_lines) == 1
    nothing = cli("files", "download", "/nope.txt", "-o", str(tmp_path / "x"), "--mock")
    assert nothing.exit_code == 1 and "file /nope.txt not found" in nothing.stderr
    assert not (tmp_path / "x").exists()
    rm = cli("files", "rm", "/nope", "--yes", "--mock")
    assert rm.exit_code == 1 and "/nope not found" in rm.stderr


def test_a_single_file_and_refusals(cli, mock, tmp_path):
    one = tmp_path / "report.csv"
    one.write_text("a,b\n")
    run = cli("files", "upload", str(one), "/reports/2026", "--mock")
    assert run.exit_code == 0 and "/reports/2026/report.csv" in run.stdout
    assert cli("files", "download", "/reports/2026/report.csv", "-o", "-", "--mock").stdout == "a,b\n"
    read_only = cli("files", "upload", str(one), "/x", "--read-only", "--mock")
    assert read_only.exit_code == 2 and "refusing to upload files" in read_only.stderr
    dots = cli("files", "ls", "/a/../b", "--mock")
    assert dots.exit_code == 2 and "no '.' or '..'" in dots.stderr
    root = cli("files", "rm", "/", "--yes", "--mock")
    assert root.exit_code == 2
    conductor = cli("files", "ls", "--backend", "conductor", "--mock")
    assert conductor.exit_code == 2 and "Conductor has no file store" in conductor.stderr
