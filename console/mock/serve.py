"""Run the mock server under uvicorn: ``serve(host="127.0.0.1", port=8080, ...)`` (blocking)."""

from __future__ import annotations

import sys
from typing import Any, Callable, TextIO

DEFAULT_AUTH = ("mock-client", "mock-token")


def sdk_snippet(host: str, port: int, client_id: str, token: str, empty: bool = False) -> str:
    """A short official-SDK snippet that connects to this server."""
    check = ("print([d.name for d in client.get_all_process_definitions()])" if empty else
             "print(client.get_process_data(1000000, include_steps=True).status)")
    return (
        "from unmeshed.sdk.configs.client_config import ClientConfig\n"
        "from unmeshed.sdk.unmeshed_client import UnmeshedClient\n"
        f'config = ClientConfig(base_url="http://{host}", port={port}, '
        f'client_id="{client_id}", auth_token="{token}")\n'
        "client = UnmeshedClient(config)\n"
        + check
    )


def conductor_snippet(host: str, port: int, require_auth: str | None) -> str:
    """A short official conductor-python snippet that connects to the Conductor-dialect mock."""
    auth = ""
    if require_auth:
        key_id, secret = require_auth.split(":", 1)
        auth = (", authentication_settings=AuthenticationSettings("
                f'key_id="{key_id}", key_secret="{secret}")')
    return (
        "from conductor.client.configuration.configuration import Configuration\n"
        + ("from conductor.client.configuration.settings.authentication_settings import "
           "AuthenticationSettings\n" if require_auth else "")
        + "from conductor.client.orkes_clients import OrkesClients\n"
        f'config = Configuration(server_api_url="http://{host}:{port}/api"{auth})\n'
        "workflows = OrkesClients(configuration=config).get_workflow_client()\n"
        'print(workflows.search(size=5, query="status IN (FAILED)").results)'
    )


def definitions_lines(definitions: list[tuple[str, dict[str, Any]]] | None, empty: bool,
                      port: int) -> str:
    """What the dev server runs of yours, and where to look when nothing happens."""
    if not definitions and not empty:
        return ""
    lines = ["Your definitions (each step runs in the mock; WORKER steps wait for your workers):"]
    lines += [f"  {d['namespace']}/{d['name']} v{d.get('version') or 1}  ({where})" for where, d in definitions or []]
    if not definitions:
        lines.append("  none yet: create some with POST api/processDefinitions")
    lines.append(f"Which workers polled: meshdeck mock workers --port {port}  (a mock-only view)")
    return "\n".join(lines) + "\n"


def banner(host: str, port: int, seed: int, executions: int, require_auth: str | None,
           faults: str | None = None, dialect: str = "unmeshed",
           definitions: list[tuple[str, dict[str, Any]]] | None = None, empty: bool = False) -> str:
    """What ``mock serve`` prints first: where it listens and how to connect an official client."""
    return _BANNERS[dialect](host, port, seed, executions, require_auth, faults, definitions, empty)


def conductor_banner(host: str, port: int, seed: int, executions: int, require_auth: str | None,
                     faults: str | None, definitions: Any = None, empty: bool = False) -> str:
    auth = (f"auth required: key id {require_auth.split(':', 1)[0]!r}" if require_auth
            else "no auth (like Conductor OSS)")
    return (f"meshdeck mock Conductor server on http://{host}:{port}/api  "
            f"(seed {seed}, {executions} executions; {auth})\n"
            + (f"Injecting faults: {faults}\n" if faults else "")
            + "Connect with the official conductor-python client:\n\n"
            + conductor_snippet(host, port, require_auth) + "\n")


def unmeshed_banner(host: str, port: int, seed: int, executions: int, require_auth: str | None,
                    faults: str | None, definitions: list[tuple[str, dict[str, Any]]] | None = None,
                    empty: bool = False) -> str:
    client_id, token = require_auth.split(":", 1) if require_auth else DEFAULT_AUTH
    auth = f"auth required: client id {client_id!r}" if require_auth else "auth: any credentials accepted"
    data = "no seeded data" if empty else f"seed {seed}, {executions} executions"
    return (
        f"meshdeck mock Unmeshed server on http://{host}:{port}  ({data}; {auth})\n"
        + (f"Injecting faults: {faults}\n" if faults else "")
        + definitions_lines(definitions, empty, port)
        + "Connect with the official SDK:\n\n"
        + sdk_snippet(host, port, client_id, token, empty) + "\n"
    )


def serve(host: str = "127.0.0.1", port: int = 8080, seed: int = 7, executions: int = 5000,
          require_auth: str | None = None, clock: Callable[[], int] | None = None,
          out: TextIO | None = None, faults: str | None = None, dialect: str = "unmeshed",
          definitions: list[tuple[str, dict[str, Any]]] | None = None, empty: bool = False) -> None:
    """Build the app, print the URL and an SDK snippet, then run uvicorn until interrupted.

    ``faults``: a fault plan SPEC (``console.mock.faults``); its injected connection resets are
    not logged as application errors. ``dialect`` names a backend kind whose dialect is served
    (``conductor``: Conductor's REST API under /api; ``require_auth`` is then ``KEY_ID:SECRET``).
    ``definitions``: ``(file, definition)`` pairs run live; ``empty``: no seeded data (both
    Unmeshed only). A definition the mock cannot run is a ``ValueError`` naming its file, before
    anything listens."""
    import uvicorn

    from console.backends import registry

    out = out or sys.stdout
    kind = registry.kind(dialect)
    own = {"definitions": definitions, "empty": empty} if kind.name == registry.DEFAULT else {}
    app = kind.mock_factory()(seed=seed, executions=0 if empty else executions, clock=clock,
                              require_auth=require_auth, faults=faults, **own)
    app.state.store.engine.hub.on_event = lambda line: print(line, file=out, flush=True)
    print(banner(host, port, seed, executions, require_auth, faults, dialect, definitions, empty),
          file=out, flush=True)
    if faults:
        quiet_injected_resets()
    uvicorn.run(app, host=host, port=port, log_level="warning")


#: Each dialect's banner, by backend kind (``console.backends.registry``).
_BANNERS = {"unmeshed": unmeshed_banner, "conductor": conductor_banner}


def quiet_injected_resets() -> None:
    """uvicorn logs an app exception with its trace; an injected reset is not worth one."""
    import logging

    from console.mock.faults import InjectedReset

    def keep(record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InjectedReset))

    logging.getLogger("uvicorn.error").addFilter(keep)


if __name__ == "__main__":  # pragma: no cover - manual use: python -m console.mock.serve [port]
    serve(port=int(sys.argv[1]) if len(sys.argv) > 1 else 8080)
