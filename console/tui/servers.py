"""Switch server in the app (k9s' ``:ctx``): the palette lists the profiles of the config file
("Server: prod  https://orch.example.com"); choosing one reconnects.

The app is handed a connector when it is made (``MeshdeckApp(connect=...)``): given a profile
name, it returns that profile's settings and a new backend, opened by the composition root
(``console.connect.open_backend``; the CLI's ``profile_backend`` keeps ``--read-only`` and
``--timeout``). The app then closes the old backend, starts every section again on the new one,
and the header shows the new host and profile; a read-only profile is read-only and keeps its
banner. Nothing of the old server stays on screen. A profile that cannot be opened (a config
error, a missing token) is one notification, and the app stays where it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from console.tui.commands import PaletteCommand

if TYPE_CHECKING:
    from console.backends.base import Backend
    from console.config import Settings
    from console.tui.app import MeshdeckApp

#: Given a profile name: its settings and a new backend for it.
Connector = Callable[[str], "tuple[Backend, Settings]"]


def profile_commands(app: MeshdeckApp) -> list[PaletteCommand]:
    """One "Server: NAME" entry per profile (one saying why when the file cannot be read)."""
    from console.config import ConfigError
    from console.config_file import load_file, profiles_of

    try:
        profiles = profiles_of(load_file())
    except ConfigError as exc:
        why = str(exc)  # ``exc`` is unbound once the except block ends: the entry runs later
        return [PaletteCommand("Server: cannot list the profiles", why,
                               lambda: app.notify(why, severity="error", markup=False))]
    commands = []
    for name, values in profiles.items():
        where = _where(values)
        using = name == app.settings.profile
        commands.append(PaletteCommand(
            f"Server: {name}" + (" (in use)" if using else ""),
            f"reconnect to {where} with profile {name}"
            + (" (read-only)" if values.get("read_only") else ""),
            lambda name=name: switch(app, name)))
    return commands


def _where(values: dict[str, Any]) -> str:
    """The profile's server as a person reads it (its host, or its kind's default)."""
    from urllib.parse import urlparse

    base = str(values.get("base_url") or "")
    host = urlparse(base).netloc or base
    return host or f"the default {values.get('backend') or 'unmeshed'} server"


def switch(app: MeshdeckApp, name: str) -> None:
    """Reconnect ``app`` to profile ``name`` (a worker: closing the old backend is awaited)."""
    if app.connect is None:
        app.notify("this console was not given a way to open other profiles",
                   severity="warning")
        return
    if name == app.settings.profile and not app.mock:
        app.notify(f"profile {name} is the one in use", timeout=3)
        return
    app.run_worker(_switch(app, name), group="switch", exclusive=True, exit_on_error=False)


async def _switch(app: MeshdeckApp, name: str) -> None:
    assert app.connect is not None
    try:
        backend, settings = app.connect(name)
    except Exception as exc:  # noqa: BLE001 - a config or credential problem: said, app stays
        app.notify_error(exc, f"cannot open profile {name}")
        return
    await app.use_server(backend, settings)
    app.notify(f"now on {app.server_label}" + (" (read-only)" if app.read_only else ""),
               title="server switched", timeout=5, markup=False)
