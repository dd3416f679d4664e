"""The action commands (terminate, resume, review, pause, restart, remove, rerun), one per entry
of the table of actions (``console.services.action_specs``); an entry with ``cli`` set is a flag
of another command (``restart --latest``).

Flow: refuse what the backend lacks and what a read-only profile forbids; select (ids from
arguments or stdin, or a query, counted first and never silently capped); ``--dry-run`` shows
the plan and stops; otherwise confirm (``--yes`` in scripts; above 1,000 executions the count
is typed), send through the one engine, report per id. Nothing is ever retried. Ctrl-C stops
before the next chunk, and the per-id results are still printed.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from console.cli.arguments import expand_ids
from console.cli.common import (
    CliProblem,
    ExitCode,
    backend_class,
    checked_ids,
    get_state,
    refuse_if_read_only,
    refuse_unsupported_filters,
    run_with_backend,
)
from console.cli.completion import complete_result_format
from console.cli.options import OUTPUT, DryRunOpt, Filters, IdsArg, YesOpt, with_filters, with_globals
from console.services.action_specs import ACTIONS, OPTION_ACTIONS, ActionSpec

ReasonOpt = Annotated[str | None, typer.Option("--reason", "-r", help="Why (recorded by the server).")]
ResultFormat = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FORMAT", rich_help_panel=OUTPUT,
    autocompletion=complete_result_format,
    help="table, json, ndjson or ids (ids that worked) (default: table).")]
MaxOpt = Annotated[int | None, typer.Option(
    "--max", min=1, metavar="N",
    help="Act on at most N executions of a query (newest first). Needed when more match than "
         "meshdeck can send at once (10,000); the exit code is then 3, as matches were left.")]
VersionOpt = Annotated[int | None, typer.Option(
    "--version", min=1, help="Definition version to run (default: the same version).")]
DefinitionVersionOpt = Annotated[int | None, typer.Option(
    "--definition-version", min=1, metavar="N",
    help="Resume on version N of each execution's definition (resumeWithVersion): e.g. after "
         "fixing the definition. Executions whose definition has no version N are refused.")]
LatestDefinitionOpt = Annotated[bool, typer.Option(
    "--latest-definition", help="Resume each execution on the latest version of its definition.")]
RESULT_FORMATS = ("table", "json", "ndjson", "ids")


def refuse_if_unsupported(state: Any, action: str, version: int | None = None) -> None:
    """A backend that lacks ``action`` (review on Conductor; pause, restart on Unmeshed), or
    rerun's ``--version``, says why before anything is sent."""
    cls = backend_class(state)
    why = cls.unsupported(action)
    if why:
        name = "resume on another definition version" if action in OPTION_ACTIONS else action
        raise CliProblem(f"{name} is not available on the {cls.KIND} backend: {why}")
    if version is not None and not cls.IMPLEMENTS_RERUN_VERSION:
        why = cls.UNSUPPORTED.get("rerun --version") or "it reruns with the same version"
        raise CliProblem(f"--version is not available on the {cls.KIND} backend: {why}")


def act(action: str, ids: list[str] | None, filters: Filters | None, *, reason: str | None = None,
        yes: bool = False, dry_run: bool = False, output: str | None = None,
        limit: int | None = None, version: int | None = None, pin: bool = False) -> None:
    """The whole flow of one action command (see the module docstring). ``pin``: resume on a
    new definition (``version``, or each definition's latest when None)."""
    from console.cli import action_report
    from console.cli.output import choose_format

    words = ACTIONS[action]
    fmt = choose_format(output, RESULT_FORMATS)
    state = get_state()
    refuse_if_unsupported(state, action, version)
    if not dry_run:
        refuse_if_read_only(state, words.verb)
    selection, used_stdin = _select(state, action, ids, filters, limit)
    versions = None
    if pin:
        selection = _pin(state, selection, version)
        from console.services.resume_version import versions_of

        versions = versions_of(selection)
    if not selection.items:
        action_report.nothing(fmt, f"nothing to {words.verb}: " + (
            "no execution matches" if selection.by_query else "no ids on stdin"))
        return
    if dry_run:
        action_report.dry_run(selection, fmt)
        return
    if pin and not selection.to_send:
        from console.services.resume_version import target_words

        action_report.show_versions(selection, ask=False)
        raise CliProblem(f"nothing to resume: none of the {len(selection.items):,} selected can be "
                         f"resumed on {target_words(version)} ({selection.skipped[0].note})")
    if not selection.to_send and not selection.by_query:  # ids typed: a row for each, and why
        from console.outcomes import BulkOutcome

        action_report.report(BulkOutcome.start(action, []), fmt, False, selection)
        return
    if not selection.to_send:
        action_report.nothing(fmt, f"nothing to {words.verb}: none of the {len(selection.items):,} "
                                   f"selected can be {words.past} ({selection.skipped[0].note})")
        return
    action_report.confirm_selection(selection, yes=yes, used_stdin=used_stdin)
    outcome, interrupted = action_report.send(action, selection.to_send, reason,
                                              None if pin else version, versions)
    action_report.report(outcome, fmt, interrupted, selection)


