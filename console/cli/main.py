"""The root ``meshdeck`` Typer app: global options, help panels, errors, and the TUI default.

Every error a person can cause or meet (MeshdeckError, ConfigError, a refusal, bad input) ends
here as one line ``meshdeck: error: ...`` on stderr and an exit code: 0 ok, 1 error (server or
network), 2 usage or refused, 3 partial failure of a bulk action (or matches left untouched),
4 ``run --sync`` ended without success, 130 interrupted.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from console.cli import common
from console.cli.command_table import COMMANDS
from console.cli.common import CliProblem, ExitCode, err, get_state
from console.cli.options import (
    with_globals,
)

#: Click's error base class, reached through Typer's public ``BadParameter`` (Typer vendors
#: Click privately; its module is not ours to import).
ClickError: type[Exception] = next(c for c in typer.BadParameter.__mro__
                                   if c.__name__ == "ClickException")


def error_exit_code(exc: BaseException) -> int | None:
    """The exit code for an error meshdeck reports in one line; None for an unexpected error."""
    from console.errors import MeshdeckError

    if isinstance(exc, CliProblem):
        return exc.exit_code
    if isinstance(exc, MeshdeckError):
        return exc.exit_code
    config = sys.modules.get("console.config")  # a ConfigError exists only if config was loaded
    if config is not None and isinstance(exc, config.ConfigError):
        return ExitCode.USAGE
    if isinstance(exc, ValueError):
        return ExitCode.USAGE
    return None


def _coerce_only_given_values() -> None:
    """Typer (0.29) coerces every option's value at parse time through a pydantic TypeAdapter
    it builds on first use, also for an option not given, whose value None needs none: ~40
    adapters per command, most of a command's start. Here an absent value (None, not
    required) becomes what Typer's coercion makes of it, () for a repeatable option and None
    otherwise, without building the adapter, and goes to the option's callback as in Typer;
    any other value goes through Typer."""
    for cls in (typer.core.TyperOption, typer.core.TyperArgument):
        typer_process_value = cls.process_value

        def process_value(self: Any, ctx: Any, value: Any, _typer: Any = typer_process_value
                          ) -> Any:
            if value is None and not self.required:  # Typer's coercion of None, without it
                value = () if (self.multiple or self.nargs == -1) else None
                return self.callback(ctx, self, value) if self.callback is not None else value
            return _typer(self, ctx, value)

        cls.process_value = process_value  # type: ignore[method-assign]


_coerce_only_given_values()

#: console.cli module -> a Typer holding the commands it registers (once per process: a
#: module's ``register`` wraps its commands).
_loaded: dict[str, typer.Typer] = {}


def _module_app(module_name: str) -> typer.Typer:
    """The commands of one ``console.cli`` module, registered on a Typer of their own."""
    holder = _loaded.get(module_name)
    if holder is None:
        module = importlib.import_module(f"console.cli.{module_name}")
        holder = typer.Typer(rich_markup_mode="rich")
        if hasattr(module, "register"):
            module.register(holder)
        else:  # a group of its own (views, config, mock)
            name, entry = next((n, e) for n, e in COMMANDS.items() if e.module == module_name)
            holder.add_typer(module.app, name=name, rich_help_panel=entry.panel)
        _loaded[module_name] = holder
    return holder


class MeshdeckGroup(TyperGroup):
    """The root group: turns every error into one line and an exit code, once for all commands;
    and loads each command's module only when it is needed (``console.cli.command_table``)."""

    #: False: list commands for help from the modules themselves (a test compares the two).
    list_from_table = True

    def list_commands(self, ctx: Any) -> list[str]:
        eager = [name for name in self.commands if name not in COMMANDS]
        return eager + list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return self.commands.get(cmd_name)
        entry = COMMANDS[cmd_name]
        if self._listing and self.list_from_table:
            return TyperCommand(cmd_name, help=entry.summary, rich_help_panel=entry.panel)
        loaded = typer.main.get_group(_module_app(entry.module))
        for name, command in loaded.commands.items():
            self.add_command(command, name)
        return self.commands.get(cmd_name)

    _listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Typer's "Did you mean ...?" over every command, not only those loaded."""
        suggest, self.suggest_commands = self.suggest_commands, False
        try:
            return super().resolve_command(ctx, args)
        except ClickError as exc:
            import difflib

            matches = difflib.get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if suggest and matches and hasattr(exc, "message"):
                exc.message = (f"{exc.message.rstrip('.')}. Did you mean "
                               f"{', '.join(repr(m) for m in matches)}?")
            raise
        finally:
            self.suggest_commands = suggest

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The list of commands comes from the table: no module is imported for it."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Usage errors as one ``meshdeck: error:`` line and a hint, not a boxed panel."""
        common.reset_state()  # each run (a test runs many in one process) starts afresh
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except ClickError as exc:
            ctx = getattr(exc, "ctx", None)
            where = f"{ctx.command_path} --help" if ctx is not None else "meshdeck --help"
            err(f"meshdeck: error: {' '.join(exc.format_message().split())}")
            err(f"(see {where})")
            sys.exit(getattr(exc, "exit_code", ExitCode.USAGE))
        except typer.Abort:
            err("meshdeck: aborted")
            sys.exit(ExitCode.ERROR)
        sys.exit(code if isinstance(code, int) else ExitCode.OK)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            err("meshdeck: interrupted")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:  # the reader stopped early (| head): stop quietly
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except Exception as exc:  # noqa: BLE001 - this is the one place errors become exit codes
            if isinstance(exc, ClickError):
                raise
            code = error_exit_code(exc)
            verbose = get_state(ctx).verbose
            if code is None:
                if verbose:
                    traceback.print_exc(file=sys.stderr)
                text = " ".join(str(exc).split()) or type(exc).__name__
                err(f"meshdeck: error: unexpected {type(exc).__name__}: {text}")
                if not verbose:
                    err("run with --verbose for details")
                raise typer.Exit(ExitCode.ERROR) from None
            err(f"meshdeck: error: {' '.join(str(exc).split())}")
            raise typer.Exit(code) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's exit flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


