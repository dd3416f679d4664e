"""``meshdeck get`` (processes, fetched concurrently) and ``meshdeck step`` (one step, attempts)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from console.cli.arguments import expand_ids
from console.cli.common import (
    CliProblem,
    ExitCode,
    checked_ids,
    err,
    get_state,
    run_with_backend,
    warn_dropped,
)
from console.cli.options import OUTPUT, IdsArg, with_globals

GET_FORMATS = ("table", "json", "ndjson", "tree")


def get(
    ids: IdsArg = None,
    steps: Annotated[bool | None, typer.Option(
        "--steps/--no-steps", show_default=False,
        help="Include the steps (default: yes for table and tree, no for json and ndjson).")] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
        help="table, json (a list), ndjson or tree (default: table).")] = None,
) -> None:
    """Show executions by id: summary, the failed step's error, and the steps.

    Examples:  meshdeck get 1000042
               meshdeck search --status FAILED -o ids | meshdeck get - -o json
    """
    from console.cli.output import choose_format

    fmt = choose_format(output, GET_FORMATS)
    targets, used_stdin = expand_ids(ids)
    if not targets and used_stdin:  # a pipe that found nothing: nothing to show, as for actions
        if fmt == "json":
            from console.cli.output import write_json

            write_json([])
        err("nothing to get: no ids on stdin")
        return
    if not targets:
        raise CliProblem("name at least one process id (or '-' to read ids from stdin)")
    targets = checked_ids(get_state(), targets)
    include_steps = steps if steps is not None else fmt in ("table", "tree")

    async def body(backend):
        fetched = await backend.get_many(targets, include_steps=include_steps)
        progress = {}
        if fmt == "table":  # how far the ones under way are (their definitions' history)
            import time

            from console.services.progress import ProfileCache, progress_of_many

            found = [f.process for f in fetched if f.process is not None]
            progress = await progress_of_many(backend, found, int(time.time() * 1000),
                                              ProfileCache())
        return fetched, progress

    fetched, progress = run_with_backend(body)
    found = [f.process for f in fetched if f.process is not None]
    failures = [f for f in fetched if f.process is None]
    if fmt == "json":
        from console.cli.output import write_json

        write_json([p.to_wire() for p in found])
    elif fmt == "ndjson":
        from console.cli.output import write_ndjson

        write_ndjson(p.to_wire() for p in found)
    else:
        for index, process in enumerate(found):
            if index:
                typer.echo("")
            if fmt == "tree":
                show_process_tree(process)
            else:
                show_process(process, include_steps, progress.get(str(process.process_id)))
    warn_dropped(found)
    for failure in failures:
        err(f"meshdeck: error: {failure.id}: {failure.error}")
    if failures:  # some found, some not: partial, as for a bulk action
        raise typer.Exit(ExitCode.PARTIAL if found else ExitCode.ERROR)


def show_process(p: Any, with_steps: bool = True, progress: Any = None) -> None:
    """Summary (with ``progress``, a ``services.progress.Progress``, for one under way), the
    failed step's error first, then the steps table."""
    from console.cli.columns import STEP_COLUMNS, _error
    from console.cli.output import key_values, print_table, status_text
    from console.format import absolute, relative, run_duration

    from console.cli.common import backend_class

    started = f"{absolute(p.created)} ({relative(p.created)})" if p.created else None
    label = backend_class(get_state()).NAMESPACE_LABEL  # Conductor: "owner app"
    name = f"{p.namespace}/{p.name}" if label == "namespace" and p.namespace else p.name
    key_values([
        ("process", p.process_id), ("name", f"{name}  v{p.version}"),
        (label, p.namespace) if label != "namespace" else ("", None),
        ("status", status_text(p.status)), ("trigger", p.trigger_type), ("type", p.process_type),
        ("started", started), ("updated", absolute(p.updated)), ("duration", run_duration(p)),
        ("correlation id", p.correlation_id), ("request id", p.request_id),
        ("steps", p.step_count or None),
        ("progress", progress_text(progress) if progress is not None else None),
    ])
    failed = p.failed_step()
    error = _error(p)
    if error:
        where = f" in step {failed.ref} ({failed.name}, {failed.type})" if failed is not None else ""
        from rich.text import Text

        from console.cli.output import console

        console().print(Text.assemble(("error" + where + ": ", "bold red"), (error, "")))
    from console.cli.output import console
    from console.services.waiting import waiting_messages

    for line in waiting_messages(p):
        console().print(line, style="yellow", markup=False, highlight=False)
    records = list(p.step_records or [])
    if with_steps and records:
        if failed is not None:  # the failed step first, then in execution order
            records = [failed] + [s for s in records if s is not failed]
        typer.echo("")
        print_table(STEP_COLUMNS, records)