def _select(state: Any, action: str, ids: list[str] | None, filters: Filters | None,
            limit: int | None):
    """The Selection to act on, and whether the ids came from stdin."""
    from console.cli import action_report
    from console.services import selection
    from console.services.actions import plan

    verb = ACTIONS[action].verb
    given_filters = filters is not None and filters.given
    if ids and given_filters:
        raise CliProblem(f"give either ids or filters (like --status FAILED) to {verb}, not both")
    if not ids and not given_filters:
        raise CliProblem(f"name what to {verb}: process ids, '-' to read ids from stdin"
                         + (", or filters such as --status FAILED --since 1h" if filters is not None
                            else ""))
    if ids:
        if limit is not None:
            raise CliProblem("--max applies to executions selected by filters, not to ids")
        targets, used_stdin = expand_ids(ids)
        targets = checked_ids(state, targets)
        # Each id's status first (a search per chunk of ids), as a dry run, the console and a
        # query do: an id the action does not apply to is skipped and said so, never sent for
        # the server to decide (Conductor terminates a FAILED workflow, losing its error).

        async def planned(backend):
            with action_report.progress_bar("checking statuses", len(targets)) as on_progress:
                return await plan(backend, action, targets, on_progress=on_progress)

        items = run_with_backend(planned, state) if targets else []
        return selection.Selection(action, items, len(items)), used_stdin
    query = filters.query()  # type: ignore[union-attr]
    refuse_unsupported_filters(state, query)

    async def matching(backend):
        return await selection.by_query(backend, action, query, limit)

    found = run_with_backend(matching, state)
    if found.more and limit is None:
        matched = (f"{found.total:,} executions match" if found.total is not None else
                   f"more than {found.limit:,} executions match")
        raise CliProblem(
            f"{matched}, and meshdeck sends at most {found.limit:,} at once: nothing was sent. "
            f"Narrow the filters (e.g. --since, --name), or pass --max {found.limit} to {verb} "
            f"the newest {found.limit:,} and leave the rest untouched (exit code 3)")
    return found, False


def _pin(state: Any, selection: Any, version: int | None) -> Any:
    """Each execution's version to resume on (its status and definition fetched first)."""
    from console.services.resume_version import pin_versions

    async def body(backend):  # each item's definition and version: known from its plan
        return await pin_versions(backend, selection, version)

    return run_with_backend(body, state)


