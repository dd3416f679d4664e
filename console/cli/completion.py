"""Shell completion of option values (``meshdeck --install-completion`` sets it up): statuses,
output formats, profiles, backends, and the process names and namespaces of the server when it
answers quickly.

Every function here is fast and never raises: a completion that fails offers nothing rather than
printing a trace into the person's shell. The server is asked with a short timeout
(``SERVER_TIMEOUT``); the config file is read as the command would read it, with the global
options typed so far (``--profile``, ``--mock``, ``--base-url``...).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from typing import Any

import typer

#: Seconds a completion may wait for the server in all.
SERVER_TIMEOUT = 1.5


def _matching(values: Iterable[str], incomplete: str, upper: bool = False) -> list[str]:
    """``values`` that start with what was typed (any case); for comma lists
    (``--status FAILED,TI``) the part after the last comma is completed."""
    head, comma, last = incomplete.rpartition(",")
    prefix = head + comma
    done = {part.strip().upper() if upper else part.strip() for part in head.split(",")}
    return [prefix + value for value in values
            if value.lower().startswith(last.lower()) and value not in done]


def complete_status(incomplete: str) -> list[str]:
    from console.cli.options import KNOWN_STATUSES

    return _matching(KNOWN_STATUSES, incomplete, upper=True)


def complete_list_format(incomplete: str) -> list[str]:
    from console.cli.output import LIST_FORMATS

    return _matching(LIST_FORMATS, incomplete)


def complete_result_format(incomplete: str) -> list[str]:
    return _matching(("table", "json", "ndjson", "ids"), incomplete)


def complete_backend(incomplete: str) -> list[str]:
    from console.backends.registry import NAMES

    return _matching(NAMES, incomplete)


def complete_profile(incomplete: str) -> list[str]:
    try:
        from console.config import list_profiles

        with contextlib.redirect_stderr(io.StringIO()):
            names, _ = list_profiles()
    except Exception:  # noqa: BLE001 - a damaged config file: offer nothing
        return []
    return _matching(names, incomplete)


def _state(ctx: Any) -> Any:
    """The global options typed so far (before and after the command), as a State whose
    requests give up after ``SERVER_TIMEOUT``."""
    from console.cli.common import State

    known = set(State.option_names())
    chain = []
    while ctx is not None:
        chain.append(ctx)
        ctx = ctx.parent
    values: dict[str, Any] = {}
    for each in reversed(chain):
        values.update({k: v for k, v in (each.params or {}).items() if k in known})
    state = State()
    state.merge({**values, "timeout": SERVER_TIMEOUT, "verbose": False})
    state._warned_insecure = True  # no warning lines in the middle of a completion
    return state


def _from_server(ctx: Any, what: str) -> list[str]:
    """Process names (``what="names"``) or namespaces from the server; [] when it cannot say
    within ``SERVER_TIMEOUT``."""
    import asyncio

    async def ask() -> list[str]:
        from console.cli.common import open_backend

        backend = open_backend(_state(ctx))
        try:
            if what == "namespaces":
                return list(await backend.namespaces())
            return sorted({d.name for d in await backend.list_definitions() if d.name})
        finally:
            await backend.aclose()

    try:
        with contextlib.redirect_stderr(io.StringIO()):
            return asyncio.run(asyncio.wait_for(ask(), SERVER_TIMEOUT))
    except Exception:  # noqa: BLE001 - unreachable, no token, a timeout: offer nothing
        return []


def complete_name(ctx: typer.Context, incomplete: str) -> list[str]:
    return _matching(_from_server(ctx, "names"), incomplete)


def complete_namespace(ctx: typer.Context, incomplete: str) -> list[str]:
    return _matching(_from_server(ctx, "namespaces"), incomplete)
