"""``meshdeck serve-web``: the console in a web browser (textual-serve), behind an access token.

The command builds the one command line every browser session runs (``python -m console tui``
with this invocation's flags), prints a URL with a fresh token and hands both to
``console.web``. The orchestration API's token is never on that command line: a session reads
it from the environment or the profile itself, as the TUI does.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from console.cli.common import CliProblem, State, err, get_state
from console.cli.options import with_globals

#: The packages of the ``web`` extra; an ImportError naming one of them means "install the extra".
WEB_PACKAGES = ("textual_serve", "aiohttp", "aiohttp_jinja2", "jinja2")
INSTALL_HINT = ("meshdeck: serve-web needs the optional web packages: "
                "pip install 'meshdeck[web]'")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost)."""
    import ipaddress  # here, not at the top: every meshdeck command imports this module

    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """The host to print in the URL: this machine's name for a wildcard address."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        return socket.gethostname()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def web_banner(profile_banner: str | None, read_only: bool) -> str:
    """The banner of every served screen: the profile's own, then where and how it runs."""
    mode = "web, read-only" if read_only else "web, actions allowed"
    return f"{profile_banner} · {mode}" if profile_banner else mode


def session_command(state: State, *, read_only: bool, banner: str) -> list[str]:
    """The command each browser session runs: this Python, ``-m console tui`` and the flags
    given here. Settings from the environment and the config file are read by the session
    itself (it inherits the environment), so no secret is ever on this command line."""
    command = [sys.executable, "-m", "console", "tui"]
    for flag, value in (("--profile", state.profile), ("--base-url", state.base_url),
                        ("--port", state.port), ("--client-id", state.client_id),
                        ("--timeout", state.timeout), ("--backend", state.backend),
                        ("--mock-faults", state.mock_faults),
                        ("--mock-definitions", state.mock_definitions)):
        if value is not None:
            command += [flag, str(value)]
    for flag, on in (("--mock", state.mock), ("--insecure", state.insecure),
                     ("--no-color", state.no_color), ("--read-only", read_only)):
        if on:
            command.append(flag)
    return command + ["--banner", banner]


def serve_web(
    host: Annotated[str, typer.Option(
        "--host", metavar="ADDRESS",
        help="Address to listen on. The default, 127.0.0.1, serves this machine only; anything "
             "else (0.0.0.0 for every network) lets whoever reaches the port and has the URL use "
             "the console with this profile's credentials, so meshdeck warns.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(
        "--port", min=0, max=65535,
        help="Port to listen on (0: any free port). The orchestration server's own port comes "
             "from the profile, UNMESHED_PORT or 'meshdeck --port N serve-web'.")] = 8000,
    read_only: Annotated[bool, typer.Option(
        "--read-only/--allow-actions",
        help="Read-only (the default): browsers can look but not terminate, resume, review, "
             "rerun or run anything. --allow-actions lets them act, with the same confirmations "
             "as the terminal UI (a read_only profile stays read-only).")] = True,
) -> None:
    r"""Serve the terminal UI in web browsers, for colleagues without meshdeck installed.

    Prints a URL with a random access token, like Jupyter. Open it in a browser to get
    the same screens and keys as the terminal UI; anyone with the URL gets the console.

    Each browser tab runs its own console on this machine, with this machine's profile
    and credentials. The browser never receives the API token. Requests without the
    access token are refused (401). Sessions are read-only unless --allow-actions.
    Ctrl-C stops the server.

    Needs the optional web packages: pip install 'meshdeck\[web]'

    Examples:
    meshdeck serve-web --mock   (try it with demo data)
    meshdeck serve-web --profile prod   (read-only, this machine only)
    meshdeck serve-web --profile staging --allow-actions --port 9000
    """
    from importlib import import_module

    try:
        web = import_module("console.web")
    except ImportError as exc:
        if (exc.name or "").split(".")[0] in WEB_PACKAGES:
            err(INSTALL_HINT)
            raise typer.Exit(2) from None
        raise
    state = get_state()
    settings = state.settings()  # an unknown profile or a bad value stops us before serving
    read_only = read_only or settings.read_only
    command = session_command(state, read_only=read_only, banner=web_banner(settings.banner, read_only))
    who = "mock data" if state.mock else f"profile {settings.profile or '(default)'}"
    reach = "the mock's demo data" if state.mock else f"{who}'s credentials"
    if not is_loopback(host):
        err(f"meshdeck: warning: serving on {host}, not this machine only: anyone who can reach "
            f"{f'port {port}' if port else 'the port'} and has the URL gets the console with {reach}"
            f"{'' if read_only else ', actions allowed'}; the URL and its token travel in plain "
            "http")
    import secrets

    token = secrets.token_urlsafe(32)

    def ready(bound: int) -> None:
        mode = "read-only" if read_only else "actions allowed"
        typer.echo(f"meshdeck serve-web: serving the console ({who}, {mode}); open this URL in "
                   f"a browser (anyone with it gets the console):\n"
                   f"    http://{url_host(host)}:{bound}/?token={token}\n"
                   "Press Ctrl-C to stop.")

    try:
        web.serve(command, host=host, port=port, token=token, on_ready=ready)
    except OSError as exc:
        raise CliProblem(f"cannot serve on {host}:{port}: {exc.strerror or exc}",
                         exit_code=1) from None


def register(app: typer.Typer) -> None:
    app.command("serve-web", rich_help_panel="Terminal UI")(with_globals(serve_web))
