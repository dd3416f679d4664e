"""meshdeck search: filters, formats parsed back, --all streaming, global options after the command."""

from __future__ import annotations

import csv
import io
import json

from tests.cli.conftest import ids_with


def test_search_json_is_valid_and_filtered_by_status_case_insensitively(cli, mock):
    run = cli("search", "--mock", "--status", "failed", "--limit", "500", "-o", "json")
    assert run.exit_code == 0, run.stderr
    rows = json.loads(run.stdout)
    assert rows and {r["status"] for r in rows} == {"FAILED"}
    assert run.stderr == ""


def test_global_options_work_before_and_after_the_command(cli, mock):
    before = cli("--mock", "search", "--status", "FAILED", "-o", "ids")
    after = cli("search", "--status", "FAILED", "-o", "ids", "--mock")
    assert before.exit_code == after.exit_code == 0
    assert before.stdout == after.stdout and before.stdout.strip()


def test_status_repeatable_and_comma_separated(cli, mock):
    run = cli("search", "--mock", "-s", "failed,timed_out", "--status", "Cancelled",
              "--limit", "1000", "-o", "ndjson")
    rows = [json.loads(line) for line in run.lines]
    assert run.exit_code == 0
    assert {r["status"] for r in rows} <= {"FAILED", "TIMED_OUT", "CANCELLED"}
    assert {"FAILED", "TIMED_OUT"} <= {r["status"] for r in rows}


def test_an_unknown_status_is_searched_with_a_warning_and_a_suggestion(cli, mock):
    """Statuses are an open set (a newer server may have more): warn, suggest, ask anyway."""
    run = cli("search", "--mock", "--status", "FIALED", "-o", "json")
    assert run.exit_code == 0
    assert json.loads(run.stdout) == []
    assert run.stderr.startswith("warning: status FIALED is not one meshdeck knows")
    assert "did you mean FAILED?" in run.stderr


def test_ids_output_one_id_per_line_matching_the_store(cli, mock):
    run = cli("search", "--mock", "--status", "FAILED", "--all", "-o", "ids")
    assert run.exit_code == 0
    failed_in_window = set(ids_with(mock.store, "FAILED"))
    assert set(run.lines) <= failed_in_window and len(run.lines) == len(set(run.lines)) > 0


def test_csv_parses_back_with_chosen_columns(cli, mock):
    run = cli("search", "--mock", "--limit", "7", "-o", "csv", "--columns", "id,status,name,duration")
    assert run.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert len(rows) == 7
    assert list(rows[0]) == ["id", "status", "name", "duration"]
    assert all(r["id"].isdigit() for r in rows)


def test_json_with_columns_keeps_only_those_keys(cli, mock):
    run = cli("search", "--mock", "--limit", "3", "-o", "json", "--columns", "id,status")
    assert [set(r) for r in json.loads(run.stdout)] == [{"id", "status"}] * 3


def test_all_streams_every_page_and_matches_the_store(cli, mock, monkeypatch):
    import console.services.search as search_service

    real = search_service.iter_pages
    pages = []

    async def small_pages(backend, query, page_size=1000, max_rows=None):
        async for rows in real(backend, query, page_size=40, max_rows=max_rows):
            pages.append(len(rows))
            yield rows

    monkeypatch.setattr(search_service, "iter_pages", small_pages)
    run = cli("search", "--mock", "--all", "--since", "30d", "-o", "ndjson")
    assert run.exit_code == 0
    assert len(pages) > 2  # several pages were written
    ids = [json.loads(line)["processId"] for line in run.lines]
    assert len(ids) == len(set(ids)) == len(mock.store.processes)


def test_limit_and_offset_page_through(cli, mock):
    first = cli("search", "--mock", "--limit", "5", "-o", "ids").lines
    second = cli("search", "--mock", "--limit", "5", "--offset", "5", "-o", "ids").lines
    both = cli("search", "--mock", "--limit", "10", "-o", "ids").lines
    assert first + second == both


def test_filters_reach_the_server(cli, mock):
    run = cli("search", "--mock", "--namespace", "payments", "--name", "charge_card", "--trigger", "api",
              "--type", "standard", "--step-name", "x", "--step-ref", "y", "--process-id", "1",
              "--correlation-id", "c", "--request-id", "r", "--tag", "t", "--text", "boom",
              "--since", "2h", "--until", "2099-01-01T00:00", "-o", "json")
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout) == []
    from urllib.parse import parse_qs

    sent = parse_qs(mock.queries[-1])
    assert sent["namespace"] == ["payments"] and sent["names"] == ["charge_card"]
    assert sent["triggerTypes"] == ["API"] and sent["processTypes"] == ["STANDARD"]
    assert sent["stepNames"] == ["x"] and sent["stepRefs"] == ["y"] and sent["processIds"] == ["1"]
    assert sent["correlationIds"] == ["c"] and sent["requestIds"] == ["r"] and sent["tags"] == ["t"]
    assert sent["fullTextSearchQuery"] == ["boom"]
    assert int(sent["endTimeEpoch"][0]) == 4070908800000
    assert int(sent["startTimeEpoch"][0]) > 0


def test_table_is_plain_when_not_a_terminal(cli, mock):
    run = cli("search", "--mock", "--status", "FAILED", "--limit", "2")
    assert run.exit_code == 0
    assert "\x1b[" not in run.stdout
    header = run.lines[0].split()
    assert header[:4] == ["ID", "NAMESPACE", "NAME", "STATUS"]
    assert len(run.lines) == 3 and all("FAILED" in line for line in run.lines[1:])
    assert "more match" in run.stderr


def test_bad_since_and_bad_format_and_bad_column_are_usage_errors(cli, mock):
    for args, words in ((["--since", "yesterday"], "cannot read 'yesterday' as a time"),
                        (["-o", "xml"], "unknown output format 'xml'"),
                        (["--columns", "id,colour"], "unknown column colour")):
        run = cli("search", "--mock", *args)
        assert run.exit_code == 2, args
        assert words in run.stderr and run.stdout == ""


def test_no_match_says_so_on_stderr(cli, mock):
    run = cli("search", "--mock", "--name", "no_such_process")
    assert run.exit_code == 0
    assert "no execution matches (searched the last 24h)" in run.stderr
    run = cli("search", "--mock", "--query", "since:2h name:no_such_process")
    assert "(searched the last 2h)" in run.stderr  # the window the query (or a view) set


def test_a_since_too_far_back_is_a_usage_error(cli, mock):
    run = cli("search", "--mock", "--since", "99999999999w")
    assert run.exit_code == 2 and "before year 1" in run.stderr and "Traceback" not in run.stderr
