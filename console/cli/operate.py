"""Operator commands Conductor users reach for: skip a step of a running execution, rerun a
finished one from a step, the executions of a correlation id, a definition's running ids.

Each is an optional backend feature (``Backend.IMPLEMENTS_...``): a backend without it (Unmeshed
publishes no such API) is refused before anything is sent, with the reason and what to do
instead, exit code 2. Skip and rerun-from change an execution: they are refused in read-only
mode, ask first (``--yes`` in scripts) and are sent once, never again by themselves.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from console.cli.arguments import read_json_arg
from console.cli.common import (
    CliProblem,
    backend_class,
    checked_ids,
    confirm,
    err,
    get_state,
    refuse_if_read_only,
    run_with_backend,
)
from console.cli.options import OUTPUT, DryRunOpt, ListFormat, YesOpt, with_globals

ProcessArg = Annotated[str, typer.Argument(metavar="PROCESS_ID", help="The execution's id.")]
NameArg = Annotated[str, typer.Argument(metavar="NAME", help="The definition's name.")]
JsonOpt = "a JSON object, @file.json, or - for stdin"


def _require(feature: str, what: str) -> Any:
    """The backend class when it has ``feature``; else a refusal saying why (exit 2)."""
    cls = backend_class(get_state())
    if not implemented_by(cls, feature):
        raise CliProblem(f"{what} is not available on the {cls.KIND} backend: "
                         + (cls.UNSUPPORTED.get(feature) or "it has no such call"))
    return cls


def implemented_by(cls: Any, feature: str) -> bool:
    return {"skip": cls.IMPLEMENTS_SKIP_STEP, "rerun_from": cls.IMPLEMENTS_RERUN_FROM_STEP,
            "correlated": cls.IMPLEMENTS_CORRELATED, "running": cls.IMPLEMENTS_RUNNING_IDS}[feature]


def _json_object(text: str | None, flag: str) -> dict[str, Any] | None:
    value = read_json_arg(text, flag)
    if value is not None and not isinstance(value, dict):
        raise CliProblem(f"{flag} must be a JSON object {{...}}")
    return value


def _with_steps(pid: str) -> Any:
    """The execution ``pid`` with its steps: what skip and rerun-from decide on before sending."""

    async def look(backend):
        return await backend.get_process(pid, include_steps=True)

    return run_with_backend(look)


def skip(
    process_id: ProcessArg,
    ref: Annotated[str, typer.Argument(metavar="STEP_REF",
                                       help="The reference name of the step to skip.")],
    step_output: Annotated[str | None, typer.Option(
        "--step-output", metavar="JSON", help=f"Output the skipped step hands on ({JsonOpt}).")] = None,
    step_input: Annotated[str | None, typer.Option(
        "--step-input", metavar="JSON", help=f"Input recorded on the skipped step ({JsonOpt}).")] = None,
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Skip a step of a RUNNING execution before it starts (Conductor only).

    The step ends SKIPPED (with --step-output as its output) and the execution carries on
    without running it.

    Examples:  meshdeck --backend conductor skip 8f3c... send_receipt --yes
               meshdeck --backend conductor skip 8f3c... fraud_check --step-output '{"score": 0}'
    """
    from console.services import step_ops

    _require("skip", "skip")
    state = get_state()
    if not dry_run:
        refuse_if_read_only(state, "skip a step")
    [pid] = checked_ids(state, [process_id])
    output = _json_object(step_output, "--step-output")
    inp = _json_object(step_input, "--step-input")
    process = _with_steps(pid)
    why = step_ops.why_not_skip(backend_class(state), process)
    started = {s.ref for s in process.step_records or []}
    if why is None and ref in started:
        why = f"step {ref} has started already: only a step not started yet can be skipped"
    if why:
        raise CliProblem(f"cannot skip {ref} of {pid}: {why}; nothing was sent")
    if dry_run:
        err(f"dry run: would skip step {ref} of {pid} ({process.status}); nothing was sent")
        return
    confirm(f"skip step {ref} of {pid}? (it will not run)", yes=yes, used_stdin=step_output == "-"
            or step_input == "-", count=1, verb="skip a step of")

    async def body(backend):
        await backend.skip_step(pid, ref, step_input=inp, step_output=output)

    run_with_backend(body)
    typer.echo(f"{pid}\tdone\t{ref} skipped: it will not run")


