"""``meshdeck definitions``: list and show process definitions, export them to files, and (in
``definitions_apply``) apply, diff and delete them.

``meshdeck definitions`` alone lists them and ``meshdeck definitions NAMESPACE/NAME`` shows one,
as before the group existed (``DefinitionsGroup`` routes both to ``list`` and ``get``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from console.cli.arguments import split_name
from console.cli.common import CliProblem, backend_class, err, get_state, run_with_backend
from console.cli.options import OUTPUT, add_group


class DefinitionsGroup(TyperGroup):
    """``definitions`` with no command lists; ``definitions NS/NAME ...`` is ``get``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        import difflib

        if not args or (args[0].startswith("-") and args[0] not in ("-h", "--help")):
            args = ["list", *args]
        elif (not args[0].startswith("-") and args[0] not in self.commands
              and ("/" in args[0] or not difflib.get_close_matches(args[0], self.commands))):
            args = ["get", *args]  # a close miss ("exprot") stays a "no such command" error
        return super().parse_args(ctx, args)


app = typer.Typer(cls=DefinitionsGroup, help=(
    "Process definitions: list, show, export to files, apply files (a diff first), diff, "
    "delete. See 'Definitions as code' in the README."))

FormatOpt = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
    help="table, json, ndjson, csv or ids (default: table).")]


@app.command("list")
def list_definitions(
    namespace: Annotated[str | None, typer.Option("--namespace", "-n", help="Only this namespace.")] = None,
    all_versions: Annotated[bool, typer.Option(
        "--all-versions", help="One row per version of each definition (default: the latest).")] = False,
    output: FormatOpt = None,
) -> None:
    """List process definitions (the latest version of each, or every version).

    Examples:  meshdeck definitions list
               meshdeck definitions list --namespace payments --all-versions -o json
    """
    from console.cli.output import Column, RowWriter, choose_format
    from console.format import absolute

    fmt = choose_format(output)

    async def body(backend):
        found = [d for d in await backend.list_definitions()
                 if namespace is None or d.namespace == namespace]
        if not all_versions:
            return found
        from console.services.definitions import fetch_documents
        from console.models import ProcessDefinition

        docs = await fetch_documents(backend, [(d.namespace, d.name) for d in found], True)
        return [ProcessDefinition.model_validate(doc) for doc in docs]

    found = run_with_backend(body)
    cols = [Column("namespace", backend_class(get_state()).NAMESPACE_LABEL.upper(),
                   lambda d: d.namespace),
            Column("name", "NAME", lambda d: d.name, style="bold"),
            Column("version", "VER", lambda d: d.version),
            Column("type", "TYPE", lambda d: d.type),
            Column("steps", "STEPS", lambda d: d.step_count),
            Column("created", "CREATED", lambda d: absolute(d.created)),
            Column("updated", "UPDATED", lambda d: absolute(d.updated)),
            Column("description", "DESCRIPTION", lambda d: d.description)]
    writer = RowWriter(fmt, cols, full=lambda d: d.to_wire(),
                       id_of=lambda d: f"{d.namespace}/{d.name}")
    writer.write(found)
    writer.close()


@app.command("get")
def get_definition(
    target: Annotated[str, typer.Argument(
        metavar="[NAMESPACE/]NAME", help="The definition (NAME alone when it is in one namespace).")],
    version: Annotated[int | None, typer.Option("--version", min=1,
                                                help="That version (default: latest).")] = None,
    versions: Annotated[bool, typer.Option("--versions", help="List the definition's versions.")] = False,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
        help="table, json, yaml or tree (--versions: table, json, ndjson or ids) "
             "(default: table).")] = None,
) -> None:
    """Show one definition (its steps as a tree), or list its versions.

    -o json keeps every field the server sends (signature, dependencies, dependents too).

    Examples:  meshdeck definitions get default/order_fulfilment
               meshdeck definitions get order_fulfilment          (a name in one namespace)
               meshdeck definitions get default/order_fulfilment --version 3 -o yaml
               meshdeck definitions get default/order_fulfilment --versions
    """
    from console.cli.output import choose_format

    if version is not None and versions:
        raise CliProblem("give --version or --versions, not both")
    if versions:
        fmt = choose_format(output, ("table", "json", "ndjson", "ids"))

        async def get_versions(backend):
            return await backend.definition_versions(*await resolve_name(backend, target))

        numbers = run_with_backend(get_versions)
        from console.cli.output import write_json, write_ndjson

        if fmt == "json":
            write_json(numbers)
        elif fmt == "ndjson":
            write_ndjson(numbers)
        else:
            typer.echo("\n".join(str(n) for n in numbers))
        return
    fmt = choose_format(output, ("table", "json", "yaml", "tree"))

    async def get_one(backend):
        namespace, name = await resolve_name(backend, target)
        return await backend.get_definition(namespace, name, version)

    show_one(run_with_backend(get_one), fmt)