def _command(words: ActionSpec):
    """The Typer function of one action, with the options that action takes (and a flag for
    each action sent as a flag of this one, e.g. ``restart --latest``)."""
    action = words.name
    variant = next((s for s in ACTIONS.values() if s.cli and s.cli.split()[0] == action), None)

    if action == "resume":  # its variant, resume_version, has two options of its own
        def command(ids: IdsArg = None, filters: Filters = None,  # type: ignore[assignment]
                    definition_version: DefinitionVersionOpt = None,
                    latest_definition: LatestDefinitionOpt = False,
                    yes: YesOpt = False, dry_run: DryRunOpt = False, output: ResultFormat = None,
                    max: MaxOpt = None) -> None:
            if definition_version is not None and latest_definition:
                raise CliProblem("give --definition-version N or --latest-definition, not both")
            pin = definition_version is not None or latest_definition
            act("resume_version" if pin else action, ids, filters, yes=yes, dry_run=dry_run,
                output=output, limit=max, version=definition_version, pin=pin)
    elif variant is not None and words.bulk and not words.takes_reason:
        flag = variant.cli.split()[1]  # type: ignore[union-attr]
        FlagOpt = Annotated[bool, typer.Option(flag, help=variant.summary)]

        def command(ids: IdsArg = None, filters: Filters = None,  # type: ignore[assignment]
                    variant_flag: FlagOpt = False, yes: YesOpt = False,
                    dry_run: DryRunOpt = False, output: ResultFormat = None,
                    max: MaxOpt = None) -> None:
            act(variant.name if variant_flag else action, ids, filters, yes=yes,  # type: ignore[union-attr]
                dry_run=dry_run, output=output, limit=max)
        command.__annotations__["variant_flag"] = FlagOpt  # a local: not found by name later
    elif words.bulk and words.takes_reason:
        def command(ids: IdsArg = None, filters: Filters = None,  # type: ignore[assignment]
                    reason: ReasonOpt = None, yes: YesOpt = False, dry_run: DryRunOpt = False,
                    output: ResultFormat = None, max: MaxOpt = None) -> None:
            act(action, ids, filters, reason=reason, yes=yes, dry_run=dry_run, output=output,
                limit=max)
    elif words.bulk:
        def command(ids: IdsArg = None, filters: Filters = None,  # type: ignore[assignment]
                    yes: YesOpt = False, dry_run: DryRunOpt = False, output: ResultFormat = None,
                    max: MaxOpt = None) -> None:
            act(action, ids, filters, yes=yes, dry_run=dry_run, output=output, limit=max)
    else:
        def command(ids: IdsArg = None, version: VersionOpt = None, yes: YesOpt = False,
                    dry_run: DryRunOpt = False, output: ResultFormat = None) -> None:
            act(action, ids, None, yes=yes, dry_run=dry_run, output=output, version=version)

    command.__name__ = action
    command.__doc__ = HELP[action]
    return with_filters(command) if words.bulk else command


HELP = {
    "terminate": "Terminate RUNNING executions (their running steps are cancelled).\n\n"
                 "Examples:  meshdeck terminate 1000042 1000043 --reason 'stuck on payment'\n"
                 "           meshdeck terminate --status RUNNING --name checkout --since 1h",
    "resume": "Resume FAILED, TIMED_OUT, TERMINATED or CANCELLED executions (retries the failed "
              "steps).\n\n"
              "With --definition-version N or --latest-definition, on another version of their "
              "definition (e.g. after a fix).\n\n"
              "Examples:  meshdeck search --status FAILED -o ids | meshdeck resume - --yes\n"
              "           meshdeck resume --status FAILED --name checkout --dry-run\n"
              "           meshdeck resume --status FAILED --name checkout --latest-definition",
    "review": "Mark FAILED, TIMED_OUT, TERMINATED or CANCELLED executions as REVIEWED.\n\n"
              "Examples:  meshdeck review --status FAILED --since 2h --reason 'known outage'\n"
              "           meshdeck review 1000042 --yes",
    "pause": "Pause RUNNING workflows (Conductor only: no new tasks are scheduled until resume)."
             "\n\nExamples:  meshdeck --backend conductor pause --name checkout --status RUNNING --yes",
    "restart": "Restart finished workflows from the beginning, keeping their ids (Conductor only)."
               " With --latest they run on their definition's latest version.\n\n"
               "Examples:  meshdeck --backend conductor restart 8f3c... --yes\n"
               "           meshdeck --backend conductor restart --latest --name checkout "
               "--status FAILED --since 1h",
    "remove": "Delete finished executions for good (Conductor only: COMPLETED, FAILED, TIMED_OUT "
              "or TERMINATED; they leave searches too and cannot be read again).\n\n"
              "Examples:  meshdeck --backend conductor remove 8f3c... --yes\n"
              "           meshdeck --backend conductor remove --status COMPLETED --name test "
              "--since 7d --dry-run",
    "rerun": "Start an execution again from the beginning, with the same input (a new process "
             "each on Unmeshed).\n\n"
             "Examples:  meshdeck rerun 1000042 --yes\n"
             "           meshdeck search --status FAILED --limit 5 -o ids | meshdeck rerun - --yes",
}


def register(app: typer.Typer) -> None:
    panel = "Act (asks first; --yes in scripts)"
    for words in ACTIONS.values():
        if words.cli is None:  # else a flag of another command (restart --latest)
            app.command(words.name, rich_help_panel=panel)(with_globals(_command(words)))


__all__ = ["act", "register", "refuse_if_unsupported", "ExitCode"]
