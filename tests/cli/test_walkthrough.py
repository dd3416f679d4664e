"""README's "fix-and-resume walk-through", run line for line by bash against ``meshdeck mock
serve`` over real HTTP: login, export, edit (a new version), diff, apply, resume on the latest
definition; then the server is asked what happened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.served import mock_server

README = Path(__file__).resolve().parents[2] / "README.md"
MARK = "<!-- walkthrough: run by tests/cli/test_walkthrough.py -->"


def walkthrough() -> str:
    """The shell block right after the marker."""
    text = README.read_text(encoding="utf-8")
    after = text[text.index(MARK) + len(MARK):]
    start = after.index("```sh\n") + len("```sh\n")
    return after[start:after.index("```", start)]


def test_the_readme_walkthrough_runs(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("UNMESHED_", "MESHDECK_", "NO_COLOR"))}
    env.update(MESHDECK_CONFIG=str(tmp_path / "config.toml"), MESHDECK_KEYRING="off",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    with mock_server("--executions", "3000", env=env) as port:
        script = walkthrough().replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        out = run.stdout
        assert "new version: payments/charge_card v4 (against v3)" in out
        assert "-    errorPolicyName: retry_3_exponential" in out
        assert "+    errorPolicyName: retry_5_exponential" in out
        assert "would write 1 definition(s)" not in run.stderr  # apply was for real
        assert "apply: 1 written, 0 unchanged" in run.stderr
        assert "resumes on v4" in out  # the dry run's per-execution plan

        def meshdeck(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(["meshdeck", *args], cwd=tmp_path, env=env, text=True,
                                  capture_output=True, timeout=60)

        latest = json.loads(meshdeck("definitions", "get", "payments/charge_card", "-o", "json").stdout)
        assert latest["version"] == 4
        assert latest["steps"][1]["configuration"]["errorPolicyName"] == "retry_5_exponential"
        moved = json.loads(meshdeck("search", "--name", "charge_card", "--since", "7d", "--status",
                                    "RUNNING,COMPLETED", "--all", "-o", "json").stdout)
        assert any(p["version"] == 4 for p in moved)
        left = meshdeck("search", "--name", "charge_card", "--since", "7d", "--status", "FAILED",
                        "-o", "ids")
        assert left.returncode == 0 and left.stdout.strip() == ""
    assert (tmp_path / "defs" / "payments.charge_card.v4.yaml").exists()
    assert "demo-token" not in (tmp_path / "config.toml").read_text()
