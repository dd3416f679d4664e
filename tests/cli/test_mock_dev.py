"""The dev-server options of the CLI: ``mock serve --definitions/--empty``, ``--mock-definitions``
for the in-process mock, ``mock workers``, and ``get`` saying which step waits for a worker."""

from __future__ import annotations

import json
import re

import pytest

from console.mock.serve import banner
from tests.served import free_port

FLOW = {"namespace": "default", "name": "dev_flow", "type": "STANDARD",
        "steps": [{"ref": "first", "type": "WORKER", "name": "dev_step"}]}


@pytest.fixture
def defs(tmp_path):
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "flow.json").write_text(json.dumps(FLOW))
    return folder


@pytest.fixture
def served(monkeypatch):
    """What ``mock serve`` would serve, without serving it."""
    import console.mock.serve as serve_mod

    got: dict = {}
    monkeypatch.setattr(serve_mod, "serve", lambda **kw: got.update(kw))
    return got


def test_serve_loads_the_definitions_and_passes_them_on(cli, defs, served):
    run = cli("mock", "serve", "--definitions", str(defs), "--empty")
    assert run.exit_code == 0, run.stderr
    [(where, definition)] = served["definitions"]
    assert where.endswith("flow.json") and definition["name"] == "dev_flow" and served["empty"]


def test_a_bad_definition_file_is_one_line_naming_file_and_field(cli, defs, served):
    (defs / "broken.yaml").write_text("namespace: default\nname: broken\ntype: STANDARD\n"
                                      "steps:\n  - ref: a\n")
    run = cli("mock", "serve", "--definitions", str(defs))
    assert run.exit_code == 2 and not served
    assert run.err_lines == [f"meshdeck: error: --definitions: {defs / 'broken.yaml'} (default/broken): "
                             "field 'steps[0].type': expected a non-empty string (missing)"]
    assert cli("mock", "serve", "--definitions", str(defs / "nope")).exit_code == 2
    conductor = cli("mock", "serve", "--dialect", "conductor", "--definitions", str(defs))
    assert conductor.exit_code == 2 and "Unmeshed dialect only" in conductor.stderr


def test_a_definition_the_mock_cannot_run_is_refused_naming_its_file(cli, tmp_path):
    (tmp_path / "mine.yaml").write_text("namespace: default\nname: test_process\nversion: 1\n"
                                        "type: STANDARD\nsteps: []\n")
    run = cli("mock", "serve", "--definitions", str(tmp_path / "mine.yaml"), "--port", str(free_port()))
    assert run.exit_code == 2
    assert re.match(r"meshdeck: error: --definitions: .*mine.yaml: default/test_process version 1 is "
                    r"one of the mock's seeded definitions", run.err_lines[-1])


def test_the_banner_lists_your_definitions_and_the_workers_command():
    text = banner("127.0.0.1", 8080, 7, 0, None, definitions=[("defs/flow.json", {
        "namespace": "default", "name": "dev_flow", "version": 1})], empty=True)
    assert "(no seeded data; auth: any credentials accepted)" in text
    assert "  default/dev_flow v1  (defs/flow.json)" in text
    assert "meshdeck mock workers --port 8080  (a mock-only view)" in text
    assert "Your definitions" not in banner("127.0.0.1", 8080, 7, 100, None)


def test_mock_definitions_runs_your_definition_in_process_and_get_says_it_waits(cli, defs):
    run = cli("--mock", "--mock-definitions", str(defs), "run", "default/dev_flow", "-o", "json")
    assert run.exit_code == 0, run.stderr
    started = json.loads(run.stdout)
    assert started["status"] == "RUNNING" and started["name"] == "dev_flow"
    listed = cli("definitions", "--mock", "--mock-definitions", str(defs), "-o", "json")
    assert "dev_flow" in {d["name"] for d in json.loads(listed.stdout)}


def test_get_shows_the_waiting_line(cli, defs, monkeypatch):
    """One in-process mock for both commands, with the definition installed."""
    from console import connect
    from console.mock.app import create_app

    app = create_app(executions=20, definitions=[("flow.json", FLOW)])
    monkeypatch.setattr(connect, "new_mock_app", lambda *a, **k: app)
    pid = json.loads(cli("--mock", "run", "default/dev_flow", "-o", "json").stdout)["processId"]
    shown = cli("--mock", "get", str(pid))
    assert shown.exit_code == 0, shown.stderr
    assert re.search(r"^waiting for a worker on `dev_step` since \d+s \(step first\)$", shown.stdout, re.M)
    assert re.search(r"^first\s+dev_step\s+WORKER\s+SCHEDULED\s+1\s+\d+$", shown.stdout, re.M)  # no duration


def test_mock_definitions_problems_are_usage_errors(cli, tmp_path):
    (tmp_path / "x.json").write_text("[1")
    run = cli("--mock", "--mock-definitions", str(tmp_path / "x.json"), "definitions")
    assert run.exit_code == 2 and run.err_lines[-1].startswith(
        f"meshdeck: error: --mock-definitions: {tmp_path / 'x.json'}: invalid JSON")
    other = cli("--mock", "--backend", "conductor", "--mock-definitions", str(tmp_path), "definitions")
    assert other.exit_code == 2 and "Unmeshed backend only" in other.stderr


def test_mock_workers_says_when_no_mock_answers(cli):
    run = cli("mock", "workers", "--port", str(free_port()))
    assert run.exit_code == 1
    assert re.match(r"meshdeck: error: no meshdeck mock answers at http://127.0.0.1:\d+ .*start one "
                    r"with: meshdeck mock serve", run.err_lines[-1])
