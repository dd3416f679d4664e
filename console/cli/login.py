"""``meshdeck login``, ``logout`` and ``server list|active``: servers as contexts, as the official
``unmeshed`` CLI has them, on top of meshdeck's profiles.

login checks the credentials with ``GET api/namespaces`` before anything is saved, then saves a
profile and makes it the active one. The token goes to the OS keyring, or to a separate 0600
credentials file (``console.credentials``); config.toml only says which. ``--token-env NAME``
saves a reference to an environment variable instead.
"""

from __future__ import annotations

import re
import sys
from typing import Annotated
from urllib.parse import urlparse

import typer

from console.cli import common
from console.cli.common import CliProblem, err, get_state, stdin_is_tty
from console.cli.options import with_globals

server_app = typer.Typer(help="Servers (profiles), as the official unmeshed CLI names them.",
                         no_args_is_help=True)


def default_name(url: str) -> str:
    """A profile name from a URL's host: ``https://acme.unmeshed.io`` -> ``acme.unmeshed.io``."""
    host = urlparse(url).hostname or "server"
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", host).strip("-.") or "server"


def _ask(value: str | None, what: str, flag: str, hide: bool = False) -> str:
    if value:
        return value
    if not common.interactive():
        raise CliProblem(f"give {flag} (not a terminal, so meshdeck cannot ask for the {what})")
    return typer.prompt(what, hide_input=hide, err=True).strip()


def _token(token_stdin: bool, token_env: str | None) -> str:
    import os

    if token_env:
        value = os.environ.get(token_env, "")
        if not value:
            raise CliProblem(f"--token-env {token_env}: that environment variable is not set")
        return value
    if token_stdin:
        if stdin_is_tty():
            raise CliProblem("--token-stdin reads the token from stdin, but stdin is a terminal: "
                             "pipe it in, e.g. pass show unmeshed | meshdeck login ... --token-stdin")
        value = sys.stdin.read().strip()
        if not value:
            raise CliProblem("--token-stdin: stdin was empty")
        return value
    return _ask(None, "token", "--token-stdin or --token-env VAR", hide=True)


def login(
    url: Annotated[str | None, typer.Option("--url", metavar="URL",
                                            help="The server, e.g. https://acme.unmeshed.io.")] = None,
    client_id: Annotated[str | None, typer.Option("--client-id", metavar="ID",
                                                  help="The client id the token belongs to.")] = None,
    token_stdin: Annotated[bool, typer.Option("--token-stdin", help="Read the token from stdin.")] = False,
    token_env: Annotated[str | None, typer.Option(
        "--token-env", metavar="VAR", help="Keep a reference to this environment variable "
                                           "instead of the token itself.")] = None,
    name: Annotated[str | None, typer.Option("--name", metavar="NAME",
                                             help="The profile's name (default: the URL's host).")] = None,
    insecure: Annotated[bool, typer.Option("--insecure", help="Do not check this server's TLS "
                                           "certificate (a test server you trust).")] = False,
) -> None:
    """Log in to a server: check the credentials, save them as a profile, make it active.

    The token is checked with GET api/namespaces first: nothing is saved if the server refuses
    it. It is kept in the OS keyring, or in a credentials file readable only by you; never in
    config.toml (meshdeck config show says where).

    Examples:  meshdeck login --url https://acme.unmeshed.io --client-id ops
               pass show unmeshed | meshdeck login --url https://acme.unmeshed.io --client-id ops --token-stdin
    """
    import asyncio

    from pydantic import SecretStr

    from console import connect, credentials, errors
    from console.config import Settings, config_path, save_profile, set_default_profile
    from console.profile import check_name, check_value

    state = get_state()
    if common.backend_class(state).CREDENTIALS != ("client_id", "token"):  # Unmeshed's login
        raise CliProblem("login is for Unmeshed servers; for Conductor use meshdeck config "
                         "set-profile NAME --backend conductor --key-id ID --secret-env VAR")
    if token_stdin and token_env:
        raise CliProblem("give --token-stdin or --token-env, not both")
    url = _ask(url, "server URL", "--url URL").rstrip("/")
    check_value("base_url", url, "--url")
    name = check_name(name or default_name(url))
    client_id = _ask(client_id, "client id", "--client-id ID")
    token = _token(token_stdin, token_env)
    settings = Settings(profile=name, base_url=url, port=8080, client_id=client_id,
                        token=SecretStr(token), namespace=None, read_only=False, theme=None,
                        banner=None, insecure=insecure)
    plain = url.lower().startswith("http://")
    if insecure and not plain:
        err("meshdeck: warning: --insecure: this server's TLS certificate will not be checked")

    async def check() -> list[str]:
        # --mock checks against the embedded mock (a demo of login that needs no server).
        backend = connect.open_backend(settings, verify=not (plain or insecure),
                                       mock_app=common.mock_app(state) if state.mock else None)
        try:
            return await backend.namespaces()
        finally:
            await backend.aclose()

    try:
        namespaces = asyncio.run(check())
    except errors.Unauthorized as exc:
        raise CliProblem(f"the server refused these credentials ({exc}); nothing was saved",
                         exit_code=1) from None
    except errors.MeshdeckError as exc:
        raise CliProblem(f"cannot check the credentials: {exc}; nothing was saved",
                         exit_code=1) from None
    values: dict = {"base_url": url, "client_id": client_id, "backend": "unmeshed",
                    "insecure": True if insecure else None, "token": None}
    if token_env:
        values.update(token_env=token_env, token_store=None)
        kept = f"environment variable {token_env} (a reference; the token is not saved)"
        credentials.forget(name)
    else:
        store = credentials.save(name, token)
        values.update(token_env=None, token_store=store)
        kept = credentials.where(store, name)
    save_profile(name, values)
    set_default_profile(name)
    err(f"logged in to {url} as client {client_id!r} ({len(namespaces)} namespace(s) visible)")
    err(f"profile {name!r} saved in {config_path()} and made active; the token is kept in {kept}")


