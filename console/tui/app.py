"""The Textual app shell: services in through the constructor, one place for shared flows.

Screens reach the backend as ``self.app.backend`` and never build URLs themselves (their
``self.app`` is typed: see ``console.tui.screens.base``). ``mock`` says whether the backend is
the embedded mock (``--mock``), so a copied command line carries it. Shared flows live here so
every screen behaves the same:

- ``open_process(id)``: push the execution detail screen.
- ``start_action(action, ids, statuses)``: the whole destructive flow (read-only refusal, confirm,
  progress, per-id results); see ``console.tui.bulk``. When it ends, every screen on the stack
  receives an ``ActionsDone`` message (handle it to refresh).
- ``copy(text, what)``: OSC 52 clipboard plus a notification.
- ``show_executions(namespace, name)``: the executions screen, filtered to one definition.
- Sections (Textual modes, each with its own screen stack): executions, definitions, API call,
  run; F2..F5, the tabs on each section's screen, or the command palette switch between them.
- Themes: Textual's own plus the files in ``themes/`` (see ``console.tui.themes``); a theme picked
  while running is remembered for the profile.
- ``now_ms()`` / ``now()``: the injected clock, so relative times are stable in tests.
- ``data_folder`` (the history's folder; a mock-only one with ``mock``) and ``journal``: every
  action, run and call the app sends is journaled there (``console.services.journal``);
  ``open_journal()`` shows it.
- ``connect`` (given by the CLI) opens another profile's server; the palette lists the profiles
  and ``use_server(backend, settings)`` moves the whole app onto one (``console.tui.servers``).

A profile's ``banner`` (e.g. "PRODUCTION") is added at the top of every full screen; the header
shows the active server's host (and the profile), so two terminals on two servers never look alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from console.backends.base import Backend
from console.config import Settings
from console.services.action_specs import ACTIONS
from console.services.data_folder import data_folder
from console.services.journal import Journal
from console.services.progress import ProfileCache
from console.tui.commands import MeshdeckCommands, PaletteCommand
from console.tui.servers import Connector
from console.tui.widgets.banner import Banner

#: Text shorter than this is also shown in the "copied" notification (for terminals without OSC 52).
COPY_ECHO_LIMIT = 400


class MeshdeckApp(App):
    """meshdeck's terminal console."""

    CSS_PATH = "app.tcss"
    TITLE = "meshdeck"
    COMMANDS = App.COMMANDS | {MeshdeckCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Leave meshdeck"),
        Binding("question_mark", "help", "Help", key_display="?",
                tooltip="List every key of this screen"),
        Binding("ctrl+p", "command_palette", "Commands", show=False,
                tooltip="Search every action by name"),
    ]
    #: (mode, label, key) of each section; a mode's base screen is built on first visit.
    SECTIONS = [("executions", "Executions", "f2"), ("definitions", "Definitions", "f3"),
                ("api", "API call", "f4"), ("run", "Run", "f5")]
    BINDINGS += [Binding(key, f"section('{mode}')", label, show=False,
                         tooltip=f"Go to the {label} screen") for mode, label, key in SECTIONS]
    # Read-only screens hide t/u/v/R; these undescribed (so unlisted) fallbacks say why the key
    # did nothing instead of staying silent. They run only when a screen's own binding is off.
    BINDINGS += [Binding(spec.key, f"refuse_read_only('{spec.name}')", show=False)
                 for spec in ACTIONS.values()]
    MODES = {
        "executions": lambda: _screen("executions", "ExecutionsScreen"),
        "definitions": lambda: _screen("definitions", "DefinitionsScreen"),
        "api": lambda: _screen("api_call", "ApiCallScreen"),
        "run": lambda: _screen("run", "RunScreen"),
    }

    def __init__(self, backend: Backend, settings: Settings, *, mock: bool = False,
                 clock: Callable[[], int] | None = None, theme: str | None = None,
                 connect: Connector | None = None) -> None:
        super().__init__()
        self._clock = clock
        self._wanted_theme = theme or settings.theme
        #: Opens another profile's server (``console.tui.servers``); None: no switching.
        self.connect = connect
        self._use(backend, settings, mock)

    def _use(self, backend: Backend, settings: Settings, mock: bool) -> None:
        """Everything that follows from the server in use."""
        self.backend = backend
        self.settings = settings
        #: The backend is the embedded mock (``--mock``), not a server.
        self.mock = mock
        self.read_only: bool = bool(settings.read_only)
        #: Where the call history and the action journal go (never the real one for --mock).
        self.data_folder = data_folder(settings, mock=mock)
        self.journal = Journal(self.data_folder, settings.profile, clock=self.now_ms,
                               on_problem=lambda problem: self.notify(
                                   problem, severity="warning", markup=False))
        #: Each definition's recent history, for the progress of what is running.
        self.profiles = ProfileCache()
        #: Shown at the right of every screen's title (``format_title``).
        self.server_label = " · ".join(part for part in (
            server_host(backend, mock), f"profile {settings.profile}" if settings.profile else "")
            if part)

    async def use_server(self, backend: Backend, settings: Settings) -> None:
        """Move the app onto another server: the old backend is closed and every section
        starts again (nothing of the old server stays on screen)."""
        old = self.backend
        self._use(backend, settings, mock=False)
        self.add_mode("switching", Screen)
        await self.switch_mode("switching")
        for mode, _, _ in self.SECTIONS:
            await self.remove_mode(mode)
            self.add_mode(mode, self.MODES[mode])
        await self.switch_mode("executions")
        await self.remove_mode("switching")
        try:
            await old.aclose()
        except Exception:  # closing is best effort: the old server is left behind anyway
            pass

    # ---- time ------------------------------------------------------------------------------

    def now_ms(self) -> int:
        """Now in epoch milliseconds, from the injected clock (tests freeze it)."""
        return int(self._clock()) if self._clock is not None else int(time.time() * 1000)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.now_ms() / 1000, tz=UTC)

    # ---- life cycle ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._load_themes()
        self.screen_change_signal.subscribe(self, self._on_screen_change)
        self.switch_mode("executions")

    # ---- themes ----------------------------------------------------------------------------

    def _load_themes(self) -> None:
        from console.tui.themes import find_themes, remembered_theme

        found = find_themes()
        for theme in found.themes.values():
            self.register_theme(theme)
        for problem in found.problems:
            self.notify(problem, title="theme file skipped", severity="warning", markup=False)
        wanted = self._wanted_theme or remembered_theme(self.settings.profile)
        if wanted:
            if wanted in self.available_themes:
                self.theme = wanted
            else:
                known = ", ".join(sorted(self.available_themes))
                self.notify(f"no theme named {wanted!r}; known: {known}", severity="warning",
                            markup=False)
        self._remembered_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)

    def _on_theme_changed(self, theme) -> None:
        """Remember a theme the user picked while running (per profile)."""
        if theme.name == self._remembered_theme:
            return
        from console.config import ConfigError
        from console.tui.themes import remember_theme

        self._remembered_theme = theme.name
        try:
            where = remember_theme(self.settings.profile, theme.name)
        except ConfigError as exc:
            self.notify(f"theme {theme.name} is used now but not remembered: {exc}",
                        severity="warning", markup=False)
            return
        self.notify(f"theme {theme.name} (remembered for {where})", timeout=3, markup=False)

    def format_title(self, title: str, sub_title: str) -> Content:
        """Every header: the screen's title, then the active server's host (and profile)."""
        content = super().format_title(title, sub_title)
        return Content.assemble(content, ("  @ ", "dim"), (self.server_label, "bold"))

    def set_theme(self, name: str) -> None:
        self.theme = name

    # ---- sections --------------------------------------------------------------------------

    def action_section(self, mode: str) -> None:
        if mode != self.current_mode:
            self.switch_mode(mode)

    async def show_executions(self, namespace: str | None, name: str | None) -> None:
        """The executions screen, filtered to one definition's executions."""
        from console.tui.screens.executions import ExecutionsScreen

        if "namespace" in self.backend.UNSUPPORTED_FILTERS:
            namespace = None  # shown (Conductor's owner app) but not searchable
        await self.switch_mode("executions")
        # The section's own screen (an execution opened from it may be on top).
        base = self.screen_stack[0]
        assert isinstance(base, ExecutionsScreen)
        base.filter_to(namespace, name)

    def palette_commands(self) -> list[PaletteCommand]:
        """Everywhere in the palette: go to each section, the journal, each profile's server,
        each theme."""
        from console.tui.servers import profile_commands

        commands = [PaletteCommand(f"Go to {label}", f"switch to the {label} screen (key "
                                   f"{key.upper()})", lambda m=mode: self.action_section(m))
                    for mode, label, key in self.SECTIONS]
        commands.append(PaletteCommand("Journal", "what meshdeck sent: every action, newest "
                                       "first (key J on the executions screen)",
                                       self.open_journal))
        commands += profile_commands(self)
        commands += [PaletteCommand(f"Theme: {name}", "use this theme (remembered)",
                                    lambda n=name: self.set_theme(n))
                     for name in sorted(self.available_themes)]
        return commands

    async def on_unmount(self) -> None:
        try:
            await self.backend.aclose()
        except Exception:  # closing is best effort; the process is ending anyway
            pass

    def _on_screen_change(self, screen: Screen) -> None:
        if self.settings.banner and not isinstance(screen, ModalScreen):
            self.call_after_refresh(self._ensure_banner, screen)

    def _ensure_banner(self, screen: Screen) -> None:
        if not screen.is_attached or screen.query(Banner):
            return
        banner = Banner(self.settings.banner or "")
        if screen.children:
            screen.mount(banner, before=0)
        else:
            screen.mount(banner)

    # ---- shared flows ----------------------------------------------------------------------

    def open_process(self, process_id: str) -> None:
        """Open the execution detail screen for ``process_id``."""
        try:
            from console.tui.screens.detail import ExecutionDetailScreen
        except ImportError as exc:
            self.notify(f"the execution detail screen is not available ({exc})",
                        severity="error")
            return
        self.push_screen(ExecutionDetailScreen(str(process_id)))

    def open_journal(self) -> None:
        """Show the action journal (``console.tui.screens.journal``)."""
        from console.tui.screens.journal import JournalScreen

        if not isinstance(self.screen, JournalScreen):
            self.push_screen(JournalScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "refuse_read_only":
            return self.read_only
        return True

    def action_refuse_read_only(self, action: str) -> None:
        from console.tui import bulk

        bulk.refuse_read_only(self, action)

    def start_action(self, action: str, ids: list[str],
                     statuses: dict[str, str | None] | None = None,
                     not_shown: Sequence[str] = ()) -> None:
        """The destructive flow (terminate|resume|review|rerun); see ``console.tui.bulk``.
        ``not_shown``: those of ``ids`` not on the screen (the confirmation says so)."""
        from console.tui import bulk

        bulk.start(self, action, ids, statuses, not_shown)

    def copy(self, text: str, what: str) -> None:
        """Copy ``text`` to the clipboard (OSC 52) and say so; short text is shown too."""
        self.copy_to_clipboard(text)
        if len(text) <= COPY_ECHO_LIMIT:
            self.notify(text, title=f"copied {what}", markup=False)
        else:
            self.notify(f"{len(text):,} characters (your terminal must allow OSC 52)",
                        title=f"copied {what}")

    def action_help(self) -> None:
        from console.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the app itself failed (screens handle their own): one notification."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify_error(event.worker.error)

    def notify_error(self, exc: BaseException, what: str = "") -> None:
        """One line for a person; never a traceback."""
        text = error_text(exc)
        self.notify(f"{what}: {text}" if what else text, severity="error", timeout=8,
                    markup=False)


def server_host(backend: Backend, mock: bool = False) -> str:
    """The active server as the header shows it: its host (and port), or "embedded mock"."""
    from urllib.parse import urlparse

    if mock:
        return "embedded mock"
    return urlparse(backend.base).netloc or backend.base


def error_text(exc: BaseException) -> str:
    """An error in one line: ours as they say it, anything else with its type's name."""
    from console.errors import MeshdeckError

    return str(exc) if isinstance(exc, MeshdeckError) else f"{type(exc).__name__}: {exc}"


def _screen(module: str, name: str) -> Screen:
    """A section's base screen, imported when first visited (keeps start-up fast)."""
    from importlib import import_module

    return getattr(import_module(f"console.tui.screens.{module}"), name)()


def run_tui(backend: Backend, settings: Settings, theme: str | None = None, *,
            mock: bool = False, connect: Connector | None = None) -> None:
    """Open the console and block until the user quits (the CLI's entry point); ``mock``: the
    backend is the embedded mock (``--mock``); ``connect`` opens another profile's server.

    The app closes ``backend`` when it shuts down (in its own event loop)."""
    MeshdeckApp(backend, settings, mock=mock, theme=theme, connect=connect).run()
