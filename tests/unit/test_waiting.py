"""The words for a step no worker has taken (console/services/waiting.py), shared by
``meshdeck get`` and the execution screen."""

from __future__ import annotations

from datetime import UTC, datetime

from console.format import age, relative
from console.models import ProcessData
from console.services.waiting import waiting_messages

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)


def process(process_status: str = "RUNNING", **step) -> ProcessData:
    base = {"id": 1, "ref": "lonely", "name": "dev_step", "namespace": "default", "type": "WORKER",
            "status": "SCHEDULED", "schedule": NOW_MS - 600_000,
            "executionList": [{"id": 10, "scheduled": NOW_MS - 125_000}]}
    return ProcessData.model_validate({"processId": 1, "status": process_status, "stepRecords": [base | step]})


def test_a_scheduled_worker_step_says_which_queue_and_since_when():
    assert waiting_messages(process(), NOW) == ["waiting for a worker on `dev_step` since 2m (step lonely)"]
    assert waiting_messages(process(ref="dev_step", namespace="shop", executionList=[]), NOW) == [
        "waiting for a worker on `shop/dev_step` since 10m"]


def test_nothing_to_say_unless_a_running_process_has_an_untaken_worker_step():
    assert waiting_messages(process("TERMINATED"), NOW) == []
    assert waiting_messages(process(status="RUNNING"), NOW) == []  # a worker has it
    assert waiting_messages(process(type="HTTP"), NOW) == []


def test_age_and_relative_share_their_units():
    assert [age(NOW_MS - s * 1000, NOW) for s in (0, 42, 300, 7200, 200_000)] == ["0s", "42s", "5m", "2h", "2d"]
    assert age(NOW_MS + 60_000, NOW) == "0s" and age(None, NOW) == ""
    assert relative(NOW_MS - 300_000, NOW) == "5m ago" and relative(NOW_MS + 300_000, NOW) == "in 5m"
    assert relative(NOW_MS - 1000, NOW) == "just now"
