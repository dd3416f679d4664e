"""``meshdeck run`` (start a process) and ``meshdeck call`` (an API mapping endpoint)."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli.arguments import read_json_arg, split_name
from console.cli.common import (
    CliProblem,
    ExitCode,
    backend_class,
    err,
    get_state,
    refuse_if_read_only,
    run_with_backend,
    session_journal,
    warn_dropped,
)
from console.cli.options import OUTPUT, with_globals


def run(
    target: Annotated[str, typer.Argument(metavar="NAMESPACE/NAME", help="The process definition.")],
    version: Annotated[int | None, typer.Option("--version", min=1,
                                                help="Definition version (default: latest).")] = None,
    input_: Annotated[str | None, typer.Option(
        "--input", "-i", metavar="JSON|@FILE|-", help="Input object: JSON text, @file.json, or - for stdin.")] = None,
    correlation_id: Annotated[str | None, typer.Option("--correlation-id", help="Correlation id.")] = None,
    request_id: Annotated[str | None, typer.Option("--request-id", help="Request id (idempotency key).")] = None,
    sync: Annotated[bool, typer.Option("--sync/--async", help="Wait for the process to finish "
                                       "(--sync) or return at once (--async, the default).")] = False,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", metavar="SECONDS", min=0.1,
        help="With --sync: how long the server may take (also the HTTP timeout).")] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
                                               help="table, json or ids (the new process's id, for "
                                                    "scripts) (default: table).")] = None,
) -> None:
    """Start a process (asynchronously unless --sync) and show it.

    With --sync the exit code says how the process ended: 0 COMPLETED, 4 FAILED, TIMED_OUT,
    TERMINATED or CANCELLED (a script never reads success from a failed run).

    Examples:  meshdeck run default/order_fulfilment --input '{"orderId": 42}'
               meshdeck run default/order_fulfilment --input @order.json --sync --timeout 30
               ID=$(meshdeck run default/order_fulfilment -o ids)
    """
    from console.cli.output import choose_format

    fmt = choose_format(output, ("table", "json", "ids"))
    state = get_state()
    if timeout is not None and not sync:
        state.merge({"timeout": timeout})  # with --async it is the HTTP timeout
    refuse_if_read_only(state, "start a process")
    namespace, name = split_name(target)
    data = read_json_arg(input_, "--input")
    if data is not None and not isinstance(data, dict):
        raise CliProblem(f"--input must be a JSON object, got {type(data).__name__}")

    journal = session_journal(state)

    async def body(backend):
        from console.models import ProcessRequest
        from console.services.starting import start_process

        request = ProcessRequest(namespace=namespace, name=name, version=version, input=data,
                                 correlation_id=correlation_id, request_id=request_id)
        return await start_process(backend, request, sync=sync, timeout=timeout,
                                   journal=journal)

    process = run_with_backend(body)
    warn_dropped([process])
    if fmt == "json":
        from console.cli.output import write_json

        write_json(process.to_wire())
    elif fmt == "ids":
        typer.echo(process.process_id)
    else:
        from console.cli.get import show_process

        show_process(process, with_steps=bool(process.step_records))
    if sync:
        said_how_it_ended(process)


def said_how_it_ended(process) -> None:
    """``run --sync``: exit 4 when the process ended without success; a note when the wait
    ended before the process did."""
    from console.models import UNDER_WAY, UNSUCCESSFUL

    if process.status in UNSUCCESSFUL:
        err(f"meshdeck: error: process {process.process_id} ended {process.status}")
        raise typer.Exit(ExitCode.PROCESS_FAILED)
    if process.status in UNDER_WAY:
        err(f"meshdeck: warning: process {process.process_id} is still {process.status}: the "
            "wait ended first (a longer --timeout waits longer)")


def call(
    endpoint: Annotated[str, typer.Argument(metavar="ENDPOINT", help="The API mapping's endpoint path.")],
    get: Annotated[bool, typer.Option("--get", help="Send a GET (the default without --data).")] = False,
    post: Annotated[bool, typer.Option("--post", help="Send a POST (the default with --data).")] = False,
    data: Annotated[str | None, typer.Option(
        "--data", "-d", metavar="JSON|@FILE|-", help="Body for a POST: JSON text, @file.json or - for stdin.")] = None,
    request_id: Annotated[str | None, typer.Option("--id", help="Request id.")] = None,
    correlation_id: Annotated[str | None, typer.Option("--correlation-id", help="Correlation id.")] = None,
    call_type: Annotated[str, typer.Option(
        "--type", metavar="SYNC|ASYNC|STREAM", case_sensitive=False,
        help="ASYNC answers at once; SYNC waits for the output; STREAM prints each step as it "
             "completes (one JSON object per line).")] = "ASYNC",
) -> None:
    """Call an API mapping endpoint and print its JSON answer.

    Examples:  meshdeck call orders/submit --data '{"orderId": 42}' --type SYNC
               meshdeck call orders/status --get --id 42
    """
    kind = call_type.strip().upper()
    if kind not in ("SYNC", "ASYNC", "STREAM"):
        raise CliProblem(f"unknown --type {call_type!r} (use SYNC, ASYNC or STREAM)")
    if get and post:
        raise CliProblem("give --get or --post, not both")
    if get and data is not None:
        raise CliProblem("--data needs a POST: drop --get")
    method = "POST" if post or data is not None else "GET"
    state = get_state()
    cls = backend_class(state)
    if not cls.IMPLEMENTS_API_MAPPINGS:
        why = cls.UNSUPPORTED.get("call") or "it has no API mappings"
        raise CliProblem(f"call is not available on the {cls.KIND} backend: {why}")
    # Any call to an API mapping starts a process, GET included.
    refuse_if_read_only(state, "call an API mapping")
    body_data = read_json_arg(data, "--data")
    journal = session_journal(state)

    async def body(backend):
        from console.cli.output import write_json, write_ndjson
        from console.services.api_calls import send

        answer = await send(backend, endpoint, method=method, body=body_data, call_type=kind,
                            request_id=request_id, correlation_id=correlation_id,
                            on_item=lambda item, n: write_ndjson([item]), journal=journal)
        if kind != "STREAM":
            write_json(answer)

    run_with_backend(body)


def register(app: typer.Typer) -> None:
    app.command("run", rich_help_panel="Start")(with_globals(run))
    app.command("call", rich_help_panel="Start")(with_globals(call))
