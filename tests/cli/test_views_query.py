"""meshdeck search --query, search --view and meshdeck views, through CliRunner against the mock."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from console.services.views import View, list_views, save_view


def sent(mock) -> dict[str, str]:
    """The query parameters of the last search the mock received."""
    return {k: v[0] for k, v in parse_qs(mock.queries[-1]).items()}


def test_query_sets_the_same_filters_as_the_options(cli, mock):
    by_query = cli("search", "--mock", "-o", "json", "--query",
                   'status:FAILED,timed_out name:charge_card,refund since:7d ns:payments '
                   'text:"gateway timeout" corr:c1 trigger:API')
    assert by_query.exit_code == 0, by_query.stderr
    from_query = sent(mock)
    by_options = cli("search", "--mock", "-o", "json", "--status", "FAILED,timed_out",
                     "--name", "charge_card,refund", "--since", "7d", "-n", "payments",
                     "--text", "gateway timeout", "--correlation-id", "c1", "--trigger", "API")
    assert by_options.exit_code == 0
    from_options = sent(mock)
    for times in (from_query, from_options):
        times.pop("startTimeEpoch")  # "7d ago" is a moment later the second time
    assert from_query == from_options
    assert from_query["statuses"] == "FAILED,TIMED_OUT" and from_query["namespace"] == "payments"
    assert from_query["fullTextSearchQuery"] == "gateway timeout"


def test_query_combines_with_other_options_but_not_the_same_one(cli, mock):
    ok = cli("search", "--mock", "-q", "status:FAILED", "--since", "7d", "-o", "ids")
    assert ok.exit_code == 0 and ok.lines
    assert {mock.store.processes[int(pid)]["status"] for pid in ok.lines} == {"FAILED"}
    before = len(mock.requests)
    both = cli("search", "--mock", "-q", "status:FAILED since:2h", "--status", "RUNNING")
    assert both.exit_code == 2
    assert "--status and status: in --query set the same filter" in both.stderr
    assert len(mock.requests) == before  # refused before anything was sent


def test_a_bad_query_is_one_line_naming_the_key(cli, mock):
    unknown = cli("search", "--mock", "--query", "status:FAILED colour:red")
    assert unknown.exit_code == 2 and len(unknown.err_lines) == 1
    assert "unknown key 'colour'" in unknown.stderr and "known: status, name, ns" in unknown.stderr
    assert "(at character 15)" in unknown.stderr
    quote = cli("search", "--mock", "--query", 'text:"open')
    assert quote.exit_code == 2 and "never closed" in quote.stderr
    empty_name = cli("search", "--mock", "--query", "name:'  '")
    assert empty_name.exit_code == 2 and "empty value" in empty_name.stderr
    assert mock.requests == []


def test_views_save_list_show_use_delete(cli, mock, isolated_config):
    saved = cli("views", "save", "checkout", "--status", "failed,timed_out", "--name",
                "charge_card", "--window", "7d", "--columns", "id,name,status,duration",
                "--sort", "-duration")
    assert saved.exit_code == 0, saved.stderr
    assert "saved view 'checkout'" in saved.stderr and "meshdeck search --view checkout" in saved.stderr
    assert (isolated_config.parent / "views.toml").exists()
    listed = cli("views", "-o", "json")
    assert json.loads(listed.stdout) == [{
        "name": "checkout", "query": "status:FAILED,TIMED_OUT name:charge_card", "window": "7d",
        "columns": ["id", "name", "status", "duration"], "sort": "-duration"}]
    assert "checkout" in cli("views", "list").stdout
    shown = json.loads(cli("views", "show", "checkout", "-o", "json").stdout)
    assert shown["command"] == ("meshdeck search --query 'status:FAILED,TIMED_OUT "
                                "name:charge_card' --since 7d --columns id,name,status,duration")

    used = cli("search", "--view", "checkout", "--mock", "-o", "csv", "--limit", "20")
    assert used.exit_code == 0, used.stderr
    assert used.lines[0] == "id,name,status,duration"
    rows = [line.split(",") for line in used.lines[1:]]
    assert rows and {r[1] for r in rows} == {"charge_card"}
    assert {r[2] for r in rows} <= {"FAILED", "TIMED_OUT"}
    durations = [int(r[3]) for r in rows]
    assert durations == sorted(durations, reverse=True)  # the view's sort

    deleted = cli("views", "delete", "checkout")
    assert deleted.exit_code == 0 and cli("views", "-o", "json").stdout.strip() == "[]"


def test_options_and_query_change_a_view(cli, mock):
    save_view(None, View("failing", "status:FAILED name:charge_card", window="7d"))
    narrowed = cli("search", "--view", "failing", "--mock", "-q", "name:refund", "-o", "ids")
    assert narrowed.exit_code == 0
    assert sent(mock)["names"] == "refund" and sent(mock)["statuses"] == "FAILED"
    cli("search", "--view", "failing", "--mock", "--status", "TIMED_OUT", "--since", "1h")
    assert sent(mock)["statuses"] == "TIMED_OUT" and sent(mock)["names"] == "charge_card"


def test_views_are_per_profile_and_refusals_are_one_line(cli, mock, isolated_config):
    isolated_config.write_text('[profiles.prod]\nbase_url = "https://a.example"\n')
    assert cli("--profile", "prod", "views", "save", "p", "--status", "FAILED").exit_code == 0
    assert [v.name for v in list_views("prod")] == ["p"] and list_views(None) == []
    missing = cli("search", "--view", "p", "--mock")
    assert missing.exit_code == 2
    assert "no view named 'p' for profile 'default'" in missing.stderr
    again = cli("--profile", "prod", "views", "save", "p", "--status", "RUNNING")
    assert again.exit_code == 2 and "pass --replace" in again.stderr
    replaced = cli("--profile", "prod", "views", "save", "p", "--status", "RUNNING", "--replace")
    assert replaced.exit_code == 0 and list_views("prod")[0].query == "status:RUNNING"
    for args, message in ((["bad name"], "a view name is 1 to 64"),
                          (["x", "--columns", "nope"], "unknown column nope"),
                          (["x", "--sort", "-nope"], "unknown column nope"),
                          (["x", "--window", "1h", "--since", "2h"], "not both"),
                          (["x", "-q", "since:soon"], "cannot read 'soon'")):
        run = cli("views", "save", *args)
        assert run.exit_code == 2 and message in run.stderr and len(run.err_lines) == 1, args
    assert cli("views", "delete", "nope").exit_code == 2
