"""``meshdeck definitions``: list process definitions, show one, or list its versions."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from console.cli.common import CliProblem, run_with_backend, split_name
from console.cli.options import OUTPUT, with_globals


def definitions(
    target: Annotated[str | None, typer.Argument(
        metavar="[NAMESPACE/NAME]", help="One definition (default: list them all).")] = None,
    version: Annotated[int | None, typer.Option("--version", min=1,
                                                help="That version (default: latest).")] = None,
    versions: Annotated[bool, typer.Option("--versions", help="List the definition's versions.")] = False,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
        help="table, json, ndjson, csv or ids for lists; table, json or tree for one (default: table).")] = None,
) -> None:
    """List process definitions, or show one (its steps as a tree), or its versions.

    Examples:  meshdeck definitions
               meshdeck definitions default/order_fulfilment --versions
    """
    from console.cli.output import choose_format

    if target is None and (version is not None or versions):
        raise CliProblem("--version and --versions need a NAMESPACE/NAME")
    if version is not None and versions:
        raise CliProblem("give --version or --versions, not both")
    if target is None:
        return list_all(choose_format(output))
    namespace, name = split_name(target)
    if versions:
        fmt = choose_format(output, ("table", "json", "ndjson", "ids"))

        async def get_versions(backend):
            return await backend.definition_versions(namespace, name)

        numbers = run_with_backend(get_versions)
        from console.cli.output import write_json, write_ndjson

        if fmt == "json":
            write_json(numbers)
        elif fmt == "ndjson":
            write_ndjson(numbers)
        else:
            typer.echo("\n".join(str(n) for n in numbers))
        return
    fmt = choose_format(output, ("table", "json", "tree"))

    async def get_one(backend):
        return await backend.get_definition(namespace, name, version)

    show_one(run_with_backend(get_one), fmt)


def list_all(fmt: str) -> None:
    from console.cli.output import Column, RowWriter
    from console.format import absolute

    async def body(backend):
        return await backend.list_definitions()

    found = run_with_backend(body)
    cols = [Column("namespace", "NAMESPACE", lambda d: d.namespace),
            Column("name", "NAME", lambda d: d.name, style="bold"),
            Column("version", "VER", lambda d: d.version),
            Column("type", "TYPE", lambda d: d.type),
            Column("steps", "STEPS", lambda d: d.step_count),
            Column("updated", "UPDATED", lambda d: absolute(d.updated)),
            Column("description", "DESCRIPTION", lambda d: d.description)]
    writer = RowWriter(fmt, cols, full=lambda d: d.to_wire(), id_of=lambda d: f"{d.namespace}/{d.name}")
    writer.write(found)
    writer.close()


def show_one(d: Any, fmt: str) -> None:
    from console.cli.output import console, key_values, write_json

    if fmt == "json":
        write_json(d.to_wire())
        return
    if fmt == "tree":
        from console.cli.get import data_tree

        console().print(data_tree(f"{d.namespace}/{d.name} v{d.version}", d.to_wire()))
        return
    from rich.tree import Tree

    from console.format import absolute

    key_values([("definition", f"{d.namespace}/{d.name}"), ("version", d.version), ("type", d.type),
                ("description", d.description), ("updated", absolute(d.updated)),
                ("updated by", d.updated_by), ("steps", d.step_count)])
    tree = Tree("steps", guide_style="dim")

    def add(node: Any, steps: list[Any]) -> None:
        for s in steps or []:
            child = node.add(f"{s.ref}  ({s.type}{', optional' if s.optional else ''})  {s.name or ''}")
            add(child, s.children or [])

    add(tree, d.steps or [])
    typer.echo("")
    console().print(tree)


def register(app: typer.Typer) -> None:
    app.command("definitions", rich_help_panel="Find and inspect")(with_globals(definitions))
