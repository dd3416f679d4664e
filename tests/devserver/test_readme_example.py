"""The README's "Develop workers offline" walkthrough, as written: its definition file, its
``mock serve --definitions ... --empty``, its workers.py, and the result it promises."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.served import mock_server, stop

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.timeout(60)


def section_blocks() -> dict[str, str]:
    """The section's code blocks by language (the shell blocks joined)."""
    text = README.read_text()
    section = text[text.index("## Develop workers offline"):]
    section = section[:section.index("\n## ", 1)]
    blocks: dict[str, str] = {}
    for lang, body in re.findall(r"```(\w+)\n(.*?)```", section, re.S):
        blocks[lang] = blocks.get(lang, "") + body
    return blocks


def test_the_readme_walkthrough_gives_what_it_says(tmp_path):
    blocks = section_blocks()
    assert "meshdeck mock serve --definitions definitions/ --empty" in blocks["sh"]
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "hello.yaml").write_text(blocks["yaml"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UNMESHED_", "MESHDECK_"))}
    with mock_server("--definitions", str(tmp_path / "definitions"), "--empty", env=env) as port:
        workers = tmp_path / "workers.py"
        workers.write_text(blocks["python"].replace("port=8080", f"port={port}"))
        proc = subprocess.Popen([sys.executable, str(workers)], cwd=tmp_path, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            answer = httpx.post(f"http://127.0.0.1:{port}/api/process/runSync", timeout=20,
                                params={"clientId": "me", "timeout": "15"},
                                json={"namespace": "default", "name": "hello_worker",
                                      "input": {"name": "Ana"}})
        finally:
            stop(proc)
    process = answer.json()
    assert process["status"] == "COMPLETED", process
    assert process["output"] == {"result": "HELLO, ANA"}
    assert '"output": {"result": "HELLO, ANA"}' in blocks["sh"]  # what the README promises
