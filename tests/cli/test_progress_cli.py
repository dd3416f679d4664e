"""Progress of what is running in the CLI: ``get`` says how far a RUNNING execution is and
when it usually ends, ``search --columns progress,expected,slow`` gives the same numbers the
console shows (``console.services.progress``); and the console's server switch opens another
profile through the CLI's connection setup."""

from __future__ import annotations

import asyncio
import json

from console.cli.common import State, profile_backend
from tests.cli.conftest import ids_with


def test_get_says_how_far_a_running_execution_is(cli, mock):
    pid = ids_with(mock.store, "RUNNING", 1)[0]
    run = cli("get", pid, "--mock")
    assert run.exit_code == 0, run.stderr
    [line] = [line for line in run.lines if line.startswith("progress")]
    assert "% of its usual work" in line and "(p50, p95)" in line
    done = ids_with(mock.store, "COMPLETED", 1)[0]
    assert not [line for line in cli("get", done, "--mock").lines if line.startswith("progress")]


def test_search_progress_columns_for_executions_under_way(cli, mock):
    run = cli("search", "--mock", "--since", "7d", "--status", "RUNNING,COMPLETED", "--limit",
              "30", "--columns", "id,status,progress,expected,slow", "-o", "json")
    assert run.exit_code == 0, run.stderr
    rows = json.loads(run.stdout)
    running = [r for r in rows if r["status"] == "RUNNING"]
    assert running and all(0 <= r["progress"] < 100 for r in running)
    assert all(r["expected"].endswith("Z") and isinstance(r["slow"], bool) for r in running)
    assert all(r["progress"] is None and r["slow"] is None
               for r in rows if r["status"] == "COMPLETED")
    table = cli("search", "--mock", "--since", "7d", "--status", "RUNNING", "--limit", "5",
                "--columns", "id,progress,expected")
    assert "PROGRESS" in table.stdout and "USUAL END" in table.stdout
    assert any(cell in table.stdout for cell in ("▰", "▱"))
    args = ("search", "--mock", "--since", "7d", "--status", "RUNNING", "--limit", "5",
            "--columns", "id,slow")
    assert "False" not in cli(*args).stdout and "True" not in cli(*args).stdout  # "slow" or ""
    csv_rows = cli(*args, "-o", "csv").lines[1:]
    assert csv_rows and all(line.split(",")[1] in ("true", "false") for line in csv_rows)


def test_without_a_progress_column_no_history_is_fetched(cli, mock):
    cli("search", "--mock", "--since", "7d", "--status", "RUNNING", "--limit", "5")
    assert not [path for _, path in mock.requests if "/context/" in path]


def test_the_console_switches_to_another_profile_with_this_runs_safety_flags(isolated_config):
    isolated_config.write_text('[profiles.prod]\nbase_url = "https://orch.example.com"\n'
                               'client_id = "ops"\ntoken = "t"\nbanner = "PROD"\n')
    state = State(mock=True, read_only=True, timeout=3.0, base_url="http://elsewhere")
    backend, settings = profile_backend(state, "prod")
    assert settings.profile == "prod" and settings.banner == "PROD"
    assert backend.base == "https://orch.example.com"  # the profile's server, not a flag's
    assert settings.read_only and settings.timeout == 3.0  # --read-only and --timeout stay
    asyncio.run(backend.aclose())
