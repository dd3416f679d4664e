"""How long an execution ran (ProcessData / ProcessSummary): from the server's end time, the
steps' ends, or updated - created while nothing but the run can have moved it."""

from __future__ import annotations

from console.format import run_duration
from console.models import ProcessData, ProcessSummary

CREATED = 1_764_064_800_000
RAN = 7_400
REVIEWED_AT = CREATED + 5 * 3_600_000 + 300_000  # "5h 05m" later


def process(status: str, **extra) -> ProcessData:
    return ProcessData.model_validate({"processId": 1, "status": status, "created": CREATED,
                                       "updated": CREATED + RAN, **extra})


def both(p: ProcessData):
    return p, ProcessSummary.of(p)


def test_a_finished_execution_ran_from_created_to_its_last_update():
    for status in ("COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED", "CANCELLED"):
        for item in both(process(status)):
            assert item.duration_ms == RAN, status


def test_a_reviewed_execution_has_no_duration_from_its_last_update():
    for item in both(process("REVIEWED", updated=REVIEWED_AT)):
        assert item.duration_ms is None and run_duration(item) == ""


def test_a_reviewed_execution_with_steps_ran_until_its_last_step_ended():
    steps = [{"id": 1, "start": CREATED + 10, "updated": CREATED + 3_000},
             {"id": 2, "start": CREATED + 3_000, "updated": CREATED + RAN},
             {"id": 3, "start": 0, "updated": None}]
    p = process("REVIEWED", updated=REVIEWED_AT, stepRecords=steps)
    assert p.duration_ms == RAN and run_duration(p) == "7.4s"


def test_the_servers_end_time_wins():
    p = process("FAILED", updated=REVIEWED_AT, endTime=CREATED + RAN)
    for item in both(p):
        assert item.duration_ms == RAN


def test_an_execution_under_way_has_a_duration_so_far_only():
    for status in ("RUNNING", "PAUSED"):
        for item in both(process(status)):
            assert item.duration_ms is None
            assert item.running_for(CREATED + 12_000) == 12_000
            assert run_duration(item, now_ms=CREATED + 12_000) == "12.0s so far"


def test_a_status_nobody_knows_has_no_duration():
    for item in both(process("HIBERNATING")):
        assert item.duration_ms is None and item.running_for(CREATED + 1) is None
