"""Every meshdeck command line of README.md runs against the mock, block by block, as a person
would type it at a terminal: same words, ``--mock`` added where it talks to a server (so a
production URL in an example reaches the mock instead), a fresh config and mock per block.

Nothing is skipped. Three kinds of line run up to the point where they would take over:
- the full-screen console (``meshdeck``, ``meshdeck --mock``, ``--backend conductor ...``):
  ``run_tui`` is replaced by a recorder, so the flags are parsed, the settings resolved and the
  backend opened, but no terminal is needed;
- ``meshdeck mock serve`` and ``meshdeck serve-web``: they serve until Ctrl-C, so the server
  function records its arguments instead of listening on a port.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time

import pytest

from console import connect
from console.cli import common
from console.mock.clock import FakeClock
from tests.cli.conftest import Run
from tests.readme_commands import README, Command, Pipeline, lines, parse, sh_blocks

#: Lines expected to exit with something else than 0, and why.
EXPECTED = {
    "meshdeck terminate --name \"$PROC\" --yes": ({2}, "an empty filter is refused"),
    "--profile watch terminate": ({2}, "a read-only profile refuses, as the README says"),
    "meshdeck mock workers": ({1}, "it asks a running 'meshdeck mock serve', and none runs here "
                              "(tests/devserver asks one that does)"),
    "reset_rate=0.3,only=POST": ({0, 3}, "connections reset after the server acted: unknown "
                                 "outcomes are a partial result"),
}
#: Commands that never talk to a server: no --mock added.
LOCAL = ("config", "mock", "serve-web", "--help")
#: What the blocks' commands find in the working folder.
FILES = {"order.json": '{"orderId": 42}',
         "definitions/hello.yaml": "namespace: default\nname: hello_worker\ntype: STANDARD\n"
                                   "steps:\n  - ref: greet\n    type: WORKER\n    name: greet\n"}
#: Blocks another test runs, as written, against a real ``meshdeck mock serve`` (they need a
#: server over HTTP: SDK workers, or a login and the state it leaves), and the test that does.
RUN_ELSEWHERE = {
    "Develop workers offline": "tests/devserver/test_readme_example.py (SDK workers need a "
                               "mock served over HTTP)",
    "<!-- walkthrough: run by tests/cli/test_walkthrough.py -->":
        "tests/cli/test_walkthrough.py (login, export, apply and resume against mock serve)",
}


def run_elsewhere(block: str) -> str | None:
    """Which test runs ``block`` instead, if another one does."""
    text = README.read_text(encoding="utf-8")
    for key, where in RUN_ELSEWHERE.items():
        if key.startswith("<!--"):
            after = text[text.index(key):]
            if after[after.index("```sh\n") + len("```sh\n"):].startswith(block):
                return where
        elif block in sh_blocks(section=key):
            return where
    return None


BLOCKS = [b for b in sh_blocks() if any("meshdeck" in line for line in lines(b))
          and run_elsewhere(b) is None]


@pytest.fixture
def world(monkeypatch, tmp_path):
    """A fresh mock per dialect (and per fault plan), the TUI and the servers recorded."""
    apps: dict = {}

    def new_mock_app(kind=None, faults=None, **options):
        from console.mock.app import create_app
        from console.mock.conductor_app import create_conductor_app

        key = (kind or "unmeshed", str(faults))
        if key not in apps:
            make = create_conductor_app if key[0] == "conductor" else create_app
            apps[key] = make(seed=7, executions=400, clock=FakeClock(int(time.time() * 1000)),
                             faults=faults)
        return apps[key]

    recorded: list = []
    tui = type(sys)("console.tui.app")
    tui.run_tui = lambda backend, settings, theme=None, *, mock=False, connect=None: \
        recorded.append(("tui", backend, settings))
    monkeypatch.setitem(sys.modules, "console.tui.app", tui)
    monkeypatch.setattr(common, "has_terminal", lambda: True)
    monkeypatch.setattr(common, "interactive", lambda: True)
    monkeypatch.setattr(connect, "new_mock_app", new_mock_app)
    import console.mock.serve
    import console.web

    monkeypatch.setattr(console.mock.serve, "serve", lambda **kw: recorded.append(("mock", kw)))

    def serve_web(command, *, host, port, token, on_ready):
        recorded.append(("web", command))
        on_ready(port)

    monkeypatch.setattr(console.web, "serve", serve_web)
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return recorded


def words(command: Command, run) -> list[str]:
    """The arguments, each ``$(...)`` replaced by the words of its output."""
    out: list[str] = []
    for arg in command.argv:
        if isinstance(arg, Command):
            inner = run(arg, None)
            assert inner.exit_code == 0, inner.stderr
            out += inner.stdout.split()
        else:
            out.append(arg)
    local = any(w in out for w in LOCAL) or out == ["--version"]
    if "--mock" not in out and not local:
        out.append("--mock")
    return out


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: " ".join(lines(b)[0].split()[:3]))
def test_every_readme_command_line_runs_against_the_mock(block, cli, world, tmp_path):
    env = {"UNMESHED_BASE_URL": "http://127.0.0.1:8080"}
    ran = 0

    def run(command: Command, stdin: str | None):
        if command.program is not None:
            return other_program(command, stdin)
        args = words(command, run)
        return cli(*args, input=stdin if stdin is not None else "y\n", env={**env, **command.env})

    for line in needed_profiles(block) + lines(block):
        for pipeline in parse(line, env):
            last = None
            for n, command in enumerate(pipeline.commands, start=1):
                last = run(command, last.stdout if last is not None else None)
                if command.stdout_to:
                    (tmp_path / command.stdout_to).write_text(last.stdout)
                ran += 1
                if n < len(pipeline.commands):  # as with `set -o pipefail`: every side works
                    assert last.exit_code == 0, (pipeline.text, n, last.exit_code, last.stderr)
            check(pipeline, last, world)
    assert ran, "a block with a meshdeck line ran none"


def test_every_block_left_out_here_is_run_by_the_test_that_says_so():
    """A README block is only left out of the test above when another test runs it as written."""
    left = [b for b in sh_blocks() if any("meshdeck" in line for line in lines(b))
            and run_elsewhere(b) is not None]
    assert left, "RUN_ELSEWHERE names no block any more: drop it"
    root = README.parent
    for block in left:
        path = run_elsewhere(block).split()[0]
        assert (root / path).exists(), path
        assert "README" in (root / path).read_text(encoding="utf-8"), path


def other_program(command: Command, stdin: str | None) -> Run:
    """A program between meshdeck commands of a pipeline (jq), run for real."""
    if shutil.which(command.program) is None:
        pytest.skip(f"{command.program} is not installed: the README pipes meshdeck through it")
    done = subprocess.run(command.argv, input=stdin or "", capture_output=True, text=True,
                          timeout=60)
    return Run(done.returncode, done.stdout, done.stderr, lines=done.stdout.splitlines())


def needed_profiles(block: str) -> list[str]:
    """The README's own ``config set-profile NAME`` lines for profiles a block uses but does not
    create (``serve-web --profile prod`` comes after the section that made ``prod``)."""
    made = {line: re.search(r"set-profile (\S+)", line).group(1)
            for b in BLOCKS for line in lines(b) if "config set-profile" in line}
    used = set(re.findall(r"--profile (\S+)", block)) - set(re.findall(r"set-profile (\S+)", block))
    return [line for line, name in made.items() if name in used]


def check(pipeline: Pipeline, run, recorded) -> None:
    expected, why = next(((codes, why) for key, (codes, why) in EXPECTED.items()
                          if key in pipeline.text), ({0}, "it works"))
    if pipeline.may_fail:
        assert expected != {0}, f"{pipeline.text!r} expects to fail: say why in EXPECTED"
    assert run.exit_code in expected, (pipeline.text, why, run.exit_code, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr, pipeline.text
    assert "meshdeck: error: unexpected" not in run.stderr, pipeline.text


def test_the_lines_the_readme_promises_do_what_it_says(cli, world, tmp_path):
    """A few outputs the README describes, beyond the exit code."""
    served = cli("serve-web", "--mock")
    assert "http://127.0.0.1:8000/?token=" in served.stdout
    assert cli("--mock").exit_code == 0 and world[-2][0] == "web" and world[-1][0] == "tui"
    run = cli("search", "--status", "FAILED", "--since", "1d", "--all", "-o", "ndjson", "--mock")
    assert {json.loads(r)["status"] for r in run.lines} == {"FAILED"}


def test_the_parser_reads_pipes_substitutions_redirections_and_variables():
    env: dict[str, str] = {}
    assert parse("PROC=", env) == [] and env == {"PROC": ""}
    [p] = parse('meshdeck search -o ids | meshdeck review - --yes --reason "known outage"', env)
    assert [c.argv for c in p.commands] == [["search", "-o", "ids"],
                                            ["review", "-", "--yes", "--reason", "known outage"]]
    [p] = parse("meshdeck get $(meshdeck search --limit 3 -o ids) -o json > out.json", env)
    [get] = p.commands
    assert get.argv[0] == "get" and get.argv[1].argv == ["search", "--limit", "3", "-o", "ids"]
    assert get.argv[2:] == ["-o", "json"] and get.stdout_to == "out.json"
    [p] = parse('meshdeck --profile w terminate 1 --yes || echo "refused, exit $?"', env)
    assert p.may_fail and p.commands[0].argv[-1] == "--yes"
    [p] = parse("if meshdeck resume --yes -o json > r.json; then", env)
    assert p.commands[0].argv == ["resume", "--yes", "-o", "json"]
    [p] = parse("X='a=1,b' meshdeck --mock review --name \"$PROC\"", env)
    assert p.commands[0].env == {"X": "a=1,b"} and p.commands[0].argv[-1] == ""
    assert parse("python3 -m venv .venv && .venv/bin/pip install -e .", env) == []
    [p] = parse("meshdeck failures -o json | jq -r '.[0].ids[]' | meshdeck resume - --yes", env)
    assert [c.program for c in p.commands] == [None, "jq", None]
    assert p.commands[1].argv == ["jq", "-r", ".[0].ids[]"]
    [p] = parse(".venv/bin/pip install -e . && .venv/bin/meshdeck --mock", env)
    assert p.commands[0].argv == ["--mock"]
