"""``meshdeck mock serve`` (the embedded mock Unmeshed server over HTTP: demos, tests, and a local
dev server for your own definitions and SDK workers) and ``meshdeck mock workers`` (who polled)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from console.cli.common import CliProblem

app = typer.Typer(help="The embedded mock Unmeshed server: demo data, and a local dev server for "
                       "your own definitions and workers.", no_args_is_help=True)

HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on (keep 127.0.0.1 unless "
                                      "you mean to share it).")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]


def read_definitions(path: Path, flag: str) -> list[tuple[str, dict[str, Any]]]:
    """``(file, definition)`` for each definition in ``path`` (a file or a folder); a problem is
    one usage error naming the flag, the file and the field."""
    from console.definition_files import DefinitionFileError, read_path

    try:
        return [(loaded.where, loaded.doc) for loaded in read_path(path.expanduser())]
    except DefinitionFileError as exc:
        raise CliProblem(f"{flag}: {exc}") from None


@app.command("serve")
def serve(
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8080,
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
    definitions: Annotated[Path | None, typer.Option(
        "--definitions", metavar="PATH",
        help="Your process definitions: a .json/.yaml/.yml file or a folder of them (one "
             "definition or a list per file, as 'meshdeck definitions export' writes them). They "
             "run step by step and their WORKER steps wait for your SDK workers.")] = None,
    empty: Annotated[bool, typer.Option(
        "--empty", help="Start without the seeded definitions and executions (only yours).")] = False,
) -> None:
    """Serve the mock over HTTP until Ctrl-C (the official SDK and its workers can talk to it).

    Examples:  meshdeck mock serve
               meshdeck mock serve --definitions ./definitions --empty
    """
    from console.backends import registry

    try:
        dialect = registry.kind(dialect).name
    except ValueError as exc:
        raise CliProblem(f"--dialect: {exc}") from None
    if dialect != registry.DEFAULT and (definitions is not None or empty):
        raise CliProblem("--definitions and --empty work with the Unmeshed dialect only")
    if require_auth is not None and not re.fullmatch(r"[^:\s]+:\S+", require_auth):
        raise CliProblem("--require-auth must look like CLIENT_ID:TOKEN")
    if faults is not None:
        from console.mock.faults import FaultPlan

        try:
            FaultPlan.parse(faults)
        except ValueError as exc:
            raise CliProblem(f"--faults: {exc}") from None
    loaded = read_definitions(definitions, "--definitions") if definitions is not None else None
    if empty and not loaded:
        from console.cli.common import err

        err("meshdeck: note: --empty without --definitions: the mock starts with no definitions "
            "(create some with POST api/processDefinitions)")
    from console.mock.serve import serve as run_server

    try:
        run_server(host=host, port=port, seed=seed, executions=executions, require_auth=require_auth,
                   faults=faults, dialect=dialect, definitions=loaded, empty=empty)
    except ValueError as exc:  # a definition the mock cannot run: the message names the file
        raise CliProblem(f"--definitions: {exc}") from None
    except KeyboardInterrupt:
        pass


@app.command("workers")
def workers(
    host: Annotated[str, typer.Option("--host", help="Where the mock listens.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The mock's port.")] = 8080,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", help="table or json (default: table).")] = None,
) -> None:
    """Which workers polled a running 'meshdeck mock serve', when last, and what they hold.

    The first thing to look at when "nothing happens": a WORKER step waits until a worker polls
    its queue (namespace/step name). Mock only: a real Unmeshed server publishes no such list.
    """
    from console.cli.output import choose_format
    from console.mock.workers import fetch_view

    fmt = choose_format(output, ("table", "json"))
    base = f"http://{host}:{port}"
    try:
        view = fetch_view(base)
    except (ConnectionError, LookupError) as exc:
        raise CliProblem(str(exc), exit_code=1) from None
    if fmt == "json":
        from console.cli.output import write_json

        write_json(view)
        return
    show_workers(view, base)


def show_workers(view: dict[str, Any], base: str) -> None:
    from console.cli.output import Column, console, print_table
    from console.format import relative
    from console.models import epoch_ms_to_datetime

    now = epoch_ms_to_datetime(view.get("now"))
    out = console()
    out.print(f"Workers seen by the meshdeck mock at {base} (a mock-only view: a real Unmeshed "
              "server has no such list)", markup=False, highlight=False)
    rows = view["queues"]
    if not rows:
        out.print("No worker has registered or polled yet, and no step waits for one.",
                  markup=False, highlight=False)
        return

    def last_poll(row: dict[str, Any]) -> str:
        return relative(row["lastPoll"], now) if row.get("lastPoll") else "never polled"

    def waiting(row: dict[str, Any]) -> str:
        count = row.get("waiting") or 0
        since = f" (oldest {relative(row['waitingSince'], now)})" if count and row.get("waitingSince") else ""
        return f"{count}{since}"

    print_table([
        Column("queue", "QUEUE (namespace/name)", lambda r: f"{r['namespace']}/{r['name']}", style="bold"),
        Column("last", "LAST POLL", last_poll),
        Column("hosts", "FROM", lambda r: ", ".join(r.get("hosts") or []) or "–"),
        Column("progress", "IN PROGRESS", lambda r: r.get("inProgress", 0)),
        Column("waiting", "WAITING STEPS", waiting),
        Column("handed", "HANDED OUT", lambda r: r.get("handedOut", 0)),
    ], rows)
