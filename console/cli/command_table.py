"""Every ``meshdeck`` command, the module that defines it, its help panel and the line
``meshdeck --help`` shows for it: the root group imports a command's module only when that
command runs (``meshdeck search`` loads one module, not thirty), and lists them all from here.

``tests/cli/test_lazy_commands.py`` checks this table against the commands themselves: a
command added, moved or reworded there must be so here too.
"""

from __future__ import annotations

from typing import NamedTuple

FIND = "Find and inspect"
ACT = "Act (asks first; --yes in scripts)"
START = "Start"
TUI = "Terminal UI"
CODE = "Definitions as code"
SETUP = "Setup"


class Entry(NamedTuple):
    #: ``console.cli.<module>``: it has ``register(app)``, or an ``app`` to add as a group.
    module: str
    panel: str
    #: The first paragraph of the command's help, as the list of commands shows it.
    summary: str


#: In the order ``meshdeck --help`` lists them (commands, then groups).
COMMANDS: dict[str, Entry] = {k: Entry(*v) for k, v in {
    'search': ('search', FIND,
        'Find executions (newest first; the last 24 hours unless --since says otherwise).'),
    'failures': ('failures', FIND,
        'Group failed and timed-out executions by process, failed step and error message.'),
    'get': ('get', FIND,
        "Show executions by id: summary, the failed step's error, and the steps."),
    'step': ('get', FIND,
        'Show one step: status, attempts (executionList), input and output.'),
    'diff': ('diff', FIND,
        'Compare two executions side by side: only what differs, unless --all.'),
    'journal': ('journal_cmd', FIND,
        "List the actions meshdeck has sent from this machine, with each id's result."),
    'terminate': ('actions', ACT,
        'Terminate RUNNING executions (their running steps are cancelled).'),
    'resume': ('actions', ACT,
        'Resume FAILED, TIMED_OUT, TERMINATED or CANCELLED executions (retries the failed steps).'),
    'review': ('actions', ACT,
        'Mark FAILED, TIMED_OUT, TERMINATED or CANCELLED executions as REVIEWED.'),
    'pause': ('actions', ACT,
        'Pause RUNNING workflows (Conductor only: no new tasks are scheduled until resume).'),
    'restart': ('actions', ACT,
        "Restart finished workflows from the beginning, keeping their ids (Conductor only). With --latest they run on their definition's latest version."),
    'rerun': ('actions', ACT,
        'Start an execution again from the beginning, with the same input (a new process each on Unmeshed).'),
    'remove': ('actions', ACT,
        'Delete finished executions for good (Conductor only: COMPLETED, FAILED, TIMED_OUT or TERMINATED; they leave searches too and cannot be read again).'),
    'skip': ('operate', ACT,
        'Skip a step of a RUNNING execution before it starts (Conductor only).'),
    'rerun-from': ('operate', ACT,
        'Run a finished execution again from one of its steps (Conductor only).'),
    'correlated': ('operate', FIND,
        'The executions of a definition with one correlation id, newest first (Conductor only).'),
    'running': ('operate', FIND,
        "The ids of a definition's unfinished (RUNNING or PAUSED) executions (Conductor only)."),
    'run': ('run', START,
        'Start a process (asynchronously unless --sync) and show it.'),
    'call': ('run', START,
        'Call an API mapping endpoint and print its JSON answer.'),
    'serve-web': ('serve_web', TUI,
        'Serve the terminal UI in web browsers, for colleagues without meshdeck installed.'),
    'login': ('login', SETUP,
        'Log in to a server: check the credentials, save them as a profile, make it active.'),
    'logout': ('login', SETUP,
        "Forget a profile's saved token."),
    'definitions': ('definitions', CODE,
        "Process definitions: list, show, export to files, apply files (a diff first), diff, delete. See 'Definitions as code' in the README."),
    'schedules': ('schedules', CODE,
        'Schedules: apply schedule files (Unmeshed publishes no way to list them).'),
    'files': ('files', CODE,
        "The server's file store: ls, upload, download, rm."),
    'server': ('login', SETUP,
        'Servers (profiles), as the official unmeshed CLI names them.'),
    'views': ('views_cmd', FIND,
        'Saved views: a search (filters, window, columns, sort) kept under a name for the profile, in views.toml next to the config file. Without a command: the list.'),
    'config': ('config_cmd', SETUP,
        "Profiles in the config file (MESHDECK_CONFIG or the platform's config dir)."),
    'mock': ('mock_cmd', SETUP,
        'The embedded mock Unmeshed server: demo data, and a local dev server for your own definitions and workers.'),
}.items()}
