"""What every command shares: the global state, the backend, stdin ids, JSON arguments, refusals.

Kept free of heavy imports at module level: pydantic, httpx and the client load only when a
command needs a backend, so ``meshdeck --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from console.backends.base import Backend
    from console.config import Settings

T = TypeVar("T")


class ExitCode(IntEnum):
    """meshdeck's exit codes (``meshdeck --help`` lists them)."""

    OK = 0
    #: The server or the network failed, or nothing matched what was asked for.
    ERROR = 1
    #: Usage, or a destructive action refused (not confirmed, read-only, capped without --max).
    USAGE = 2
    #: A bulk action partly failed or left matches untouched; a multi-id get missed some ids.
    PARTIAL = 3
    #: ``run --sync``: the process ended FAILED, TIMED_OUT, TERMINATED or CANCELLED.
    PROCESS_FAILED = 4
    INTERRUPTED = 130


class CliProblem(Exception):
    """A refusal or a usage problem found by meshdeck itself: one line, exit code 2 by default."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(" ".join(str(message).split()))
        self.exit_code = exit_code


@dataclass
class State:
    """The global options, from the root callback and then from the command (which wins)."""

    profile: str | None = None
    base_url: str | None = None
    port: int | None = None
    client_id: str | None = None
    mock: bool = False
    read_only: bool = False
    no_color: bool = False
    timeout: float | None = None
    verbose: bool = False
    insecure: bool = False
    mock_faults: str | None = None
    mock_definitions: str | None = None
    backend: str | None = None
    banner: str | None = None  # ``tui --banner``: this session's banner instead of the profile's
    _settings: Any = field(default=None, repr=False)
    _warned_insecure: bool = field(default=False, repr=False)

    def merge(self, values: dict[str, Any]) -> None:
        """Take every value that was given (not None, not a False flag)."""
        for key, value in values.items():
            if value is not None and value is not False:
                setattr(self, key, value)
                self._settings = None

    @classmethod
    def option_names(cls) -> list[str]:
        return [f.name for f in fields(cls) if not f.name.startswith("_")]

    def settings(self) -> Settings:
        """Settings from flags > environment > config file profile > defaults (cached)."""
        if self._settings is None:
            from console.config import insecure_permissions_warning, load_settings

            overrides = {"base_url": self.base_url, "port": self.port, "client_id": self.client_id,
                         "timeout": self.timeout, "read_only": True if self.read_only else None,
                         "backend": self.backend.strip().lower() if self.backend else None,
                         "banner": self.banner, "insecure": True if self.insecure else None}
            self._settings = load_settings(self.profile, overrides)
            warning = insecure_permissions_warning(self._settings.config_file)
            if warning:  # every command that reads the file says so, not only `config show`
                err(f"meshdeck: warning: {warning}")
        return self._settings

    @property
    def color(self) -> bool:
        return not self.no_color and not os.environ.get("NO_COLOR")


_current: ContextVar[State | None] = ContextVar("meshdeck_state", default=None)


def get_state(ctx: typer.Context | None = None) -> State:
    """The State of the running command (created on first use, kept on the root context when
    ``ctx`` is given)."""
    state = _current.get()
    if state is None:
        state = State()
        _current.set(state)
    if ctx is not None:
        root = ctx.find_root()
        if isinstance(root.obj, State):
            state = root.obj
            _current.set(state)
        else:
            root.obj = state
    return state


def reset_state() -> None:
    """Forget the previous run's state (the root group calls this as each run starts)."""
    _current.set(None)


# --- output streams -----------------------------------------------------------------------------

def err(message: str) -> None:
    """One plain line on stderr."""
    typer.echo(message, err=True)


def warn_dropped(rows: Iterable[Any]) -> None:
    """One warning line on stderr naming the fields of ``rows`` that came with a type meshdeck
    cannot show and were left empty (nothing when none did)."""
    from console.format import DroppedFields

    line = DroppedFields().add(rows).warning()
    if line:
        err(f"meshdeck: warning: {line}")


def stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def interactive() -> bool:
    """Whether a person can answer a prompt (stdin is a terminal)."""
    return stdin_is_tty()


def has_terminal() -> bool:
    """Whether a full-screen app can run here: stdin and stdout are terminals, or a Textual
    driver that needs none was chosen (``serve-web`` runs the console with the web driver)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    try:
        return stdin_is_tty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


# --- running a command's async body ---------------------------------------------------------------

def request_logger(method: str, url: str, status: int | None, ms: float) -> None:
    """``--verbose``: one line per request on stderr (the token only travels in a header)."""
    said = status if status is not None else "no answer"
    err(f"> {method} {url} -> {said} ({ms:.0f} ms)")


def open_backend(state: State) -> Backend:
    """The backend of this command's settings (the composition root does the joining)."""
    from console import connect

    settings = state.settings()
    # Plain http needs no TLS context (building one costs ~35 ms at start); redirects are not
    # followed, so an http base URL can never end up talking TLS unverified.
    plain = settings.base_url.lower().startswith("http://") or state.mock
    insecure = state.insecure or settings.insecure
    if insecure and not state._warned_insecure:
        state._warned_insecure = True
        err("meshdeck: warning: --insecure: the server's TLS certificate is not checked, so "
            "anyone on the network path could read or change this traffic")
    return connect.open_backend(settings, mock_app=mock_app(state) if state.mock else None,
                                on_request=request_logger if state.verbose else None,
                                verify=not (plain or insecure))


def profile_backend(state: State, profile: str) -> tuple[Backend, Settings]:
    """Another profile's backend and settings, for the console's server switch: the profile's
    own server, credentials and banner; this run's --read-only, --timeout and --insecure still
    apply (never the embedded mock)."""
    from dataclasses import replace

    switched = replace(state, profile=profile, base_url=None, port=None, client_id=None,
                       backend=None, banner=None, mock=False, mock_faults=None,
                       mock_definitions=None, _settings=None)
    return open_backend(switched), switched.settings()


def mock_app(state: State) -> Any:
    """The in-process mock server for ``--mock``, misbehaving as ``--mock-faults`` asks, with
    the definitions of ``--mock-definitions``."""
    from console import connect

    options: dict[str, Any] = {}
    if state.mock_faults:
        from console.mock.faults import FaultPlan

        try:
            options["faults"] = FaultPlan.parse(state.mock_faults)
        except ValueError as exc:
            raise CliProblem(f"--mock-faults: {exc}") from None
    if state.mock_definitions:
        from console.cli.mock_cmd import read_definitions

        if (state.settings().backend or "unmeshed") != "unmeshed":
            raise CliProblem("--mock-definitions works with the Unmeshed backend only")
        options["definitions"] = read_definitions(Path(state.mock_definitions), "--mock-definitions")
    try:
        return connect.new_mock_app(state.settings().backend, **options)
    except ValueError as exc:  # a definition the mock cannot run: the message names the file
        raise CliProblem(f"--mock-definitions: {exc}") from None


def session_journal(state: State | None = None) -> Any:
    """The action journal of this command (``console.services.journal``): in the data folder of
    its settings, a mock-only folder with ``--mock``. A journal that cannot be written is a
    warning on stderr: the action itself was sent."""
    from console.services.data_folder import data_folder
    from console.services.journal import Journal

    state = state or get_state()
    settings = state.settings()
    return Journal(data_folder(settings, mock=state.mock), settings.profile,
                   on_problem=lambda problem: err(f"meshdeck: warning: {problem}"))


