"""Call an API mapping endpoint and look at the answer; past calls are kept per profile.

The form: endpoint (suggested from the history and the profile's ``endpoints = [...]``), GET or
POST, SYNC / ASYNC / STREAM, request id, correlation id and a JSON body that is checked before
anything is sent (the cursor lands on the mistake). The answer: status, time taken, pretty JSON;
if it names a process, ctrl+o opens it. History, "copy as curl" (never with the token) and "copy
as CLI command" come from ``console.services.api_calls``.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from console.errors import MeshdeckError
from console.format import relative
from console.services import api_calls
from console.services.api_calls import CALL_TYPES, METHODS, CallSpec
from console.tui.screens.base import MeshdeckScreen
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.json_editor import JsonEditor
from console.tui.widgets.json_view import JsonView
from console.tui.widgets.screen_tabs import ScreenTabs

READ_ONLY_WHY = ("read-only: calls to API mappings are refused, since every call starts a "
                 "process (--read-only, or read_only = true in the profile)")


def profile_endpoints(profile: str | None) -> list[str]:
    """``endpoints = ["orders/submit", ...]`` in the active profile, if any."""
    if not profile:
        return []
    from console.config import ConfigError, load_file

    try:
        values = load_file().get("profiles", {}).get(profile, {}).get("endpoints", [])
    except (ConfigError, AttributeError):
        return []
    return [str(v) for v in values if isinstance(v, str)] if isinstance(values, list) else []


class HistoryList(OptionList):
    """Past calls, newest first: enter (or r) loads one into the form; ctrl+s sends it. A call
    starts a process, so no single key sends one from the history."""

    BINDINGS = [
        Binding("r", "rerun", "Load to re-run",
                tooltip="Load the highlighted past call into the form; ctrl+s sends it"),
    ]

    def action_rerun(self) -> None:
        screen = self.screen
        if self.highlighted is not None and isinstance(screen, ApiCallScreen):
            screen.load_call(screen.history[self.highlighted])
            self.notify("loaded: check it, then ctrl+s sends it", timeout=4)


class ApiCallScreen(MeshdeckScreen):
    """The "API call" section."""

    TITLE = "API mapping call"
    CSS_PATH = "api_call.tcss"
    AUTO_FOCUS = "#api-endpoint"
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True, tooltip="Check the body and call"),
        Binding("ctrl+o", "open_process", "Open process", priority=True,
                tooltip="Open the execution the answer names"),
        Binding("ctrl+f", "format", "Format JSON", priority=True,
                tooltip="Check the body and pretty-print it"),
        Binding("f6", "copy_curl", "Copy curl", priority=True,
                tooltip="Copy this call as a curl command (the token stays in your environment)"),
        Binding("f7", "copy_cli", "Copy CLI", priority=True,
                tooltip="Copy this call as a meshdeck command"),
        Binding("ctrl+g", "history", "History", priority=True,
                tooltip="Go to the past calls (enter loads one, r sends it again)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.history: list[CallSpec] = []
        self.answer: object = None
        self.process_id: str | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield ScreenTabs("api", self.app.SECTIONS)
        with Horizontal(classes="api-row"):
            yield Input(placeholder="endpoint, e.g. orders/submit", id="api-endpoint",
                        compact=True)
            yield Select([(m, m) for m in METHODS], value="POST", allow_blank=False,
                         id="api-method", compact=True)
            yield Select([(t, t) for t in CALL_TYPES], value="SYNC", allow_blank=False,
                         id="api-type", compact=True)
        with Horizontal(classes="api-row"):
            yield Input(placeholder="id (optional)", id="api-id", compact=True)
            yield Input(placeholder="correlation id (optional)", id="api-corr", compact=True)
        with Horizontal(id="api-body"):
            with Vertical(id="api-left"):
                yield Label("body (JSON object, POST only)", classes="api-label")
                yield JsonEditor("{}", id="api-json")
            with Vertical(id="api-right"):
                yield Static("no call yet: ctrl+s sends", id="api-status")
                yield JsonView("response", id="api-response")
        yield Label("history: enter loads a call, r sends it again", classes="api-label")
        yield HistoryList(id="api-history")
        if self.app.read_only:
            yield Static(READ_ONLY_WHY, id="api-readonly", markup=False)
        yield MeshdeckFooter()

    @property
    def history_key(self) -> str:
        return api_calls.history_key(self.app.settings.profile, self.app.backend.base)

    def on_mount(self) -> None:
        try:
            self.history = api_calls.load_history(self.history_key, self.app.data_folder)
        except Exception as exc:  # noqa: BLE001 - an odd data dir must not stop the screen
            self.app.notify_error(exc, "cannot read the call history")
        self.show_history()

    def on_screen_resume(self) -> None:
        self.query_one(ScreenTabs).show_current()

    # ---- the form --------------------------------------------------------------------------

    def current_call(self) -> CallSpec:
        method = self.query_one("#api-method", Select).value
        kind = self.query_one("#api-type", Select).value
        return CallSpec(
            endpoint=api_calls.clean_endpoint(self.query_one("#api-endpoint", Input).value),
            method=method if isinstance(method, str) else "POST",
            call_type=kind if isinstance(kind, str) else "SYNC",
            request_id=self.query_one("#api-id", Input).value.strip(),
            correlation_id=self.query_one("#api-corr", Input).value.strip(),
            body=self.query_one(JsonEditor).text if method == "POST" else "")

    def load_call(self, call: CallSpec) -> None:
        self.query_one("#api-endpoint", Input).value = call.endpoint
        self.query_one("#api-method", Select).value = call.method
        self.query_one("#api-type", Select).value = call.call_type
        self.query_one("#api-id", Input).value = call.request_id
        self.query_one("#api-corr", Input).value = call.correlation_id
        self.query_one(JsonEditor).load_text(call.body or "{}")

    def show_history(self) -> None:
        endpoints = list(dict.fromkeys([c.endpoint for c in self.history]
                                       + profile_endpoints(self.app.settings.profile)))
        self.query_one("#api-endpoint", Input).suggester = SuggestFromList(endpoints)
        options = self.query_one(HistoryList)
        options.clear_options()
        now = self.app.now()
        for call in self.history:
            line = Text(call.label(), style="bold")
            if call.status:
                line.append(f"  {call.status}", style="red" if not call.status[:1] == "2"
                            else "green")
            if call.at_ms:
                line.append(f"  {relative(call.at_ms, now)}", style="dim")
            options.add_option(Option(line))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.history):
            self.load_call(self.history[event.option_index])
            self.query_one(JsonEditor).focus()

    # ---- calling ---------------------------------------------------------------------------

    def action_send(self) -> None:
        call = self.current_call()
        if not call.endpoint:
            self.notify("type an endpoint first (the path after api/call/)", severity="warning")
            self.query_one("#api-endpoint", Input).focus()
            return
        if self.app.read_only:
            self.notify(READ_ONLY_WHY, severity="warning", markup=False)
            return
        body = None
        if call.method == "POST":
            editor = self.query_one(JsonEditor)
            body = editor.check()
            if body is None:
                self.notify(f"the body is not valid JSON, nothing was sent: {editor.error}",
                            severity="error", markup=False)
                self.status(Text(f"not sent: body {editor.error}", style="bold red"))
                return
        if self.busy:
            self.notify("a call is already on its way", severity="warning")
            return
        self.send(call, body)

    def status(self, text: Text | str) -> None:
        self.query_one("#api-status", Static).update(text)

    @work(exclusive=True, group="api-call", exit_on_error=False)
    async def send(self, call: CallSpec, body: object) -> None:
        self.busy, self.process_id = True, None
        backend, started = self.app.backend, self.app.now_ms()
        self.status(f"{call.method} {call.endpoint} ({call.call_type})…")
        view = self.query_one(JsonView)
        try:
            answer = await api_calls.send(
                backend, call.endpoint, method=call.method, body=body, call_type=call.call_type,
                request_id=call.request_id or None, correlation_id=call.correlation_id or None,
                on_item=lambda item, n: self.status(f"STREAM · {n} item{'s' if n > 1 else ''}…"),
                journal=self.app.journal)
        except Exception as exc:  # noqa: BLE001 - 404, timeout, 5xx, unreachable: also kept in
            # the history with its code, so this worker handles its own failure
            took = self.app.now_ms() - started
            code = getattr(exc, "status", None) if isinstance(exc, MeshdeckError) else None
            self.app.notify_error(exc, f"{call.method} {call.endpoint}")
            line = Text(f"{code or 'error'} · {took:,} ms · ", style="bold red")
            line.append(str(exc) if isinstance(exc, MeshdeckError) else type(exc).__name__)
            self.status(line)
            self.remember(call, f"{code or 'error'}")
            return
        finally:
            self.busy = False
        took = self.app.now_ms() - started
        self.answer = answer
        self.process_id = api_calls.process_id_in(answer)
        line = Text(f"200 OK · {took:,} ms · {call.call_type}", style="bold green")
        if self.process_id:
            line.append(f" · process {self.process_id}", style="bold")
            line.append(" (ctrl+o opens it)", style="dim")
        self.status(line)
        view.show(answer, force=True)
        self.remember(call, f"200 · {took:,} ms")

    def remember(self, call: CallSpec, outcome: str) -> None:
        made = api_calls.with_outcome(call, self.app.now_ms(), outcome)
        self.history = api_calls.add_to_history(self.history, made)
        try:
            api_calls.save_history(self.history_key, self.history, self.app.data_folder)
        except OSError as exc:
            self.notify(f"the call history was not saved: {exc}", severity="warning",
                        markup=False)
        self.show_history()

    # ---- other actions ---------------------------------------------------------------------

    def action_open_process(self) -> None:
        if not self.process_id:
            self.notify("the last answer names no process", severity="warning")
            return
        self.app.open_process(self.process_id)

    def action_format(self) -> None:
        self.query_one(JsonEditor).format("the body")

    def _ready_to_copy(self) -> CallSpec | None:
        call = self.current_call()
        if not call.endpoint:
            self.notify("type an endpoint first", severity="warning")
            return None
        if call.method == "POST" and self.query_one(JsonEditor).check() is None:
            self.notify(f"fix the body first: {self.query_one(JsonEditor).error}",
                        severity="error", markup=False)
            return None
        return call

    def action_copy_curl(self) -> None:
        call = self._ready_to_copy()
        if call is not None:
            settings = self.app.settings
            self.app.copy(api_calls.as_curl(call, api_calls.server_base(settings),
                                            settings.client_id),
                          "curl command (needs $UNMESHED_AUTH_TOKEN)")

    def action_copy_cli(self) -> None:
        call = self._ready_to_copy()
        if call is not None:
            self.app.copy(api_calls.as_cli(call, self.app.settings.profile), "meshdeck command")

    def action_history(self) -> None:
        history = self.query_one(HistoryList)
        if history.option_count and history.highlighted is None:
            history.highlighted = 0
        history.focus()
