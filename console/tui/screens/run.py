"""Start a process: pick a definition and version, edit its input, run it sync or async.

The input is prefilled from the definition's ``defaultInput``. A sync run waits (spinner) up to
the timeout; either way the new execution's detail screen opens. Read-only refuses and says why.
"""

from __future__ import annotations

import json

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Header, Input, Label, Select, Static
from textual.worker import Worker

from console.models import ProcessDefinition, ProcessRequest
from console.services.starting import start_process
from console.tui.screens.base import MeshdeckScreen
from console.tui.widgets.footer import MeshdeckFooter
from console.tui.widgets.json_editor import JsonEditor
from console.tui.widgets.screen_tabs import ScreenTabs

LATEST = "latest"
DEFAULT_TIMEOUT = 10.0
READ_ONLY_WHY = ("read-only: starting a process is disabled (--read-only, or read_only = true "
                 "in the profile)")


def parse_timeout(text: str) -> float | None:
    """Seconds from the timeout field; ValueError (one line) when it is not a positive number."""
    if not text.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"timeout: {text.strip()!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise ValueError("timeout: give between 0.1 and 3600 seconds")
    return value


class RunScreen(MeshdeckScreen):
    """The "run" section: start a process from a definition."""

    TITLE = "Run a process"
    CSS_PATH = "run.tcss"
    AUTO_FOCUS = "#run-def"
    BINDINGS = [
        Binding("ctrl+s", "run", "Run", priority=True,
                tooltip="Start the process with this input"),
        Binding("ctrl+f", "format", "Format JSON", priority=True,
                tooltip="Check the input and pretty-print it"),
        Binding("ctrl+d", "default_input", "Default input", priority=True,
                tooltip="Put the definition's defaultInput back in the editor"),
    ]

    FAILURE_WORDS = {"run-defs": "cannot list definitions", "run": "the run failed"}

    def __init__(self) -> None:
        super().__init__()
        self.definitions: dict[str, ProcessDefinition] = {}
        self.busy = False
        self._wanted: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield ScreenTabs("run", self.app.SECTIONS)
        with Horizontal(classes="run-row"):
            yield Select([], prompt="definition (namespace/name)", id="run-def", compact=True)
            yield Select([(LATEST, LATEST)], value=LATEST, allow_blank=False, id="run-version",
                         compact=True)
            yield Select([("sync: wait for the end", "sync"), ("async: return at once", "async")],
                         value="sync", allow_blank=False, id="run-mode", compact=True)
            yield Input(str(int(DEFAULT_TIMEOUT)), placeholder="timeout s", id="run-timeout",
                        compact=True, tooltip="Sync only: seconds the server may take")
        with Horizontal(classes="run-row"):
            yield Input(placeholder="correlation id (optional)", id="run-corr", compact=True)
            yield Input(placeholder="request id (optional, idempotency key)", id="run-req",
                        compact=True)
        yield Label("input (a JSON object)", classes="run-label")
        yield JsonEditor("{}", id="run-input")
        with Horizontal(id="run-foot"):
            yield Button("Run (ctrl+s)", id="run-go", variant="primary", compact=True,
                         disabled=self.app.read_only)
            yield Static(READ_ONLY_WHY if self.app.read_only else "", id="run-state",
                         markup=False)
        yield MeshdeckFooter()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.query_one(ScreenTabs).show_current()

    def say(self, text: str) -> None:
        self.query_one("#run-state", Static).update(text)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        super().worker_failed(worker, error)
        if worker.group == "run":
            self.say("the run failed: see the notification")

    @work(exclusive=True, group="run-defs", exit_on_error=False)
    async def load(self) -> None:
        found = await self.app.backend.list_definitions()
        self.definitions = {f"{d.namespace}/{d.name}": d for d in
                            sorted(found, key=lambda d: (d.namespace or "", d.name or ""))}
        select = self.query_one("#run-def", Select)
        select.set_options([(key, key) for key in self.definitions])
        if self._wanted in self.definitions:
            select.value = self._wanted

    def choose(self, namespace: str | None, name: str | None) -> None:
        """Pick a definition (from the definitions screen); works before the list has loaded."""
        self._wanted = f"{namespace}/{name}"
        if self._wanted in self.definitions:
            self.query_one("#run-def", Select).value = self._wanted

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "run-def" and isinstance(event.value, str):
            self.load_definition(event.value)
        elif event.select.id == "run-mode":
            self.query_one("#run-timeout", Input).disabled = event.value != "sync"

    @work(exclusive=True, group="run-def", exit_on_error=False)
    async def load_definition(self, key: str) -> None:
        """Versions and the full definition (for defaultInput) of the chosen one; when they
        cannot be fetched, the definition as listed (the form stays usable)."""
        known = self.definitions.get(key)
        namespace, _, name = key.partition("/")
        try:
            versions = await self.app.backend.definition_versions(namespace, name)
            full = await self.app.backend.get_definition(namespace, name)
        except Exception as exc:  # noqa: BLE001 - falls back to the listed definition
            self.app.notify_error(exc, f"cannot load {key}")
            full, versions = known, []
        if full is None:
            return
        self.definitions[key] = full
        version = self.query_one("#run-version", Select)
        version.set_options([(LATEST, LATEST)] + [(f"v{v}", str(v))
                                                 for v in sorted(versions, reverse=True)])
        version.value = LATEST
        self.fill_default(full)

    def fill_default(self, definition: ProcessDefinition) -> None:
        value = definition.default_input if isinstance(definition.default_input, dict) else {}
        self.query_one(JsonEditor).load_text(json.dumps(value, indent=2, ensure_ascii=False))

    def action_default_input(self) -> None:
        key = self.query_one("#run-def", Select).value
        if isinstance(key, str) and key in self.definitions:
            self.fill_default(self.definitions[key])

    def action_format(self) -> None:
        self.query_one(JsonEditor).format("the input")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "run-go":
            self.action_run()

    def build_request(self) -> tuple[ProcessRequest, bool, float | None] | None:
        """What the form asks for, or None after telling the user what is wrong."""
        key = self.query_one("#run-def", Select).value
        if not isinstance(key, str):
            self.notify("choose a definition first", severity="warning")
            self.query_one("#run-def", Select).focus()
            return None
        editor = self.query_one(JsonEditor)
        data = editor.check()
        if data is None:
            self.notify(f"the input is not valid JSON, not sent: {editor.error}",
                        severity="error", markup=False)
            self.say(f"input: {editor.error}")
            return None
        sync = self.query_one("#run-mode", Select).value == "sync"
        try:
            timeout = parse_timeout(self.query_one("#run-timeout", Input).value) if sync else None
        except ValueError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return None
        version = self.query_one("#run-version", Select).value
        namespace, _, name = key.partition("/")
        request = ProcessRequest(
            namespace=namespace, name=name,
            version=int(version) if isinstance(version, str) and version.isdigit() else None,
            input=data, correlation_id=self.query_one("#run-corr", Input).value.strip() or None,
            request_id=self.query_one("#run-req", Input).value.strip() or None)
        return request, sync, timeout

    def action_run(self) -> None:
        if self.app.read_only:
            self.notify(READ_ONLY_WHY, severity="warning", markup=False)
            return
        if self.busy:
            self.notify("a run is already on its way", severity="warning")
            return
        built = self.build_request()
        if built is not None:
            self.start(*built)

    @work(exclusive=True, group="run", exit_on_error=False)
    async def start(self, request: ProcessRequest, sync: bool, timeout: float | None) -> None:
        form = self.query_one(JsonEditor)
        self.busy = True
        form.loading = sync  # the spinner while the server runs it
        self.say(f"running {request.namespace}/{request.name} "
                 f"{'and waiting up to ' + format(timeout, 'g') + ' s' if sync else 'async'}…")
        try:  # a failure: worker_failed says so
            process = await start_process(self.app.backend, request, sync=sync,
                                          timeout=timeout, journal=self.app.journal)
        finally:
            self.busy = False
            form.loading = False
        pid = process.process_id
        self.say(f"started {pid} · {process.status or '?'}")
        if pid is None:
            self.notify("the server answered without a process id", severity="warning")
            return
        self.notify(f"{request.namespace}/{request.name}: process {pid} {process.status or ''}",
                    title="started", markup=False)
        self.app.open_process(str(pid))
