"""Shared options as ``Annotated`` aliases, and the decorator that puts the global options on
every command so they work before the command (``meshdeck --mock search``) and after it
(``meshdeck search --mock``)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, get_type_hints

import typer

from console.cli import completion
from console.cli.common import get_state

GLOBAL = "Global options"
FILTERS = "Filters (select executions by query)"
OUTPUT = "Output"

# --- global options -------------------------------------------------------------------------------

ProfileOpt = Annotated[str | None, typer.Option(
    "--profile", metavar="NAME", rich_help_panel=GLOBAL, autocompletion=completion.complete_profile,
    help="Profile from the config file (see meshdeck config profiles).")]
BaseUrlOpt = Annotated[str | None, typer.Option(
    "--base-url", metavar="URL", rich_help_panel=GLOBAL,
    help="Server URL, e.g. https://acme.unmeshed.io (env UNMESHED_BASE_URL).")]
PortOpt = Annotated[int | None, typer.Option(
    "--port", min=1, max=65535, rich_help_panel=GLOBAL,
    help="Server port, added when the URL has none and is not https (env UNMESHED_PORT).")]
ClientIdOpt = Annotated[str | None, typer.Option(
    "--client-id", metavar="ID", rich_help_panel=GLOBAL,
    help="Client id (env UNMESHED_CLIENT_ID); the token comes from UNMESHED_AUTH_TOKEN or the profile.")]
MockOpt = Annotated[bool, typer.Option(
    "--mock", rich_help_panel=GLOBAL,
    help="Use the embedded mock server in process (demo data, no network).")]
ReadOnlyOpt = Annotated[bool, typer.Option(
    "--read-only", rich_help_panel=GLOBAL,
    help="Refuse every command that changes something on the server: the actions (terminate, "
         "resume, review, pause, restart, rerun, remove), run, call, and writes of definitions, "
         "schedules and files.")]
NoColorOpt = Annotated[bool, typer.Option(
    "--no-color", rich_help_panel=GLOBAL, help="Plain output without colour (also NO_COLOR=1).")]
TimeoutOpt = Annotated[float | None, typer.Option(
    "--timeout", metavar="SECONDS", min=0.1, rich_help_panel=GLOBAL,
    help="Seconds to wait for each answer from the server (default 10).")]
InsecureOpt = Annotated[bool, typer.Option(
    "--insecure", rich_help_panel=GLOBAL,
    help="Do not check the server's TLS certificate (only for a test server you trust; "
         "prints a warning).")]
MockFaultsOpt = Annotated[str | None, typer.Option(
    "--mock-faults", metavar="SPEC", envvar="MESHDECK_MOCK_FAULTS", show_envvar=False,
    rich_help_panel=GLOBAL,
    help="With --mock: make the embedded mock misbehave, e.g. 'latency=200ms,error_rate=0.2' "
         "(env MESHDECK_MOCK_FAULTS; see 'Fault injection' in the README).")]
MockDefinitionsOpt = Annotated[str | None, typer.Option(
    "--mock-definitions", metavar="PATH", rich_help_panel=GLOBAL,
    help="With --mock: add your process definitions (a .json/.yaml file or a folder of them) to "
         "the embedded mock, as 'mock serve --definitions' does.")]
BackendOpt = Annotated[str | None, typer.Option(
    "--backend", metavar="KIND", rich_help_panel=GLOBAL, autocompletion=completion.complete_backend,
    help="unmeshed (default) or conductor (Conductor OSS or Orkes; base URL like "
         "http://host:8080/api) (env MESHDECK_BACKEND; profile key backend).")]
VerboseOpt = Annotated[bool, typer.Option(
    "--verbose", "-v", rich_help_panel=GLOBAL,
    help="Print each request on stderr, and the full trace of an unexpected error.")]

_GLOBAL_PARAMS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
    for name, annotation, default in (
        ("profile", ProfileOpt, None), ("base_url", BaseUrlOpt, None), ("port", PortOpt, None),
        ("client_id", ClientIdOpt, None), ("mock", MockOpt, False), ("read_only", ReadOnlyOpt, False),
        ("no_color", NoColorOpt, False), ("timeout", TimeoutOpt, None), ("verbose", VerboseOpt, False),
        ("insecure", InsecureOpt, False), ("mock_faults", MockFaultsOpt, None),
        ("mock_definitions", MockDefinitionsOpt, None), ("backend", BackendOpt, None),
    )
]


def with_globals(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the global options the command does not define itself; their values are merged into
    the State (a value given after the command wins over one given before it)."""
    sig = inspect.signature(func)
    hints = get_type_hints(func, include_extras=True)
    own = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values()]
    taken = {p.name for p in own}
    extra = [p for p in _GLOBAL_PARAMS if p.name not in taken]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {p.name: kwargs.pop(p.name) for p in extra if p.name in kwargs}
        get_state().merge(given)
        return func(*args, **kwargs)

    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
              else p for p in own] + extra
    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__  # Typer must read the new signature, not the wrapped one
    return wrapper


