"""The dev server with the official SDK's own workers (``unmeshed-sdk`` 1.3.3, ``client.start()``
in subprocesses) against ``meshdeck mock serve --definitions DIR`` over HTTP, watched with the
meshdeck CLI as a developer would."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.timeout(90)


def test_plain_function_worker_takes_over_the_seeded_test_worker(dev_server, sdk_workers):
    """The SDK README's example: register test_worker, start(); test_process reaches it."""
    sdk_workers("plain", "default/test_worker")
    pid = dev_server.run("default", "test_process", {"test1": "value", "test2": 100})
    done = dev_server.wait(pid)
    assert done["status"] == "COMPLETED", done
    step = next(s for s in done["stepRecords"] if s["ref"] == "test_worker")
    assert step["output"]["message"] == "Hello from the plain worker"
    assert step["output"]["input_received"]["test2"] == 100  # the seeded step gets the process input
    assert step["executionList"][-1]["executor"] and step["workerId"]


def test_async_function_worker_completes_a_process(dev_server, sdk_workers):
    sdk_workers("async", "default/sample_async_function")
    pid = dev_server.run("default", "async_demo", {"who": "ana"})
    done = dev_server.wait(pid)
    assert done["status"] == "COMPLETED", done
    assert done["output"] == {"message": "Hello from the async worker", "input_received": {"who": "ana"}}


def test_decorated_worker_serves_each_of_its_queue_names(dev_server, sdk_workers):
    sdk_workers("decorated", "default/greet_en", "default/greet_fr")
    pid = dev_server.run("default", "greetings", {"name": "Noor"})
    done = dev_server.wait(pid)
    assert done["status"] == "COMPLETED", done
    by_ref = {s["ref"]: s for s in done["stepRecords"]}
    assert by_ref["english"]["output"] == {"greeting": "Hello, Noor"}
    assert by_ref["french"]["output"] == {"greeting": "Bonjour, Noor"}


def test_your_definition_runs_with_your_workers_and_maps_outputs(dev_server, sdk_workers):
    """Two WORKER steps in sequence, then a PARALLEL branch with a worker that asks to be
    rescheduled, each step's input mapped from the ones before (namespace shop)."""
    sdk_workers("pipeline", "shop/reserve_stock", "shop/slow_step")
    pid = dev_server.run("shop", "order_pipeline", {"orderId": "o-7", "items": ["a", "b"],
                                                     "amount": 12.5, "email": "ana@example.com"})
    done = dev_server.wait(pid)
    assert done["status"] == "COMPLETED", done
    by_ref = {s["ref"]: s for s in done["stepRecords"]}
    assert by_ref["reserve"]["input"] == {"orderId": "o-7", "items": ["a", "b"]}
    assert by_ref["charge"]["input"] == {"reservation": "res-o-7", "amount": 12.5}
    assert by_ref["receipt"]["input"] == {"chargeId": "ch-res-o-7", "email": "ana@example.com"}
    assert done["output"] == {"chargeId": "ch-res-o-7", "audit": "charged 12.5",
                              "receipt": "receipt for ch-res-o-7 to ana@example.com"}
    assert by_ref["after_charge"]["status"] == "COMPLETED"
    assert by_ref["receipt"]["parentRef"] == by_ref["progress"]["parentRef"] == "after_charge"
    # RUNNING with rescheduleAfterSeconds=1: polled again a second later, in the same attempt
    progress = by_ref["progress"]
    assert progress["output"] == {"progress": "done", "calls": 2}
    assert len(progress["executionList"]) == 1 and progress["executionList"][0]["runs"] == 2
    assert progress["updated"] - progress["start"] >= 1000
    # and the order: reserve before charge before the branch
    assert by_ref["reserve"]["updated"] <= by_ref["charge"]["start"] <= by_ref["receipt"]["start"]


def test_a_failing_worker_fails_after_its_retries_and_resume_sends_it_back(dev_server, sdk_workers, cli):
    sdk_workers("flaky", "default/flaky_step")
    pid = dev_server.run("default", "flaky_demo")
    failed = dev_server.wait(pid)
    assert failed["status"] == "FAILED", failed
    step = next(s for s in failed["stepRecords"] if s["ref"] == "flaky")
    assert len(step["executionList"]) == 3  # retry_2: the first try and two retries
    assert failed["output"]["error"] == "flaky_step failed on call 3"

    shown = cli("get", str(pid), "--steps", env=dev_server.cli_env())
    assert shown.exit_code == 0, shown.stderr
    row = next(line for line in shown.lines if line.startswith("flaky "))
    assert re.search(r"\bFAILED\s+3\b", row), row  # the ATTEMPTS column
    assert "error in step flaky (flaky_step, WORKER): flaky_step failed on call 3" in shown.stdout

    resumed = cli("resume", str(pid), "--yes", env=dev_server.cli_env())
    assert resumed.exit_code == 0, resumed.stderr
    done = dev_server.wait(pid)
    assert done["status"] == "COMPLETED", done
    step = next(s for s in done["stepRecords"] if s["ref"] == "flaky")
    assert step["output"] == {"ok": True, "calls": 4} and len(step["executionList"]) == 4


def test_a_step_without_a_worker_waits_says_so_and_terminate_stops_it(dev_server, cli):
    pid = dev_server.run("default", "nobody_demo")
    waiting = dev_server.wait(pid, until=lambda p: bool(p["stepRecords"]))
    assert waiting["status"] == "RUNNING" and waiting["stepRecords"][0]["status"] == "SCHEDULED"

    shown = cli("get", str(pid), env=dev_server.cli_env())
    assert shown.exit_code == 0, shown.stderr
    assert re.search(r"waiting for a worker on `dev_step` since \d+s \(step lonely\)", shown.stdout)

    seen = cli("mock", "workers", "--port", str(dev_server.port), env=dev_server.cli_env())
    assert seen.exit_code == 0, seen.stderr
    assert "mock-only" in seen.stdout
    row = next(line for line in seen.lines if line.startswith("default/dev_step "))
    assert "never polled" in row and re.search(r"\b1 \(oldest", row)

    stopped = cli("terminate", str(pid), "--yes", "--reason", "no worker yet", env=dev_server.cli_env())
    assert stopped.exit_code == 0, stopped.stderr
    after = dev_server.get(pid)
    assert after["status"] == "TERMINATED" and after["stepRecords"][0]["status"] == "CANCELLED"
    again = cli("get", str(pid), env=dev_server.cli_env())
    assert "waiting for a worker" not in again.stdout