app = typer.Typer(
    name="meshdeck",
    cls=MeshdeckGroup,
    help="Operations console for Unmeshed: find failed executions, see why, act on them in bulk, "
         "safely. Without a command it opens the terminal UI.",
    epilog="Exit codes: 0 ok, 1 error (server or network), 2 usage or refused (nothing sent), "
           "3 a bulk action partly failed or left matches untouched, 4 run --sync ended FAILED, "
           "TIMED_OUT, TERMINATED or CANCELLED, 130 interrupted (per-id results still printed).",
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("meshdeck")
        except PackageNotFoundError:  # running from a source tree that is not installed
            number = "unknown"
        typer.echo(f"meshdeck {number}")
        raise typer.Exit()


#: ``--theme`` only matters to the TUI (meshdeck without a command, or meshdeck tui).
ThemeOpt = Annotated[str | None, typer.Option(
    "--theme", metavar="NAME", rich_help_panel="Terminal UI",
    help="TUI theme for this session, e.g. meshdeck-dark, meshdeck-light, "
         "meshdeck-high-contrast, meshdeck-production or a Textual theme; a theme picked in the "
         "TUI (ctrl+p) is remembered per profile.")]

#: ``--banner`` only matters to the TUI; ``serve-web`` uses it to say "web, read-only" on every screen.
BannerOpt = Annotated[str | None, typer.Option(
    "--banner", metavar="TEXT", rich_help_panel="Terminal UI",
    help="Text on a coloured line at the top of every screen for this session, instead of the "
         "profile's banner.")]


def root(
    ctx: typer.Context,
    theme: ThemeOpt = None,
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_version,
                                          help="Print the version and exit.")] = False,
) -> None:
    get_state(ctx)  # the global options, already merged by with_globals, belong to this run
    if ctx.invoked_subcommand is None:
        if not common.has_terminal():
            # cron, CI, `meshdeck </dev/null >file`: a full-screen app would wait forever. The
            # help goes to stderr (rich prints it to sys.stdout itself): stdout stays empty.
            import contextlib

            with contextlib.redirect_stdout(sys.stderr):
                typer.echo(ctx.get_help(), err=True)
            err("meshdeck: error: no command given and no terminal to open the console in "
                "(give a command, e.g. meshdeck search --status FAILED)")
            raise typer.Exit(ExitCode.USAGE)
        open_tui(theme)


app.callback()(with_globals(root))


def open_tui(theme: str | None = None) -> None:
    """Open the Textual UI with the resolved settings."""
    state = get_state()
    try:
        from console.tui.app import run_tui
    except ImportError as exc:
        if exc.name and exc.name.startswith("console.tui"):
            err("meshdeck: the TUI is not available yet")
            raise typer.Exit(ExitCode.ERROR) from None
        raise
    from console.cli.common import open_backend, profile_backend

    if not common.has_terminal():
        raise CliProblem("no terminal to open the console in (stdin and stdout must be a "
                         "terminal); for scripts use a command, e.g. meshdeck search")
    settings = state.settings()
    backend = open_backend(state)
    result = run_tui(backend, settings, theme=theme or settings.theme, mock=state.mock,
                     connect=lambda profile: profile_backend(state, profile))
    if isinstance(result, int) and result:
        raise typer.Exit(result)


def tui_command(theme: ThemeOpt = None, banner: BannerOpt = None) -> None:
    """Open the terminal UI (the same as meshdeck with no command)."""
    get_state().merge({"banner": banner})
    open_tui(theme)


app.command("tui", rich_help_panel="Terminal UI")(with_globals(tui_command))



def run() -> None:
    """Console-script entry point (``meshdeck``) and ``python -m console``."""
    # meshdeck uses no pydantic plugin; looking for them scans every installed package's
    # entry points (~10 ms of every command). An explicit setting of the user's still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app(prog_name="meshdeck")
    except KeyboardInterrupt:  # outside a command (e.g. while parsing): no trace
        err("meshdeck: interrupted")
        sys.exit(ExitCode.INTERRUPTED)
