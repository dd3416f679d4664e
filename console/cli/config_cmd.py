"""``meshdeck config``: profiles, the default profile, and what settings are in force."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli.common import err, get_state
from console.cli.options import OUTPUT, with_globals

app = typer.Typer(help="Profiles in the config file (MESHDECK_CONFIG or the platform's config dir).",
                  no_args_is_help=True)

FormatOpt = Annotated[str | None, typer.Option("--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
                                               help="table or json (default: table).")]


@app.command("profiles")
def profiles(output: FormatOpt = None) -> None:
    """List the profiles; the default one is marked with *."""
    from console.cli.output import Column, RowWriter, choose_format
    from console.config import config_path, load_file

    fmt = choose_format(output, ("table", "json", "ndjson", "ids"))
    path = config_path()
    data = load_file(path)
    default = data.get("default_profile")
    rows = [{"name": name, "default": name == default, "base_url": p.get("base_url"),
             "port": p.get("port"), "client_id": p.get("client_id"),
             "token": "env " + p["token_env"] if p.get("token_env") else ("in file" if p.get("token") else None),
             "namespace": p.get("namespace"), "read_only": bool(p.get("read_only", False))}
            for name, p in data.get("profiles", {}).items()]
    cols = [Column("name", "PROFILE", lambda r: ("* " if r["default"] else "  ") + r["name"], style="bold"),
            Column("base_url", "BASE URL", lambda r: r["base_url"]),
            Column("port", "PORT", lambda r: r["port"]),
            Column("client_id", "CLIENT ID", lambda r: r["client_id"]),
            Column("token", "TOKEN", lambda r: r["token"]),
            Column("namespace", "NAMESPACE", lambda r: r["namespace"]),
            Column("read_only", "READ ONLY", lambda r: "yes" if r["read_only"] else "")]
    writer = RowWriter(fmt, cols, full=lambda r: r, id_of=lambda r: r["name"])
    writer.write(rows)
    writer.close()
    if not rows and fmt == "table":
        err(f"no profiles in {path}; add one with: meshdeck config set-profile NAME --base-url URL "
            "--client-id ID --token-env VAR")


@app.command("use")
def use(name: Annotated[str, typer.Argument(metavar="NAME", help="The profile to use by default.")]) -> None:
    """Make a profile the default (MESHDECK_PROFILE and --profile still win)."""
    from console.config import config_path, set_default_profile

    set_default_profile(name)
    err(f"default profile is now {name!r} ({config_path()})")


@app.command("set-profile")
def set_profile(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Profile to create or update.")],
    base_url: Annotated[str | None, typer.Option("--base-url", metavar="URL")] = None,
    port: Annotated[int | None, typer.Option("--port", min=1, max=65535)] = None,
    client_id: Annotated[str | None, typer.Option("--client-id", metavar="ID")] = None,
    token_env: Annotated[str | None, typer.Option(
        "--token-env", metavar="VAR", help="Environment variable that holds the token (the token "
                                           "itself is never written by this command).")] = None,
    namespace: Annotated[str | None, typer.Option("--namespace", help="Default namespace.")] = None,
    read_only: Annotated[bool | None, typer.Option("--read-only/--no-read-only", show_default=False,
                                                   help="Refuse every change made through this profile.")] = None,
    banner: Annotated[str | None, typer.Option("--banner", help="Text shown in the TUI's header, "
                                               "e.g. PRODUCTION.")] = None,
    theme: Annotated[str | None, typer.Option("--theme", help="TUI theme.")] = None,
) -> None:
    """Create or update a profile (only the options given change)."""
    from console.config import save_profile

    values = {k: v for k, v in {"base_url": base_url, "port": port, "client_id": client_id,
                                "token_env": token_env, "namespace": namespace, "read_only": read_only,
                                "banner": banner, "theme": theme}.items() if v is not None}
    path = save_profile(name, values)
    changed = ", ".join(values) or "nothing"
    err(f"saved profile {name!r} in {path} (set: {changed})")


def show(output: FormatOpt = None) -> None:
    """Show the settings in force and where each comes from (the token masked)."""
    from console.cli.output import choose_format, key_values, write_json

    fmt = choose_format(output, ("table", "json"))
    from console.services.data_folder import data_folder

    state = get_state()
    settings = state.settings()  # warns about a readable file holding a token
    shown = settings.masked()
    folder = str(data_folder(settings, mock=state.mock))  # history and journal go here
    if fmt == "json":
        write_json({**shown, "config_file": str(settings.config_file), "data_folder": folder,
                    "source": settings.source})
        return
    key_values([(key, f"{'' if value is None else value}  ({settings.source.get(key, 'default')})")
                for key, value in shown.items()] + [("config file", str(settings.config_file)),
                                                    ("data folder", folder)])


app.command("show")(with_globals(show))
