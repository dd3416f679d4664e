"""The installed binary over real HTTP: ``meshdeck mock serve`` in a subprocess, then
``search -o ids | review - --yes``, checked with ``get -o json``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.readme_commands import sh_blocks
from tests.served import meshdeck, mock_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UNMESHED_", "MESHDECK_", "NO_COLOR"))}
    env["MESHDECK_CONFIG"] = str(tmp_path / "config.toml")
    env["MESHDECK_DATA_DIR"] = str(tmp_path / "data")  # the action journal of these runs
    with mock_server("--executions", "3000", env=env) as port:
        yield f"http://127.0.0.1:{port}", env


def test_search_ids_piped_into_review_marks_them_reviewed(server):
    base, env = server
    common = ["--base-url", base, "--client-id", "e2e"]
    search = subprocess.run([*meshdeck(), "search", *common, "--status", "FAILED", "--limit", "5", "-o", "ids"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert search.returncode == 0, search.stderr
    ids = search.stdout.split()
    assert ids and all(i.isdigit() for i in ids)

    review = subprocess.run([*meshdeck(), "review", "-", "--yes", *common, "--reason", "e2e", "-o", "json"],
                            input=search.stdout, capture_output=True, text=True, env=env, timeout=60)
    assert review.returncode == 0, review.stderr
    assert {r["result"] for r in json.loads(review.stdout)} == {"done"}

    got = subprocess.run([*meshdeck(), "get", *ids, *common, "-o", "json"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert got.returncode == 0, got.stderr
    assert {p["status"] for p in json.loads(got.stdout)} == {"REVIEWED"}

    again = subprocess.run([*meshdeck(), "search", *common, "--status", "FAILED", "--limit", "20", "-o", "ids"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert not set(again.stdout.split()) & set(ids)


def test_without_yes_the_pipe_is_refused(server):
    base, env = server
    run = subprocess.run([*meshdeck(), "review", "-", "--base-url", base], input="1000001\n",
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 2 and "pass --yes" in run.stderr and "Traceback" not in run.stderr


def doc_blocks() -> list[str]:
    """The ```sh blocks of the README's "CLI in scripts" section."""
    return sh_blocks(section="CLI in scripts")


def test_the_docs_have_examples():
    blocks = doc_blocks()
    assert len(blocks) >= 4 and all("meshdeck" in b for b in blocks)


@pytest.mark.parametrize("script", doc_blocks(), ids=lambda b: b.split()[1] + "-" + b.split()[2])
def test_docs_cli_examples_run(server, tmp_path, script):
    """Each ```sh block of the README's "CLI in scripts" runs under bash -e -o pipefail and succeeds."""
    base, env = server
    bin_dir = os.path.dirname(meshdeck()[0]) if len(meshdeck()) == 1 else None
    env = {**env, "UNMESHED_BASE_URL": base, "UNMESHED_CLIENT_ID": "docs"}
    if bin_dir:
        env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    if not bin_dir:  # no installed binary: a shell function stands in for it
        script = f'meshdeck() {{ "{sys.executable}" -m console "$@"; }}\n' + script
    run = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"{script}\nstdout: {run.stdout}\nstderr: {run.stderr}"
    assert "Traceback" not in run.stderr
    if "failed.ndjson" in script:
        rows = [json.loads(line) for line in (tmp_path / "failed.ndjson").read_text().splitlines()]
        assert rows and {r["status"] for r in rows} == {"FAILED"}
        header = (tmp_path / "last-day.csv").read_text().splitlines()[0]
        assert header == "id,name,status,started,duration"
        assert len(json.loads((tmp_path / "failed-details.json").read_text())) == 3
    if "--read-only" in script:
        assert "refused, exit 2" in run.stdout
