"""``meshdeck definitions apply | diff | delete``: the writes of definitions as code, each shown
before it is made.

apply: read and validate every file (nothing is sent if one is wrong), compare each definition
with the server (new / new version / changed / unchanged, with a unified diff), then, confirmed
(``--yes`` in scripts), write only what changed and report per definition.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from console.cli.arguments import split_name
from console.cli.common import CliProblem, ExitCode, backend_class, confirm_change, err, get_state
from console.cli.common import refuse_if_read_only, run_with_backend
from console.cli.options import OUTPUT, YesOpt

PathArg = Annotated[Path, typer.Argument(
    metavar="FILE|DIR", help="A .json/.yaml/.yml file, or a folder of them ('.' for here; "
                             "sub-folders are not read).")]
PlanFormat = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
    help="table (diffs and a summary) or json (one record per definition) (default: table).")]


def refuse_without_writes(state: Any) -> None:
    cls = backend_class(state)
    if not cls.IMPLEMENTS_DEFINITION_WRITES:
        why = cls.UNSUPPORTED.get("definition writes") or f"the {cls.KIND} backend cannot"
        raise CliProblem(f"cannot write definitions on the {cls.KIND} backend: {why}")


def load(target: Path) -> list[Any]:
    from console.definition_files import DefinitionFileError, read_path

    try:
        return read_path(target)
    except DefinitionFileError as exc:
        raise CliProblem(f"{exc} (nothing was sent)") from None


def print_diff(lines: list[str]) -> None:
    """A unified diff, coloured on a terminal."""
    from rich.text import Text

    from console.cli.output import console

    out = console()
    for line in lines:
        style = ("bold" if line.startswith(("---", "+++")) else "green" if line.startswith("+")
                 else "red" if line.startswith("-") else "cyan" if line.startswith("@@") else None)
        out.print(Text(line, style=style or ""), soft_wrap=True)


def show_plan(changes: list[Any], fmt: str) -> None:
    """Per definition what would happen, with its diff (stdout)."""
    from rich.text import Text

    from console.cli.output import console
    from console.services.definitions import UNCHANGED

    if fmt == "json":
        return
    out = console()
    for c in changes:
        style = {UNCHANGED: "dim", "new": "bold green", "new version": "bold green"}.get(
            c.change, "bold yellow")
        against = f" (against v{c.base_version})" if c.change == "new version" else ""
        out.print(Text(f"{c.change}: {c.label}{against}  ({c.source})", style=style), soft_wrap=True)
        if c.diff:
            print_diff(c.diff)
            typer.echo("")


def summary(changes: list[Any]) -> str:
    from collections import Counter

    counts = Counter(c.change for c in changes)
    return ", ".join(f"{n} {kind}" for kind, n in counts.items())


def plan(target: Path) -> list[Any]:
    from console.services.definitions import plan_apply

    loaded = load(target)

    async def body(backend):
        return await plan_apply(backend, loaded)

    return run_with_backend(body)


def apply(target: PathArg, dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show the diffs and what would be written; write nothing.")] = False,
          yes: YesOpt = False, output: PlanFormat = None) -> None:
    """Write definition files to the server, after a diff per definition.

    Each file is validated first; then a diff per definition, a question, and only what changed
    is written (in one bulk request), with a result per definition.

    A file's version says which version it is: keep it to change that version in place, raise
    it to add a version. Server-managed fields (created, updated, their authors) are ignored.

    Examples:  meshdeck definitions apply defs/ --dry-run
               meshdeck definitions apply defs/default.order_fulfilment.v3.yaml --yes
    """
    from console.cli.output import choose_format, write_json

    fmt = choose_format(output, ("table", "json"))
    state = get_state()
    refuse_without_writes(state)
    if not dry_run:
        refuse_if_read_only(state, "apply definitions")
    changes = plan(target)
    show_plan(changes, fmt)
    todo = [c for c in changes if c.writes]
    if dry_run or not todo:
        if fmt == "json":
            write_json([c.record() for c in changes])
        if dry_run:
            err(f"dry run: {summary(changes)}; would write {len(todo)} definition(s); nothing "
                "was sent")
        else:
            err(f"nothing to write: {summary(changes)}")
        return
    where = state.settings().base_url if not state.mock else "the mock"
    confirm_change(f"write {len(todo)} definition(s) to {where} ({summary(todo)})?", yes=yes,
                   what=f"write {len(todo)} definition(s)")
    from console.services.definitions import apply as write

    async def body(backend):
        return await write(backend, changes)

    report(run_with_backend(body), fmt)


def report(changes: list[Any], fmt: str) -> None:
    from console.cli.output import Column, RowWriter
    from console.services.definitions import CREATED, FAILED, UNKNOWN, UPDATED

    cols = [Column("definition", "DEFINITION", lambda c: c.label, style="bold"),
            Column("result", "RESULT", lambda c: c.result),
            Column("message", "MESSAGE", lambda c: c.message),
            Column("file", "FILE", lambda c: c.source)]
    writer = RowWriter(fmt, cols, full=lambda c: c.record())
    writer.write(changes)
    writer.close()
    done = sum(1 for c in changes if c.result in (CREATED, UPDATED))
    failed = [c for c in changes if c.result == FAILED]
    unknown = [c for c in changes if c.result == UNKNOWN]
    err(f"apply: {done} written, {len(changes) - done - len(failed) - len(unknown)} unchanged"
        + (f", {len(failed)} failed" if failed else "") + (f", {len(unknown)} unknown" if unknown else ""))
    if failed or unknown:
        first = (failed or unknown)[0]
        err(f"meshdeck: error: {first.label}: {first.message}")
        # Unknown is never "failed": the server may have written them (exit 3, as for actions).
        raise typer.Exit(ExitCode.ERROR if not (done or unknown) else ExitCode.PARTIAL)


def diff(
    target: Annotated[str, typer.Argument(
        metavar="FILE|DIR|NAMESPACE/NAME",
        help="Files to compare with the server, or a definition to compare two versions of.")],
    from_version: Annotated[int | None, typer.Option("--from-version", min=1, metavar="N",
                                                     help="With NAMESPACE/NAME: the old version.")] = None,
    to_version: Annotated[int | None, typer.Option("--to-version", min=1, metavar="N",
                                                   help="With NAMESPACE/NAME: the new version "
                                                        "(default: the latest).")] = None,
    output: PlanFormat = None,
) -> None:
    """Show what apply would change, or the difference between two versions on the server.

    Writes nothing; exit code 0 either way.

    Examples:  meshdeck definitions diff defs/
               meshdeck definitions diff default/order_fulfilment --from-version 3 --to-version 4
    """
    from console.cli.output import choose_format, write_json

    fmt = choose_format(output, ("table", "json"))
    if from_version is None and to_version is None:
        changes = plan(Path(target))
        show_plan(changes, fmt)
        if fmt == "json":
            write_json([c.record() for c in changes])
        err(f"diff: {summary(changes)}")
        return
    namespace, name = split_name(target)
    if from_version is None:
        raise CliProblem("give --from-version N (and --to-version M, default the latest) to "
                         f"compare two versions of {target}")
    from console.services.definitions import diff_versions

    async def body(backend):
        newest = to_version or max(await backend.definition_versions(namespace, name))
        return newest, await diff_versions(backend, namespace, name, from_version, newest)

    newest, lines = run_with_backend(body)
    if fmt == "json":
        write_json({"namespace": namespace, "name": name, "from": from_version, "to": newest,
                    "diff": "\n".join(lines)})
    else:
        print_diff(lines)
    err(f"{namespace}/{name}: v{from_version} and v{newest} "
        + ("differ" if lines else "say the same (server-managed fields aside)"))


def delete(
    target: Annotated[str, typer.Argument(metavar="NAMESPACE/NAME", help="The definition.")],
    version: Annotated[int | None, typer.Option("--version", min=1, metavar="N",
                                                help="With --version-only: the version to delete.")] = None,
    version_only: Annotated[bool, typer.Option(
        "--version-only", help="Delete only --version N (default: the definition, every version).")] = False,
    yes: YesOpt = False,
) -> None:
    """Delete a definition (every version), or one version with --version N --version-only.

    Shows what will go and how many of its executions started in the last 7 days, then asks.

    Examples:  meshdeck definitions delete default/old_flow
               meshdeck definitions delete default/order_fulfilment --version 2 --version-only
    """
    state = get_state()
    refuse_without_writes(state)
    refuse_if_read_only(state, "delete definitions")
    namespace, name = split_name(target)
    if version_only and version is None:
        raise CliProblem("--version-only needs --version N")
    if version is not None and not version_only:
        raise CliProblem(f"add --version-only to delete only version {version}, or drop --version "
                         f"to delete {target} with every version")
    from console.services.definitions import plan_delete

    async def look(backend):
        return await plan_delete(backend, namespace, name, version, version_only,
                                 int(time.time() * 1000))

    found = run_with_backend(look)
    gone = ", ".join(f"v{v}" for v in found.deleting)
    whole = len(found.deleting) == len(found.versions)
    err(f"{target}: deleting {'the definition, ' if whole else ''}version(s) {gone} of "
        f"{len(found.versions)}; {found.recent} execution(s) of it started in the last 7 days")
    confirm_change(f"delete {target} ({gone})?", yes=yes, what=f"delete {target}",
                   nothing="nothing was deleted")

    async def remove(backend):
        await backend.delete_definition(namespace, name, version, version_only)

    run_with_backend(remove)
    err(f"deleted {target} ({gone})")


def register(app: typer.Typer) -> None:
    app.command("apply")(apply)
    app.command("diff")(diff)
    app.command("delete")(delete)
