"""What every full screen of meshdeck shares: a typed ``self.app`` and one place for failures.

- ``self.app`` is the ``MeshdeckApp`` (Textual's ``getters.app``), so a type checker sees
  ``self.app.backend``, ``self.app.settings``, ``self.app.mock`` and catches a misspelt one; an
  attribute the app lacks is an error, not a silent ``getattr`` default.
- ``load()`` / ``refresh_data()``: a screen's fetch, run again after every action.
- ``cli_flags()``: the global options a copied command line needs (profile, mock, backend).
- A worker that raises does not reach the app (start it with ``exit_on_error=False``): the
  ``Worker.StateChanged`` handler here turns the failure into one notification, never a
  traceback, and what the screen shows stays. A screen that must show the failure itself (a
  status line, an empty table that must not read "nothing matches") overrides ``worker_failed``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import getters
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from console.tui.app import MeshdeckApp, error_text


def tab_keys(*tabs: str) -> list[Binding]:
    """Keys 1, 2, 3… switch to the screen's tabs, by their ids (``steps`` -> "Steps tab")."""
    return [Binding(str(n), f"tab('{tab}')", f"{tab.capitalize()} tab", show=False)
            for n, tab in enumerate(tabs, start=1)]


def loading(what: str, id: str) -> Static:
    """The line a screen shows until its first answer comes."""
    return Static(Text(f"Loading {what}…", style="dim"), id=id)


class MeshdeckScreen(Screen):
    """A full screen of the console (not a dialog)."""

    app = getters.app(MeshdeckApp)

    #: Words put before a failed worker's error in its notification, by worker group.
    FAILURE_WORDS: ClassVar[dict[str, str]] = {}
    #: What the ``?`` help says above the keys (rules a key's one line cannot say).
    HELP_NOTES: ClassVar[str] = ""

    def load(self) -> object:
        """Fetch what this screen shows (a worker); screens that show server data override it."""
        return None

    def refresh_data(self) -> None:
        """Fetch again: on ``r``, and after an action changed executions (``ActionsDone``)."""
        self.load()

    def on_actions_done(self, _message: object) -> None:
        self.refresh_data()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.worker_failed(event.worker, event.worker.error)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        """``worker`` (one of this screen's) raised ``error``: say so once; keep the screen."""
        self.app.notify_error(error, self.FAILURE_WORDS.get(worker.group, ""))

    def load_failed(self, what: str, error: BaseException, summary: str | None) -> None:
        """The fetch of ``what`` ("process 12") failed: say so; while nothing of it is shown
        yet, the ``summary`` widget (its id) says it too, and how to try again."""
        self.notify(f"{what}: {error_text(error)}", title="could not load", severity="error",
                    timeout=8, markup=False)
        if summary is not None:
            self.query_one(f"#{summary}", Static).update(Text.assemble(
                (f"Could not load {what}: ", "bold red"), error_text(error),
                ("\nPress r to try again, escape to go back.", "dim")))

    def cli_flags(self) -> str:
        """The global options of a copied ``meshdeck`` line, so that it reaches what this
        console reaches: the profile, ``--mock``, and ``--backend`` when one was chosen (by
        flag, environment or profile; the default needs none)."""
        from console.tui.screens.detail_parts import global_flags

        settings = self.app.settings
        chosen = settings.source.get("backend", "default") != "default"
        return global_flags(settings.profile, self.app.mock,
                            settings.backend if chosen else None)