def logout(
    name: Annotated[str | None, typer.Argument(metavar="[NAME]",
                                               help="The profile (default: the active one).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every profile's saved token.")] = False,
) -> None:
    """Forget a profile's saved token.

    The profile stays; meshdeck config delete-profile NAME deletes it.

    Examples:  meshdeck logout
               meshdeck logout --all
    """
    from console import credentials
    from console.config import list_profiles, load_file, save_profile

    if every and name:
        raise CliProblem("give a NAME or --all, not both")
    names, default = list_profiles()
    if every:
        targets = names
    else:
        target = name or get_state().profile or default
        if not target:
            raise CliProblem("no active profile: name the one to log out of")
        if target not in names:
            raise CliProblem(f"no profile named {target!r} (known: {', '.join(names) or 'none'})")
        targets = [target]
    profiles = load_file().get("profiles", {})
    forgot = []
    for target in targets:
        removed = credentials.forget(target)
        if profiles.get(target, {}).get("token_store"):
            save_profile(target, {"token_store": None})
            removed = removed or ["profile"]
        if removed:
            forgot.append(target)
    if not forgot:
        err("no saved token to forget" + (f" for profile {targets[0]!r}" if len(targets) == 1 else ""))
        return
    err(f"logged out of {', '.join(repr(n) for n in forgot)}: saved token(s) removed")


def server_list(output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", help="table or json (default: table).")] = None) -> None:
    """List the servers (profiles); the active one is marked with * (as meshdeck config profiles)."""
    from console.cli.config_cmd import profiles

    profiles(output)


def server_active(name: Annotated[str | None, typer.Argument(
        metavar="[NAME]", help="Make this profile the active one.")] = None) -> None:
    """Show the active server, or make NAME the active one (as meshdeck config use NAME)."""
    from console.cli.config_cmd import use

    if name:
        use(name)
        return
    settings = get_state().settings()
    if settings.profile is None:
        raise CliProblem("no active server: log in with meshdeck login, or pick one with "
                         "meshdeck server active NAME", exit_code=1)
    typer.echo(f"{settings.profile}\t{settings.base_url}")


def register(root: typer.Typer) -> None:
    panel = "Setup"
    root.command("login", rich_help_panel=panel)(with_globals(login))
    root.command("logout", rich_help_panel=panel)(with_globals(logout))
    server_app.command("list")(server_list)
    server_app.command("active")(with_globals(server_active))
    root.add_typer(server_app, name="server", rich_help_panel=panel)