# --- output and action options --------------------------------------------------------------------

ListFormat = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
    autocompletion=completion.complete_list_format,
    help="table, json, ndjson, csv or ids (default: table).")]
YesOpt = Annotated[bool, typer.Option(
    "--yes", "-y", help="Do not ask for confirmation (needed in scripts and with ids from stdin).")]
DryRunOpt = Annotated[bool, typer.Option(
    "--dry-run", help="Show per id the current status and whether the action applies; send nothing.")]
IdsArg = Annotated[list[str] | None, typer.Argument(
    metavar="[ID]...", show_default=False,
    help="Process ids; '-' reads ids from stdin (one per line or separated by spaces).")]

# --- search filters (search, and the bulk actions selecting by query) ----------------------------

NamespaceOpt = Annotated[str | None, typer.Option("--namespace", "-n", rich_help_panel=FILTERS,
                                                  autocompletion=completion.complete_namespace,
                                                  help="Only this namespace.")]
NameOpt = Annotated[list[str] | None, typer.Option("--name", rich_help_panel=FILTERS, metavar="NAME",
                                                   autocompletion=completion.complete_name,
                                                   help="Process name (repeatable, or comma separated).")]
StatusOpt = Annotated[list[str] | None, typer.Option(
    "--status", "-s", rich_help_panel=FILTERS, metavar="STATUS",
    autocompletion=completion.complete_status,
    help="RUNNING, COMPLETED, FAILED, TIMED_OUT, CANCELLED, TERMINATED or REVIEWED (PAUSED on "
         "Conductor); any case, repeatable or comma separated.")]
TriggerOpt = Annotated[list[str] | None, typer.Option(
    "--trigger", rich_help_panel=FILTERS, metavar="TRIGGER",
    help="MANUAL, SCHEDULED, API_MAPPING, WEBHOOK, API or SUB_PROCESS (repeatable).")]
TypeOpt = Annotated[list[str] | None, typer.Option(
    "--type", rich_help_panel=FILTERS, metavar="TYPE",
    help="STANDARD, DYNAMIC, API_ORCHESTRATION or INTERNAL (repeatable).")]
StepNameOpt = Annotated[list[str] | None, typer.Option("--step-name", rich_help_panel=FILTERS,
                                                       metavar="NAME", help="Has a step of this name.")]
StepRefOpt = Annotated[list[str] | None, typer.Option("--step-ref", rich_help_panel=FILTERS,
                                                      metavar="REF", help="Has a step with this ref.")]
ProcessIdOpt = Annotated[list[str] | None, typer.Option("--process-id", rich_help_panel=FILTERS,
                                                        metavar="ID", help="Only these process ids.")]
CorrelationOpt = Annotated[list[str] | None, typer.Option("--correlation-id", rich_help_panel=FILTERS,
                                                          metavar="ID", help="Correlation id.")]
RequestOpt = Annotated[list[str] | None, typer.Option("--request-id", rich_help_panel=FILTERS,
                                                      metavar="ID", help="Request id.")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", rich_help_panel=FILTERS, metavar="TAG",
                                                  help="Tag (repeatable).")]
TextOpt = Annotated[str | None, typer.Option("--text", rich_help_panel=FILTERS,
                                             help="Full-text search in inputs, outputs and errors.")]
SinceOpt = Annotated[str | None, typer.Option(
    "--since", rich_help_panel=FILTERS, metavar="WHEN",
    help="Started after: 15m, 2h, 3d, 1w ago or an ISO time (default 24h).")]
UntilOpt = Annotated[str | None, typer.Option("--until", rich_help_panel=FILTERS, metavar="WHEN",
                                              help="Started before: same forms as --since (needs "
                                                   "--since).")]