def show_one(d: Any, fmt: str) -> None:
    from console.cli.output import console, key_values, write_json

    if fmt == "json":
        write_json(d.to_wire())
        return
    if fmt == "yaml":
        from console.definition_files import dump

        typer.echo(dump(d.to_wire()), nl=False)
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


async def resolve_name(backend: Any, text: str) -> tuple[str, str]:
    """``NAMESPACE/NAME`` as given, or a bare ``NAME`` found among the server's definitions (a
    Conductor workflow is named by its name alone; a name in several namespaces must say which)."""
    if "/" in text:
        return split_name(text)
    name = text.strip()
    found = sorted({(d.namespace or "", d.name) for d in await backend.list_definitions()
                    if d.name == name})
    if len(found) == 1:
        return found[0]
    if not found:
        raise CliProblem(f"no definition named {name!r} (see meshdeck definitions list)")
    raise CliProblem(f"{name!r} is in several namespaces ({', '.join(ns for ns, _ in found)}): "
                     f"give NAMESPACE/{name}")


def pick(found: list[Any], names: list[str], namespace: str | None, every: bool
         ) -> list[tuple[str, str]]:
    """The (namespace, name) pairs ``names`` (``NS/NAME`` or ``NAME``), ``--namespace`` or
    ``--all`` select among ``found``; a name that matches nothing is an error."""
    if not names and namespace is None and not every:
        raise CliProblem("name the definitions to export (NAMESPACE/NAME or NAME), or give "
                         "--namespace N or --all")
    have = [(d.namespace, d.name) for d in found]
    if every or not names:
        return [k for k in have if namespace is None or k[0] == namespace]
    out: list[tuple[str, str]] = []
    for text in names:
        if "/" in text:
            key = split_name(text)
            matches = [key] if key in have else []
        else:
            matches = [k for k in have if k[1] == text and (namespace is None or k[0] == namespace)]
        if not matches:
            raise CliProblem(f"no definition named {text!r}" + (
                f" in namespace {namespace!r}" if namespace else "")
                + " (see meshdeck definitions list)")
        out.extend(m for m in matches if m not in out)
    return out


@app.command("export")
def export(
    names: Annotated[list[str] | None, typer.Argument(
        metavar="[NAMES]...", show_default=False,
        help="Definitions as NAMESPACE/NAME, or NAME (in every namespace, or --namespace's).")] = None,
    namespace: Annotated[str | None, typer.Option("--namespace", "-n",
                                                  help="Only this namespace (alone: all of it).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every definition.")] = False,
    directory: Annotated[Path, typer.Option("--dir", "-d", metavar="DIR",
                                            help="Folder to write to (created if missing).")] = Path("."),
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                     help="yaml or json.")] = "yaml",
    all_versions: Annotated[bool, typer.Option(
        "--all-versions", help="One file per version (default: the latest version only).")] = False,
) -> None:
    """Write definitions to files, one per definition and version.

    Files are named NAMESPACE.NAME.vN.yaml; keys are in a stable order and server-managed
    fields are left out, so they diff cleanly in git. Applying them back to the same server
    changes nothing.

    Examples:  meshdeck definitions export default/order_fulfilment --dir defs/
               meshdeck definitions export --namespace payments --format json --dir defs/
    """
    from console.definition_files import DefinitionFileError, write_all
    from console.services.definitions import fetch_documents

    fmt = fmt.strip().lower()
    if fmt not in ("yaml", "json"):
        raise CliProblem(f"--format must be yaml or json, got {fmt!r}")
    if every and names:
        raise CliProblem("give names or --all, not both")

    async def body(backend):
        keys = pick(await backend.list_definitions(), names or [], namespace, every)
        return await fetch_documents(backend, keys, all_versions)

    docs = run_with_backend(body)
    if not docs:
        raise CliProblem("no definitions to export" + (f" in namespace {namespace!r}" if namespace else ""),
                         exit_code=1)
    try:
        written = write_all(docs, directory, fmt)
    except DefinitionFileError as exc:
        raise CliProblem(str(exc)) from None
    except OSError as exc:
        raise CliProblem(f"cannot write to {directory}: {exc.strerror or exc}", exit_code=1) from None
    for path in written:
        typer.echo(str(path))
    err(f"exported {len(written)} definition file{'s' if len(written) != 1 else ''} to {directory}")


def register(root: typer.Typer) -> None:
    from console.cli import definitions_apply

    definitions_apply.register(app)
    add_group(root, app, "definitions", "Definitions as code")
