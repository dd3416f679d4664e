"""Pieces of the detail and step screens that need no app: CLI lines, failure line, attempts."""

from __future__ import annotations

from datetime import UTC, datetime

from console.models import ProcessData, StepData
from console.tui.screens.detail_parts import cli_lines, failure_line, global_flags, summary
from console.tui.screens.step import attempt_rows, step_summary

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def lines(*args, **kwargs) -> list[str]:
    return [c.line for c in cli_lines(*args, **kwargs)]


def test_cli_lines_for_a_failed_process_offer_resume_and_review_not_terminate():
    got = lines("1000216", "FAILED", step_id=100021607)
    assert got[0] == "meshdeck get 1000216 --steps"
    assert "meshdeck resume 1000216 --yes" in got
    assert any(line.startswith("meshdeck review 1000216 --reason") for line in got)
    assert not any("terminate" in line for line in got)
    assert "meshdeck rerun 1000216" in got
    assert got[-1] == "meshdeck step 100021607"


def test_cli_lines_for_a_running_process_offer_terminate_and_carry_the_profile():
    got = lines("42", "RUNNING", flags=global_flags("prod eu", mock=True))
    assert got[0] == "meshdeck get 42 --steps --profile 'prod eu' --mock"
    assert any(line.startswith("meshdeck terminate 42 ") for line in got)
    assert not any("resume" in line for line in got)


def test_cli_lines_quote_odd_ids():
    assert lines("1; rm -rf /", None)[0] == "meshdeck get '1; rm -rf /' --steps"


def process(status, steps=(), output=None) -> ProcessData:
    return ProcessData(process_id=1, status=status, output=output, step_records=list(steps))


def test_failure_line_names_the_failed_step_its_attempts_and_error():
    failed = StepData(id=2, ref="charge_card", type="HTTP", status="FAILED", updated=5,
                      output={"error": "card declined"}, execution_list=[{}, {}, {}])
    done = StepData(id=1, ref="validate", status="COMPLETED", updated=1)
    text = failure_line(process("FAILED", [done, failed])).plain
    assert text == "✗ charge_card (HTTP) failed after 3 attempts: card declined"


def test_failure_line_falls_back_to_the_process_output_and_is_none_when_fine():
    text = failure_line(process("TIMED_OUT", output={"errorMessage": "took too long"})).plain
    assert "timed out" in text and "took too long" in text
    assert failure_line(process("COMPLETED")) is None
    assert "no error message" in failure_line(process("FAILED")).plain


def test_summary_of_an_empty_process_does_not_fail():
    from rich.console import Console

    console = Console(width=120, record=True)
    console.print(summary(ProcessData(), NOW))
    assert "UNKNOWN" in console.export_text()


def test_the_summary_says_how_long_it_ran_so_far_or_in_all_never_since_a_review():
    from rich.console import Console

    def shown(p: ProcessData) -> str:
        console = Console(width=160, record=True)
        console.print(summary(p, NOW))
        return " ".join(console.export_text().split())

    created = int(NOW.timestamp() * 1000) - 5 * 3_600_000
    running = ProcessData(status="RUNNING", created=created, updated=created + 1000)
    assert "duration 5h 00m so far" in shown(running)
    step = StepData(id=1, status="FAILED", start=created, updated=created + 7_400)
    reviewed = ProcessData(status="REVIEWED", created=created, updated=created + 5 * 3_600_000,
                           step_records=[step])
    assert "duration 7.4s" in shown(reviewed)


def test_attempt_rows_in_run_order_with_offsets_and_results():
    step = StepData(status="FAILED", execution_list=[
        {"id": 11, "runs": 2, "scheduled": 2_000, "polled": 2_003, "start": 2_005,
         "updated": 2_500, "executor": "w-1", "output": {"error": "boom"}},
        {"id": 10, "runs": 1, "scheduled": 1_000, "polled": 1_003, "start": 1_005,
         "updated": 1_800, "executor": "w-0", "output": {"error": "timeout"}},
    ])
    rows = attempt_rows(step)
    assert [r[0] for r in rows] == ["1", "2"]
    run, executor, scheduled, polled, started, took, result, attempt_id = rows[0]
    assert (executor, polled, started, took, attempt_id) == ("w-0", "+3ms", "+5ms", "795ms", "10")
    assert result.plain == "failed: timeout"
    assert rows[1][6].plain == "FAILED: boom"


def test_step_summary_of_a_bare_step_does_not_fail():
    from rich.console import Console

    console = Console(width=120, record=True)
    console.print(step_summary(StepData(), NOW))
    assert "UNKNOWN" in console.export_text()
