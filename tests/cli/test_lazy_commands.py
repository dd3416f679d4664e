"""Each command's module is imported only when that command runs (``console.cli.command_table``):
the list of commands in ``meshdeck --help`` is made from the table, and must read exactly as
the commands themselves would have it; a typo still gets "Did you mean"."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from console.cli import main
from console.cli.command_table import COMMANDS


def help_text(monkeypatch, from_table: bool) -> str:
    monkeypatch.setattr(main.MeshdeckGroup, "list_from_table", from_table)
    monkeypatch.setenv("COLUMNS", "100")
    run = CliRunner().invoke(main.app, ["--help"], prog_name="meshdeck")
    assert run.exit_code == 0, run.output
    return run.output


def test_the_table_lists_every_command_as_the_commands_themselves_do(monkeypatch):
    from_modules = help_text(monkeypatch, from_table=False)
    assert help_text(monkeypatch, from_table=True) == from_modules
    for name in COMMANDS:
        assert f" {name} " in from_modules


def test_the_table_names_each_commands_module_and_panel():
    import typer

    for name, entry in COMMANDS.items():
        command = typer.main.get_group(main._module_app(entry.module)).commands[name]
        assert command.rich_help_panel == entry.panel, name


def test_a_command_imports_its_own_module_and_not_the_others():
    probe = ("import sys\n"
             "from typer.testing import CliRunner\n"
             "from console.cli.main import app\n"
             "CliRunner().invoke(app, ['search', '--help'])\n"
             "print(sorted(m for m in sys.modules if m.startswith('console.cli.')))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert "'console.cli.search'" in out
    for other in ("actions", "definitions", "mock_cmd", "login", "files"):
        assert f"'console.cli.{other}'" not in out


def test_a_typo_is_answered_with_the_nearest_commands():
    run = CliRunner().invoke(main.app, ["serch"], prog_name="meshdeck")
    assert run.exit_code == 2
    assert "No such command 'serch'. Did you mean 'search'?" in run.output
