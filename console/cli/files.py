"""``meshdeck files``: the server's file store (Unmeshed): list, upload (folders recursively, with
per-file results and a progress bar), download, delete.

A failure the server reports in the body (``"error": true``) is an error like any other.
Uploads and deletes change the server: refused in read-only, never resent.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from console.cli.common import CliProblem, ExitCode, backend_class, confirm_change, err
from console.cli.common import get_state, refuse_if_read_only, run_with_backend, stderr_is_tty
from console.cli.options import OUTPUT, YesOpt, add_group

app = typer.Typer(help="The server's file store: ls, upload, download, rm.", no_args_is_help=True)


def _refuse_unsupported() -> None:
    cls = backend_class(get_state())
    if not cls.IMPLEMENTS_FILES:
        raise CliProblem(f"no file store on the {cls.KIND} backend: "
                         + (cls.UNSUPPORTED.get("files") or "not supported"))


def remote(path: str) -> str:
    """A store path, absolute, without '.' or '..' parts (refused: nothing is sent)."""
    parts = [p for p in path.strip().split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise CliProblem(f"not a valid path in the file store: {path!r} (no '.' or '..')")
    return "/" + "/".join(parts)


@app.command("ls")
def ls(path: Annotated[str, typer.Argument(metavar="[PATH]", help="A folder (default: /).")] = "/",
       output: Annotated[str | None, typer.Option(
           "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
           help="table, json, ndjson, csv or ids (paths) (default: table).")] = None) -> None:
    """List a folder of the file store.

    Examples:  meshdeck files ls /
               meshdeck files ls /scripts -o json
    """
    from console.cli.output import Column, RowWriter, choose_format
    from console.format import absolute

    fmt = choose_format(output)
    _refuse_unsupported()
    folder = remote(path)

    async def body(backend):
        return await backend.list_files(folder)

    listing = run_with_backend(body)
    entries = sorted(listing.entries or [], key=lambda e: (not e.folder, e.name or ""))
    cols = [Column("name", "NAME", lambda e: (e.name or "") + ("/" if e.folder else ""), style="bold"),
            Column("size", "SIZE", lambda e: None if e.folder else e.size),
            Column("modified", "MODIFIED", lambda e: absolute(e.last_modified) if e.last_modified else None),
            Column("path", "PATH", lambda e: e.path)]
    writer = RowWriter(fmt, cols, full=lambda e: e.to_wire(), id_of=lambda e: e.path)
    writer.write(entries)
    writer.close()
    if not entries and fmt == "table":
        err(f"{listing.current_path or folder} is empty")


@dataclass
class Upload:
    local: Path
    folder: str
    name: str
    result: str = "not sent"
    message: str = ""

    @property
    def target(self) -> str:
        return str(PurePosixPath(self.folder) / self.name)


def plan_upload(source: Path, dest: str) -> tuple[list[str], list[Upload]]:
    """The folders to have (dest and, for a folder, each sub-folder) and the files to send."""
    if not source.exists():
        raise CliProblem(f"{source}: no such file or folder")
    if source.is_file():
        return [dest], [Upload(source, dest, source.name)]
    base = str(PurePosixPath(dest) / source.resolve().name)
    folders, uploads = [dest, base], []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        if path.is_dir():
            folders.append(str(PurePosixPath(base) / rel))
        elif path.is_file():
            uploads.append(Upload(path, str(PurePosixPath(base) / rel).rsplit("/", 1)[0] or "/",
                                  path.name))
    return folders, uploads


@app.command("upload")
def upload(
    source: Annotated[Path, typer.Argument(metavar="SOURCE", help="A file, or a folder (sent "
                                           "with everything in it).")],
    dest: Annotated[str, typer.Argument(metavar="/DEST", help="The folder in the store to put it "
                                        "in (created if missing).")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
        help="table or json (default: table).")] = None,
) -> None:
    """Upload a file or a folder (recursively) into the folder /DEST of the store.

    Missing folders are created. Reports per file; exit code 3 when some failed.

    Examples:  meshdeck files upload ./scripts /        (stored as /scripts/...)
               meshdeck files upload report.csv /reports/2026
    """
    from console import errors
    from console.cli.output import Column, RowWriter, choose_format

    fmt = choose_format(output, ("table", "json"))
    _refuse_unsupported()
    refuse_if_read_only(get_state(), "upload files")
    folders, uploads = plan_upload(source, remote(dest))
    total = sum(u.local.stat().st_size for u in uploads)

    async def body(backend):
        for folder in dict.fromkeys(folders):
            try:
                await backend.list_files(folder)
            except (errors.NotFound, errors.BadRequest):
                await backend.create_folder(folder)
        progress = None
        if stderr_is_tty():
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

            from console.cli.output import console

            progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                                console=console(stderr=True), transient=True)
            task = progress.add_task("uploading", total=total)
            progress.start()
        try:
            for u in uploads:
                data = u.local.read_bytes()
                try:
                    await backend.upload_file(u.folder, u.name, data)
                except errors.OutcomeUnknown as exc:
                    u.result, u.message = "unknown", str(exc)
                except errors.MeshdeckError as exc:
                    u.result, u.message = "failed", str(exc)
                else:
                    u.result, u.message = "uploaded", f"{len(data):,} bytes"
                if progress is not None:
                    progress.update(task, advance=len(data), description=u.name)
        finally:
            if progress is not None:
                progress.stop()

    try:
        run_with_backend(body)
    finally:
        cols = [Column("file", "FILE", lambda u: str(u.local)),
                Column("path", "STORED AS", lambda u: u.target, style="bold"),
                Column("result", "RESULT", lambda u: u.result),
                Column("message", "MESSAGE", lambda u: u.message)]
        writer = RowWriter(fmt, cols)
        writer.write(uploads)
        writer.close()
    ok = sum(1 for u in uploads if u.result == "uploaded")
    err(f"upload: {ok} of {len(uploads)} file(s) uploaded")
    if ok < len(uploads):
        bad = next(u for u in uploads if u.result != "uploaded")
        err(f"meshdeck: error: {bad.target}: {bad.message or bad.result}")
        raise typer.Exit(ExitCode.PARTIAL if ok else ExitCode.ERROR)


@app.command("download")
def download(
    path: Annotated[str, typer.Argument(metavar="PATH", help="The file in the store.")],
    out: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                             help="Where to write it ('-': stdout; default: its "
                                                  "name, in this folder).")] = None,
) -> None:
    """Download one file from the store.

    Examples:  meshdeck files download /reports/2026/report.csv
               meshdeck files download /scripts/job.py -o - | less
    """
    _refuse_unsupported()
    source = remote(path)

    async def body(backend):
        return await backend.download_file(source)

    data = run_with_backend(body)
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = out or Path(PurePosixPath(source).name or "download")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise CliProblem(f"cannot write {target}: {exc.strerror or exc}", exit_code=1) from None
    err(f"downloaded {source} to {target} ({len(data):,} bytes)")


@app.command("rm")
def rm(path: Annotated[str, typer.Argument(metavar="PATH", help="A file or folder in the store.")],
       yes: YesOpt = False) -> None:
    """Delete a file, or a folder with everything in it (asks first).

    Examples:  meshdeck files rm /reports/old.csv
    """
    _refuse_unsupported()
    refuse_if_read_only(get_state(), "delete files")
    target = remote(path)
    if target == "/":
        raise CliProblem("refusing to delete the root folder of the store")
    confirm_change(f"delete {target} from the file store?", yes=yes, what=f"delete {target}",
                   nothing="nothing was deleted")

    async def body(backend):
        await backend.delete_file(target)

    run_with_backend(body)
    err(f"deleted {target}")


def register(root: typer.Typer) -> None:
    add_group(root, app, "files", "Definitions as code")