def run_with_backend(body: Callable[[Backend], Awaitable[T]], state: State | None = None) -> T:
    """Open the backend, run ``body(backend)`` in one ``asyncio.run``, close it in ``finally``."""
    import asyncio

    state = state or get_state()
    running: list[asyncio.Task] = []

    async def main() -> T:
        running.append(asyncio.current_task())
        backend = open_backend(state)
        try:
            return await body(backend)
        finally:
            await backend.aclose()

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        # A second Ctrl-C stops the body where it is: the task keeps the KeyboardInterrupt,
        # which asyncio would print as a traceback ("never retrieved") when it is collected.
        for task in running:
            if task.done() and not task.cancelled():
                task.exception()
        raise


def backend_class(state: State) -> Any:
    """The class of the backend these settings open: its capabilities, without connecting."""
    from console.backends import registry

    try:
        return registry.kind(state.settings().backend).client_class()
    except ValueError as exc:
        raise CliProblem(str(exc)) from None


def refuse_unsupported_filters(state: State, query: Any) -> None:
    """The one check of a query before it is sent (search, the actions selecting by query,
    failures): a filter this backend cannot search by, a trigger / type it does not know, or a
    status outside its closed set is a usage error naming each (never silently dropped). A
    status meshdeck does not know is then searched with a warning where statuses are an open
    set (a newer server may have it)."""
    from console.cli.options import KNOWN_STATUSES
    from console.errors import MeshdeckError

    try:
        backend_class(state).check_filters(query)
    except MeshdeckError as exc:
        raise CliProblem(str(exc)) from None
    unknown = [s for s in query.statuses if s not in KNOWN_STATUSES]
    if unknown:
        import difflib

        near = [m for u in unknown for m in difflib.get_close_matches(u, KNOWN_STATUSES, 1)]
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        err(f"warning: status {', '.join(unknown)} is not one meshdeck knows{hint}; "
            f"searching for it anyway (known: {', '.join(KNOWN_STATUSES)})")


def checked_ids(state: State, ids: Iterable[str]) -> list[str]:
    """Ids as typed, each checked for this backend's form before anything is sent (``abc`` is
    not an Unmeshed id): a malformed one is a usage error naming it."""
    from console import errors

    cls = backend_class(state)
    try:
        return [cls.check_id(pid) for pid in ids]
    except errors.MeshdeckError as exc:
        raise CliProblem(str(exc)) from None


def refuse_if_read_only(state: State, what: str) -> None:
    """Refuse a change (exit 2) naming what made this session read-only: the flag, the
    profile, or both."""
    settings = state.settings()
    if settings.read_only:
        causes = settings.read_only_causes() or ["this session is read-only"]
        raise CliProblem(f"refusing to {what}: " + "; and ".join(causes))


def confirm(question: str, *, yes: bool, used_stdin: bool, count: int, verb: str) -> None:
    """Ask ``question`` on stderr unless ``--yes``; refuse (exit 2) when nobody can answer.

    When ids came from stdin the prompt has no input to read from, so ``--yes`` is required.
    """
    if yes:
        return
    if used_stdin:
        raise CliProblem(f"ids came from stdin, so meshdeck cannot ask before it acts: pass --yes "
                         f"to {verb} {count} execution(s)")
    if not interactive():
        raise CliProblem(f"not a terminal, so meshdeck cannot ask before it acts: pass --yes to "
                         f"{verb} {count} execution(s)")
    if not typer.confirm(question, default=False, err=True):
        raise CliProblem("not confirmed; nothing was sent")


def confirm_change(question: str, *, yes: bool, what: str, nothing: str = "nothing was sent"
                   ) -> None:
    """Ask ``question`` on stderr before a change that is not an action on executions (apply
    definitions, delete a file) unless ``--yes``; without a terminal, refuse (exit 2) saying
    ``--yes`` would ``what``."""
    if yes:
        return
    if not interactive():
        raise CliProblem(f"not a terminal, so meshdeck cannot ask first: pass --yes to {what}")
    if not typer.confirm(question, default=False, err=True):
        raise CliProblem(f"not confirmed; {nothing}")
