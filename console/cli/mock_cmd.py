"""``meshdeck mock serve``: the embedded mock Unmeshed server over HTTP, for demos and tests."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from console.cli.common import CliProblem

app = typer.Typer(help="The embedded mock Unmeshed server.", no_args_is_help=True)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (keep 127.0.0.1 unless "
                                      "you mean to share it).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8080,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated data.")] = 7,
    executions: Annotated[int, typer.Option("--executions", min=0, help="Executions to generate.")] = 5000,
    require_auth: Annotated[str | None, typer.Option(
        "--require-auth", metavar="CLIENT_ID:TOKEN",
        help="Answer 401 unless requests carry these credentials (default: accept any). With "
             "--dialect conductor: KEY_ID:SECRET, exchanged at POST /api/token (Orkes style).")] = None,
    faults: Annotated[str | None, typer.Option(
        "--faults", metavar="SPEC",
        help="Misbehave on purpose, e.g. 'latency=200ms,error_rate=0.2,html_errors,seed=3' "
             "(see 'Fault injection' in the README).")] = None,
    dialect: Annotated[str, typer.Option(
        "--dialect", metavar="DIALECT",
        help="unmeshed (default) or conductor: serve Conductor's REST API under /api from the "
             "same data (for meshdeck --backend conductor and the conductor-python client).")
    ] = "unmeshed",
) -> None:
    """Serve the mock over HTTP until Ctrl-C (the official SDK can talk to it too)."""
    from console.backends import registry

    try:
        dialect = registry.kind(dialect).name
    except ValueError as exc:
        raise CliProblem(f"--dialect: {exc}") from None
    if require_auth is not None and not re.fullmatch(r"[^:\s]+:\S+", require_auth):
        raise CliProblem("--require-auth must look like CLIENT_ID:TOKEN")
    if faults is not None:
        from console.mock.faults import FaultPlan

        try:
            FaultPlan.parse(faults)
        except ValueError as exc:
            raise CliProblem(f"--faults: {exc}") from None
    from console.mock.serve import serve as run_server

    try:
        run_server(host=host, port=port, seed=seed, executions=executions, require_auth=require_auth,
                   faults=faults, dialect=dialect)
    except KeyboardInterrupt:
        pass
