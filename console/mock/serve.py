"""Run the mock server under uvicorn: ``serve(host="127.0.0.1", port=8080, ...)`` (blocking)."""

from __future__ import annotations

import sys
from typing import Callable, TextIO

DEFAULT_AUTH = ("mock-client", "mock-token")


def sdk_snippet(host: str, port: int, client_id: str, token: str) -> str:
    """A short official-SDK snippet that connects to this server."""
    return (
        "from unmeshed.sdk.configs.client_config import ClientConfig\n"
        "from unmeshed.sdk.unmeshed_client import UnmeshedClient\n"
        f'config = ClientConfig(base_url="http://{host}", port={port}, '
        f'client_id="{client_id}", auth_token="{token}")\n'
        "client = UnmeshedClient(config)\n"
        "print(client.get_process_data(1000000, include_steps=True).status)"
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


def banner(host: str, port: int, seed: int, executions: int, require_auth: str | None,
           faults: str | None = None, dialect: str = "unmeshed") -> str:
    """What ``mock serve`` prints first: where it listens and how to connect an official client."""
    return _BANNERS[dialect](host, port, seed, executions, require_auth, faults)


def conductor_banner(host: str, port: int, seed: int, executions: int,
                     require_auth: str | None, faults: str | None) -> str:
    auth = (f"auth required: key id {require_auth.split(':', 1)[0]!r}" if require_auth
            else "no auth (like Conductor OSS)")
    return (f"meshdeck mock Conductor server on http://{host}:{port}/api  "
            f"(seed {seed}, {executions} executions; {auth})\n"
            + (f"Injecting faults: {faults}\n" if faults else "")
            + "Connect with the official conductor-python client:\n\n"
            + conductor_snippet(host, port, require_auth) + "\n")


def unmeshed_banner(host: str, port: int, seed: int, executions: int,
                    require_auth: str | None, faults: str | None) -> str:
    client_id, token = require_auth.split(":", 1) if require_auth else DEFAULT_AUTH
    auth = f"auth required: client id {client_id!r}" if require_auth else "auth: any credentials accepted"
    return (
        f"meshdeck mock Unmeshed server on http://{host}:{port}  "
        f"(seed {seed}, {executions} executions; {auth})\n"
        + (f"Injecting faults: {faults}\n" if faults else "")
        + "Connect with the official SDK:\n\n"
        + sdk_snippet(host, port, client_id, token) + "\n"
    )


def serve(host: str = "127.0.0.1", port: int = 8080, seed: int = 7, executions: int = 5000,
          require_auth: str | None = None, clock: Callable[[], int] | None = None,
          out: TextIO | None = None, faults: str | None = None, dialect: str = "unmeshed") -> None:
    """Build the app, print the URL and an SDK snippet, then run uvicorn until interrupted.

    ``faults``: a fault plan SPEC (``console.mock.faults``); its injected connection resets are
    not logged as application errors. ``dialect`` names a backend kind whose dialect is served
    (``conductor``: Conductor's REST API under /api; ``require_auth`` is then ``KEY_ID:SECRET``)."""
    import uvicorn

    from console.backends import registry

    factory = registry.kind(dialect).mock_factory()
    app = factory(seed=seed, executions=executions, clock=clock, require_auth=require_auth,
                  faults=faults)
    print(banner(host, port, seed, executions, require_auth, faults, dialect),
          file=out or sys.stdout, flush=True)
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