def progress_text(found: Any):
    """``▰▰▰▱▱ 62%  62% of its usual work; ...; usually ends in 3m`` (red when slow)."""
    from rich.text import Text

    from console.format import relative

    text = Text(found.bar() + "  ", style="bold red" if found.slow else "bold")
    text.append(found.words())
    ends = found.finish_ms("p50")
    if ends and not found.slow:
        text.append(f"; usually ends {relative(ends)}")
    return text


def show_process_tree(p: Any) -> None:
    """The whole process as a yaml-like tree."""
    from console.cli.output import console

    console().print(data_tree(f"process {p.process_id}", p.to_wire()))


def data_tree(label: str, value: Any):
    from rich.tree import Tree

    tree = Tree(label, guide_style="dim")
    _fill(tree, value)
    return tree


def _fill(node: Any, value: Any) -> None:
    from rich.text import Text

    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        name = f"- [{key}]" if isinstance(value, list) else f"{key}:"
        if isinstance(item, (dict, list)) and item:
            _fill(node.add(Text(name, style="bold")), item)
        elif item is not None and item != [] and item != {}:
            node.add(Text.assemble((name + " ", "bold"), (str(item), "")))


def step(
    step_id: Annotated[str, typer.Argument(metavar="STEP_ID", help="The step's id.")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
        help="table, json or tree (default: table).")] = None,
) -> None:
    """Show one step: status, attempts (executionList), input and output."""
    from console.cli.output import choose_format

    fmt = choose_format(output, ("table", "json", "tree"))
    [step_id] = checked_ids(get_state(), [step_id])

    async def body(backend):
        return await backend.get_step(step_id)

    s = run_with_backend(body)
    warn_dropped([s])
    if fmt == "json":
        from console.cli.output import write_json

        write_json(s.to_wire())
    elif fmt == "tree":
        from console.cli.output import console

        console().print(data_tree(f"step {s.id}", s.to_wire()))
    else:
        show_step(s)


def show_step(s: Any) -> None:
    from console.cli.output import Column, json_block, key_values, print_table, status_text
    from console.format import absolute, duration

    key_values([
        ("step", s.id), ("ref", s.ref), ("name", f"{s.namespace}/{s.name}" if s.namespace else s.name),
        ("type", s.type), ("status", status_text(s.status)), ("process", s.process_id),
        ("parent", s.parent_ref), ("worker", s.worker_id), ("started", absolute(s.start) if s.start else None),
        ("updated", absolute(s.updated)), ("duration", duration(s.duration_ms)),
        ("attempts", s.attempts), ("error", s.error),
    ])
    attempts = list(s.execution_list or [])
    if attempts:
        typer.echo("")
        print_table([
            Column("n", "#", lambda a: attempts.index(a) + 1),
            Column("id", "ATTEMPT ID", lambda a: a.id),
            Column("executor", "EXECUTOR", lambda a: a.executor),
            Column("runs", "RUNS", lambda a: a.runs),
            Column("scheduled", "SCHEDULED", lambda a: absolute(a.scheduled)),
            Column("start", "STARTED", lambda a: absolute(a.start) if a.start else "not yet"),
            Column("duration", "DURATION", lambda a: duration(a.updated - a.start)
                   if a.updated and a.start else ""),
        ], attempts, title="attempts")
    typer.echo("")
    json_block(s.input, "input")
    typer.echo("")
    json_block(s.output, "output")


def register(app: typer.Typer) -> None:
    app.command("get", rich_help_panel="Find and inspect")(with_globals(get))
    app.command("step", rich_help_panel="Find and inspect")(with_globals(step))
