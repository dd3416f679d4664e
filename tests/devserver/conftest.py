"""The dev server under test: ``meshdeck mock serve --definitions DIR`` in a subprocess (auth
required), official-SDK workers in subprocesses (``sdk_workers/run.py``), a plain HTTP client to
start and read processes, and the CLI (CliRunner) to look at them as a developer would."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.cli.conftest import cli, isolated_config  # noqa: F401 - fixtures for this folder too
from tests.served import mock_server, stop

CLIENT_ID, TOKEN = "dev-client", "dev-token"
RUNNER = Path(__file__).resolve().parent / "sdk_workers" / "run.py"

#: The definitions the dev server loads: YAML and JSON, one and several per file.
PIPELINE = {
    "namespace": "shop", "name": "order_pipeline", "type": "STANDARD",
    "steps": [
        {"ref": "reserve", "type": "WORKER", "name": "reserve_stock",
         "input": {"orderId": "{{ context.input.orderId }}", "items": "{{ context.input.items }}"}},
        {"ref": "charge", "type": "WORKER", "name": "charge_card",
         "input": {"reservation": "{{ steps.reserve.output.reservation }}",
                   "amount": "{{ context.input.amount }}"}},
        {"ref": "after_charge", "type": "PARALLEL", "children": [
            {"ref": "receipt", "type": "WORKER", "name": "send_receipt",
             "input": {"chargeId": "{{ steps.charge.output.chargeId }}",
                       "email": "{{ context.input.email }}"}},
            {"ref": "progress", "type": "WORKER", "name": "slow_step"},
            {"ref": "audit", "type": "NOOP", "input": {"note": "charged {{ steps.charge.output.amount }}"}},
        ]},
    ],
    "outputMapping": {"chargeId": "{{ steps.charge.output.chargeId }}",
                      "receipt": "{{ steps.receipt.output.sent }}",
                      "audit": "{{ steps.audit.output.note }}"},
}
FORMS = [
    {"namespace": "default", "name": "async_demo", "type": "STANDARD", "steps": [{"ref": "hello", "type": "WORKER", "name": "sample_async_function",
                                      "input": {"who": "{{ context.input.who }}"}}]},
    {"namespace": "default", "name": "greetings", "type": "STANDARD", "steps": [
        {"ref": "english", "type": "WORKER", "name": "greet_en",
         "input": {"lang": "en", "name": "{{ context.input.name }}"}},
        {"ref": "french", "type": "WORKER", "name": "greet_fr",
         "input": {"lang": "fr", "name": "{{ context.input.name }}"}},
    ]},
]
FLAKY = {"namespace": "default", "name": "flaky_demo", "type": "STANDARD", "steps": [
    {"ref": "flaky", "type": "WORKER", "name": "flaky_step",
     "configuration": {"errorPolicyName": "retry_2_linear"}},
    {"ref": "done", "type": "NOOP"},
]}
NOBODY = {"namespace": "default", "name": "nobody_demo", "type": "STANDARD", "steps": [{"ref": "lonely", "type": "WORKER", "name": "dev_step"}]}


@pytest.fixture(scope="session")
def definitions_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("definitions")
    (folder / "pipeline.yaml").write_text(yaml.safe_dump(PIPELINE, sort_keys=False))
    (folder / "forms.json").write_text(json.dumps(FORMS, indent=2))
    (folder / "flaky.yml").write_text(yaml.safe_dump(FLAKY, sort_keys=False))
    (folder / "nobody.json").write_text(json.dumps(NOBODY))
    return folder


class DevServer:
    """The running mock: its URL, and a client that starts and reads processes."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        auth = f"Bearer client.sdk.{CLIENT_ID}.{hashlib.sha256(TOKEN.encode()).hexdigest()}"
        self.http = httpx.Client(base_url=self.base, headers={"Authorization": auth}, timeout=20)

    def run(self, namespace: str, name: str, inp: dict[str, Any] | None = None) -> int:
        answer = self.http.post("/api/process/runAsync", params={"clientId": CLIENT_ID},
                                json={"namespace": namespace, "name": name, "input": inp or {}})
        answer.raise_for_status()
        return answer.json()["processId"]

    def get(self, pid: int) -> dict[str, Any]:
        answer = self.http.get(f"/api/process/context/{pid}", params={"includeSteps": "true"})
        answer.raise_for_status()
        return answer.json()

    def step(self, pid: int, ref: str) -> dict[str, Any]:
        return next(s for s in self.get(pid)["stepRecords"] if s["ref"] == ref)

    def wait(self, pid: int, until: Callable[[dict[str, Any]], bool] | None = None,
             timeout: float = 20) -> dict[str, Any]:
        """The process once ``until(process)`` holds (default: it is no longer RUNNING)."""
        until = until or (lambda p: p["status"] != "RUNNING")
        deadline = time.monotonic() + timeout
        while True:
            data = self.get(pid)
            if until(data):
                return data
            if time.monotonic() > deadline:
                raise AssertionError(f"process {pid} did not get there in {timeout:.0f} s: "
                                     f"{json.dumps(data, indent=1)[:3000]}")
            time.sleep(0.05)

    def wait_polled(self, *queues: str, timeout: float = 20) -> None:
        """Until every ``namespace/name`` in ``queues`` has been polled (the mock-only view)."""
        deadline = time.monotonic() + timeout
        while True:
            view = httpx.get(self.base + "/__mock/workers", timeout=5).json()  # no auth needed
            polled = {f"{q['namespace']}/{q['name']}" for q in view["queues"] if q["lastPoll"]}
            if set(queues) <= polled:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"no worker polled {set(queues) - polled} in {timeout:.0f} s")
            time.sleep(0.05)

    def cli_env(self) -> dict[str, str]:
        """What the CLI needs to reach this server."""
        return {"UNMESHED_BASE_URL": "http://127.0.0.1", "UNMESHED_PORT": str(self.port),
                "UNMESHED_CLIENT_ID": CLIENT_ID, "UNMESHED_AUTH_TOKEN": TOKEN, "NO_COLOR": "1"}


@pytest.fixture(scope="session")
def dev_server(definitions_dir) -> Iterator[DevServer]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UNMESHED_", "MESHDECK_"))}
    with mock_server("--definitions", str(definitions_dir), "--executions", "200",
                     "--require-auth", f"{CLIENT_ID}:{TOKEN}", env=env) as port:
        server = DevServer(port)
        yield server
        server.http.close()


@pytest.fixture
def sdk_workers(dev_server) -> Iterator[Callable[[str], subprocess.Popen]]:
    """``sdk_workers(form, *queues)`` starts ``sdk_workers/run.py PORT FORM`` and waits until
    it polls ``queues``; stopped after the test (its log is shown when the test fails)."""
    started: list[tuple[subprocess.Popen, Any]] = []

    def start(form: str, *queues: str) -> subprocess.Popen:
        log = tempfile.TemporaryFile("w+")
        env = {**os.environ, "MOCK_CLIENT_ID": CLIENT_ID, "MOCK_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen([sys.executable, str(RUNNER), str(dev_server.port), form],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        started.append((proc, log))
        dev_server.wait_polled(*queues)
        return proc

    yield start
    for proc, log in started:
        stop(proc)
        log.seek(0)
        text = log.read()
        print(f"--- worker log ({proc.args[-1]}, exit {proc.returncode}) ---\n{text[-4000:]}")
        log.close()
