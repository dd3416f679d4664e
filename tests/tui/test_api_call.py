"""API call screen: send, refuse a bad body, open the named process, errors, history, copies."""

from __future__ import annotations

import json

from console.services import api_calls
from console.tui.screens.api_call import ApiCallScreen, HistoryList
from console.tui.screens.detail import ExecutionDetailScreen
from console.tui.widgets.json_editor import JsonEditor
from console.tui.widgets.json_view import JsonView

from .conftest import SIZE
from .part2_scenarios import fill_call


async def open_api(pilot, wait_idle) -> ApiCallScreen:
    await wait_idle(pilot)
    await pilot.press("f4")
    await wait_idle(pilot)
    assert isinstance(pilot.app.screen, ApiCallScreen)
    return pilot.app.screen


def status_text(screen) -> str:
    return str(screen.query_one("#api-status").render())


async def test_post_to_test_process_endpoint_shows_the_answer(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_api(pilot, wait_idle)
        await fill_call(pilot, "test_process_endpoint", '{"orderId": 42}')
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert "200 OK" in status_text(screen) and "SYNC" in status_text(screen)
        answer = screen.query_one(JsonView).value
        assert answer["name"] == "test_process" and answer["input"] == {"orderId": 42}
        assert answer["status"] == "COMPLETED"
        pid = str(answer["processId"])
        assert screen.process_id == pid
        store = app.mock_app.state.store
        assert store.get_process(int(pid))["triggerType"] == "API_MAPPING"
        # remembered in this profile's history file
        saved = api_calls.load_history(screen.history_key)
        assert saved[0].endpoint == "test_process_endpoint" and saved[0].status.startswith("200")
        await pilot.press("ctrl+o")
        await wait_idle(pilot)
        assert isinstance(app.screen, ExecutionDetailScreen)
        assert app.screen.process_id == pid


async def test_invalid_json_is_not_sent_and_the_cursor_points_at_it(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_api(pilot, wait_idle)
        before = len(app.mock_app.state.store.processes)
        await fill_call(pilot, "test_process_endpoint", '{\n  "a": 1,\n  "b": tru\n}')
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        editor = screen.query_one(JsonEditor)
        assert editor.error is not None and editor.error.line == 3
        assert editor.cursor_location[0] == 2 and editor.has_focus
        assert "not sent" in status_text(screen) and "line 3" in status_text(screen)
        assert len(app.mock_app.state.store.processes) == before
        assert any("not valid JSON" in n.message for n in app._notifications)
        assert api_calls.load_history(screen.history_key) == []


async def test_unknown_endpoint_is_a_notification_and_is_remembered(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_api(pilot, wait_idle)
        await fill_call(pilot, "no_such_endpoint", "{}")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert "404" in status_text(screen)
        assert any("no_such_endpoint" in n.message for n in app._notifications)
        assert screen.history[0].status == "404"


async def test_stream_collects_every_line(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_api(pilot, wait_idle)
        await fill_call(pilot, "test_process_endpoint", '{"x": 1}', call_type="STREAM")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        items = screen.query_one(JsonView).value
        assert isinstance(items, list) and len(items) > 1
        assert items[-1]["processId"] and screen.process_id == str(items[-1]["processId"])


async def test_history_reloads_and_reruns(make_app, wait_idle):
    app = make_app()
    api_calls.record(api_calls.history_key(None, app.backend.base),
                     api_calls.CallSpec("test_process_endpoint", body='{"n": 7}',
                                        call_type="ASYNC"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_api(pilot, wait_idle)
        history = screen.query_one(HistoryList)
        assert history.option_count == 1
        await pilot.press("ctrl+g")
        assert history.has_focus
        await pilot.press("enter")
        await wait_idle(pilot)
        assert screen.query_one("#api-endpoint").value == "test_process_endpoint"
        assert json.loads(screen.query_one(JsonEditor).text) == {"n": 7}
        before = len(app.mock_app.state.store.processes)
        await pilot.press("ctrl+g", "r")  # loads, never sends by itself
        await wait_idle(pilot)
        assert len(app.mock_app.state.store.processes) == before
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert len(app.mock_app.state.store.processes) == before + 1
        assert screen.query_one(JsonView).value["input"] == {"n": 7}
        assert screen.query_one(JsonView).value["status"] == "RUNNING"  # ASYNC


async def test_copy_as_curl_and_cli_never_hold_the_token(make_app, wait_idle):
    app = make_app()
    copied: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.copy_to_clipboard = copied.append
        await open_api(pilot, wait_idle)
        await fill_call(pilot, "test_process_endpoint", '{"a": 1}')
        await pilot.press("f6")
        await pilot.press("f7")
        await wait_idle(pilot)
    curl, cli = copied
    assert "test-token" not in curl and "test-token" not in cli
    assert curl.startswith("curl ") and "$UNMESHED_AUTH_TOKEN" in curl
    assert "client.sdk.meshdeck-test." in curl and "apiCallType=SYNC" in curl
    assert cli == "meshdeck call test_process_endpoint --post --data '{\"a\":1}' --type SYNC"


async def test_read_only_refuses_a_post_and_says_why(make_app, wait_idle):
    app = make_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_api(pilot, wait_idle)
        before = len(app.mock_app.state.store.processes)
        await fill_call(pilot, "test_process_endpoint", "{}")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert len(app.mock_app.state.store.processes) == before
        assert any("read-only" in n.message for n in app._notifications)
        assert screen.query_one("#api-readonly")
