"""``meshdeck schedules apply``: send schedule files through Unmeshed's schedules bulk upsert.

The schedule object's fields are not published (API.md), so the files are sent as written:
each must be a JSON object with a ``name``, and that is all meshdeck checks. Unmeshed publishes
no way to list, get or delete schedules, so there is no ``schedules list`` (see the README).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console.cli.common import CliProblem, backend_class, confirm_change, err, get_state
from console.cli.common import refuse_if_read_only, run_with_backend
from console.cli.options import YesOpt, add_group

app = typer.Typer(help="Schedules: apply schedule files (Unmeshed publishes no way to list them).",
                  no_args_is_help=True)


def read_schedules(target: Path) -> list[tuple[Path, dict]]:
    """Every schedule object of a file or folder, checked to be an object with a name."""
    from console.definition_files import DefinitionFileError, files_in, read_documents

    found: list[tuple[Path, dict]] = []
    try:
        for path in files_in(target):
            docs = read_documents(path)
            for i, doc in enumerate(docs, 1):
                where = f"{path}" + (f", schedule {i}" if len(docs) > 1 else "")
                if not isinstance(doc, dict):
                    raise DefinitionFileError(f"{where}: expected a schedule (an object)")
                if not isinstance(doc.get("name"), str) or not doc["name"].strip():
                    raise DefinitionFileError(f"{where}: field 'name': expected a non-empty string")
                found.append((path, doc))
    except DefinitionFileError as exc:
        raise CliProblem(f"{exc} (nothing was sent)") from None
    if not found:
        raise CliProblem(f"{target}: no schedules in it (nothing was sent)")
    return found


@app.command("apply")
def apply(
    target: Annotated[Path, typer.Argument(metavar="FILE|DIR", help="A .json/.yaml/.yml file or a "
                                           "folder of them; each holds one schedule or a list.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be sent; send nothing.")] = False,
    yes: YesOpt = False,
) -> None:
    """Create or update schedules from files, all in one request, sent as written.

    Examples:  meshdeck schedules apply schedules/ --dry-run
               meshdeck schedules apply nightly.yaml --yes
    """
    state = get_state()
    cls = backend_class(state)
    if not cls.IMPLEMENTS_SCHEDULES:
        raise CliProblem(f"cannot write schedules on the {cls.KIND} backend: "
                         + (cls.UNSUPPORTED.get("schedules") or "not supported"))
    if not dry_run:
        refuse_if_read_only(state, "apply schedules")
    found = read_schedules(target)
    for path, doc in found:
        typer.echo(f"{doc['name']}\t{path}")
    if dry_run:
        err(f"dry run: would send {len(found)} schedule(s) in one request; nothing was sent")
        return
    confirm_change(f"send {len(found)} schedule(s)?", yes=yes,
                   what=f"send {len(found)} schedule(s)")

    async def body(backend):
        return await backend.upsert_schedules([doc for _, doc in found])

    run_with_backend(body)
    err(f"sent {len(found)} schedule(s); the server accepted them")


def register(root: typer.Typer) -> None:
    add_group(root, app, "schedules", "Definitions as code")