KNOWN_STATUSES = ("RUNNING", "COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED", "TERMINATED", "REVIEWED",
                  "PAUSED")
FILTER_NAMES = ("namespace", "name", "status", "trigger", "type", "step_name", "step_ref",
                "process_id", "correlation_id", "request_id", "tag", "text", "since", "until")


@dataclass
class Filters:
    """The filter options as given (None or [] when absent)."""

    namespace: str | None = None
    name: list[str] | None = None
    status: list[str] | None = None
    trigger: list[str] | None = None
    type: list[str] | None = None
    step_name: list[str] | None = None
    step_ref: list[str] | None = None
    process_id: list[str] | None = None
    correlation_id: list[str] | None = None
    request_id: list[str] | None = None
    tag: list[str] | None = None
    text: str | None = None
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        """A filter given with an empty or blank value would select everything: refuse it
        (``PROC=; meshdeck terminate --name "$PROC"`` must not terminate every execution)."""
        from console.cli.common import CliProblem

        for name in FILTER_NAMES:
            value = getattr(self, name)
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            if not values or any(not v.replace(",", " ").strip() for v in values):
                flag = "--" + name.replace("_", "-")
                raise CliProblem(f"{flag} was given an empty value: give a value, or leave "
                                 f"{flag} out")

    @property
    def given(self) -> bool:
        return any(getattr(self, name) for name in FILTER_NAMES)

    def query(self, limit: int = 100, offset: int = 0):
        """The SearchQuery these filters describe (``--since`` defaults to 24h, like the SDK),
        not yet checked against a backend (``common.refuse_unsupported_filters`` does that).

        ``--until`` alone is refused: "the 24 hours before now, ending at --until" would be
        empty or cut short for any older --until, so the start must be said."""
        from console.cli.arguments import split_values
        from console.cli.common import CliProblem
        from console.models import SearchQuery
        from console.services.search import parse_time, to_epoch_ms

        statuses = split_values(self.status, upper=True)
        if self.until and not self.since:
            raise CliProblem("--until needs --since too (a window with only an end has no "
                             "start), e.g. --since 2026-11-25T00:00 --until 2026-11-25T06:00")
        try:
            since = parse_time(self.since or "24h")
            until = parse_time(self.until) if self.until else None
        except ValueError as exc:
            raise CliProblem(str(exc)) from None
        if until is not None and until < since:
            raise CliProblem("--until is before --since: the window would be empty")
        return SearchQuery(
            start_time_epoch=to_epoch_ms(since),
            end_time_epoch=to_epoch_ms(until) if until else None,
            namespace=self.namespace or None,
            process_types=split_values(self.type, upper=True),
            trigger_types=split_values(self.trigger, upper=True),
            names=split_values(self.name), step_names=split_values(self.step_name),
            step_refs=split_values(self.step_ref), process_ids=split_values(self.process_id),
            correlation_ids=split_values(self.correlation_id),
            request_ids=split_values(self.request_id), statuses=statuses,
            tags=split_values(self.tag), full_text_search_query=self.text or None,
            limit=limit, offset=offset,
        )


_FILTER_PARAMS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
    for name, annotation in (
        ("namespace", NamespaceOpt), ("name", NameOpt), ("status", StatusOpt), ("trigger", TriggerOpt),
        ("type", TypeOpt), ("step_name", StepNameOpt), ("step_ref", StepRefOpt),
        ("process_id", ProcessIdOpt), ("correlation_id", CorrelationOpt),
        ("request_id", RequestOpt), ("tag", TagOpt), ("text", TextOpt), ("since", SinceOpt),
        ("until", UntilOpt),
    )
]


def with_filters(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add every search filter option; the command receives them as ``filters: Filters``."""
    sig = inspect.signature(func)
    hints = get_type_hints(func, include_extras=True)
    own = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values()
           if p.name != "filters"]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {p.name: kwargs.pop(p.name, None) for p in _FILTER_PARAMS}
        return func(*args, filters=Filters(**values), **kwargs)

    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
              else p for p in own] + _FILTER_PARAMS
    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__
    return wrapper


def add_group(root: typer.Typer, group: typer.Typer, name: str, panel: str) -> None:
    """Add a command group whose commands all take the global options."""
    for command in group.registered_commands:
        command.callback = with_globals(command.callback)
    root.add_typer(group, name=name, rich_help_panel=panel)