def rerun_from(
    process_id: ProcessArg,
    step: Annotated[str, typer.Argument(metavar="STEP", help="The step's id, or its reference "
                                        "name (its latest attempt).")],
    step_input: Annotated[str | None, typer.Option(
        "--step-input", metavar="JSON", help=f"A new input for that step ({JsonOpt}); "
                                             "default: the one it had.")] = None,
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Run a finished execution again from one of its steps (Conductor only).

    The steps before it keep their results; it (with --step-input as its new input) and every
    step after it run again, in the same execution.

    Examples:  meshdeck --backend conductor rerun-from 8f3c... charge_card --yes
               meshdeck --backend conductor rerun-from 8f3c... charge_card --step-input @in.json
    """
    from console.services import step_ops

    _require("rerun_from", "rerun-from")
    state = get_state()
    if not dry_run:
        refuse_if_read_only(state, "rerun from a step")
    [pid] = checked_ids(state, [process_id])
    new_input = _json_object(step_input, "--step-input")
    process = _with_steps(pid)
    steps = process.step_records or []
    chosen = next((s for s in steps if str(s.id) == step), None) \
        or next((s for s in reversed(steps) if s.ref == step), None)
    if chosen is None:
        refs = ", ".join(dict.fromkeys(s.ref for s in steps if s.ref)) or "none"
        raise CliProblem(f"{pid} has no step {step!r} (its steps: {refs})")
    why = step_ops.why_not_rerun_from(backend_class(state), process, chosen)
    if why:
        raise CliProblem(f"cannot rerun {pid} from {chosen.ref}: {why}")
    if dry_run:
        err(f"dry run: would rerun {pid} ({process.status}) from step {chosen.ref}; nothing "
            "was sent")
        return
    confirm(f"rerun {pid} ({process.status}) from step {chosen.ref}? it and every step after "
            "it run again", yes=yes, used_stdin=step_input == "-", count=1, verb="rerun")

    async def body(backend):
        return await backend.rerun_from_step(pid, str(chosen.id), new_input)

    again = run_with_backend(body)
    typer.echo(f"{pid}\tdone\truns again from {chosen.ref} (now {again.status or 'unknown'})")


def correlated(
    name: NameArg,
    correlation_id: Annotated[str, typer.Argument(metavar="CORRELATION_ID")],
    all_: Annotated[bool, typer.Option("--all", help="Finished ones too (default: only the "
                                                     "RUNNING ones, as Conductor lists them).")] = False,
    output: ListFormat = None,
) -> None:
    """The executions of a definition with one correlation id, newest first (Conductor only).

    Examples:  meshdeck --backend conductor correlated create_order order-37016 --all
    """
    from console.cli.columns import DEFAULT_PROCESS_COLUMNS, PROCESS_COLUMNS, namespace_as
    from console.cli.output import RowWriter, choose_format, pick_columns

    cls = _require("correlated", "correlated")
    fmt = choose_format(output)
    cols = namespace_as(cls.NAMESPACE_LABEL,
                        pick_columns(PROCESS_COLUMNS, None, DEFAULT_PROCESS_COLUMNS))

    async def body(backend):
        return await backend.correlated(name, correlation_id, include_finished=all_)

    rows = run_with_backend(body)
    writer = RowWriter(fmt, cols, full=lambda p: p.to_wire(), id_of=lambda p: p.process_id)
    writer.write(rows)
    writer.close()
    if not rows and fmt == "table":
        err(f"no {'' if all_ else 'running '}execution of {name} has correlation id "
            f"{correlation_id!r}" + ("" if all_ else " (--all shows finished ones too)"))


def running(
    name: NameArg,
    version: Annotated[int | None, typer.Option("--version", min=1, help="Only this definition "
                                                "version (default: every version).")] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
        help="ids (one per line) or json (default: ids).")] = None,
) -> None:
    """The ids of a definition's unfinished (RUNNING or PAUSED) executions (Conductor only).

    Examples:  meshdeck --backend conductor running checkout
               meshdeck --backend conductor running checkout | meshdeck --backend conductor pause - --yes
    """
    from console.cli.output import choose_format, write_json

    _require("running", "running")
    fmt = choose_format(output, ("ids", "json"), default="ids")

    async def body(backend):
        return await backend.running_ids(name, version)

    ids = run_with_backend(body)
    if fmt == "json":
        write_json(ids)
    else:
        for pid in ids:
            typer.echo(pid)
    err(f"{len(ids)} unfinished execution{'s' if len(ids) != 1 else ''} of {name}"
        + (f" v{version}" if version else " (every version)"))


def register(app: typer.Typer) -> None:
    act = "Act (asks first; --yes in scripts)"
    app.command("skip", rich_help_panel=act)(with_globals(skip))
    app.command("rerun-from", rich_help_panel=act)(with_globals(rerun_from))
    app.command("correlated", rich_help_panel="Find and inspect")(with_globals(correlated))
    app.command("running", rich_help_panel="Find and inspect")(with_globals(running))
