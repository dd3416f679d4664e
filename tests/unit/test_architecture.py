"""The module boundaries DESIGN.md promises: the core and the CLI never import Textual; backends
never import the mock, the CLI or the TUI; services know only the backend contract."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contract_holds():
    """import-linter's contract in pyproject.toml: nothing outside console.tui imports textual."""
    lint = Path(sys.executable).with_name("lint-imports")
    command = [str(lint)] if lint.exists() else [sys.executable, "-m", "importlinter.cli"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 kept, 0 broken" in run.stdout


def test_a_cli_search_never_loads_textual():
    """A one-shot command runs without Textual in memory (that is what keeps it fast)."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from console.cli.main import app\n"
        "result = CliRunner().invoke(app, ['--mock', 'search', '--limit', '3', '-o', 'ids'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('textual' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNMESHED_")}
    env["MESHDECK_CONFIG"] = "/nonexistent/meshdeck-test/config.toml"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "False"


def test_python_dash_m_console_works_like_meshdeck():
    run = subprocess.run([sys.executable, "-m", "console", "--version"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("meshdeck ")


def test_the_contract_covers_every_core_module():
    """A new core module cannot slip past the contract: each one is a source module in it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    listed = set(contract["source_modules"])
    package = ROOT / "console"
    present = {f"console.{p.stem}" for p in package.iterdir()
               if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()}
    assert present - {"console.tui"} <= listed, sorted(present - {"console.tui"} - listed)
