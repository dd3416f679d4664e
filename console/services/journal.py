"""The action journal: every action meshdeck sends (terminate, resume, review, pause, restart,
rerun, run, call), from the CLI or the TUI, appended as one JSON line to
``<data folder>/journal.jsonl`` (``console.services.data_folder``): when, which profile and server,
which operating-system user, the action, the reason, the ids and each id's result (done, failed,
unknown, not sent), and for rerun, run and call the processes they started. It answers "what did
I do at 3 a.m." the next morning, and lists the unknown outcomes to check.

The record is written when the action ends, in a ``finally``: an interrupted run (Ctrl-C, a
cancelled worker, a lost connection) is journaled with the results known at that moment, ids in
flight as unknown and the rest as not sent. The journal never holds a token, a body or an input:
only ids, names and what the person typed as a reason. The file is created 0600.

What the TUI uses: a ``Journal`` made once per session (``Journal(data_folder(settings,
mock=...), settings.profile, clock=..., on_problem=notify)``) and handed to
``services.actions.run_action(journal=...)``, ``services.starting.start_process`` and
``services.api_calls.send``; ``Journal.entries()`` and ``select()`` to list and filter;
``Entry.summary()``, ``Entry.result_of(id)`` and ``Entry.all_ids`` to show a row and open an id.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from console import errors
from console.outcomes import BulkOutcome
from console.services.action_specs import DONE, FAILED, NOT_SENT, UNKNOWN, outcome_rows

try:  # one writer at a time (the CLI and the TUI may both be acting)
    import fcntl
except ImportError:  # pragma: no cover - Windows: appends of one write each, unlocked
    fcntl = None  # type: ignore[assignment]

FILE_NAME = "journal.jsonl"
#: The actions the journal records besides the bulk ones (``action_specs.ACTIONS``).
STARTS = ("run", "call")
#: An entry whose ids did not all end the same way.
PARTIAL = "partial"
RESULTS = (DONE, FAILED, UNKNOWN, NOT_SENT, PARTIAL)


def os_user() -> str:
    """The operating-system user running meshdeck ("unknown" when the system cannot say)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return "unknown"


def server_of(base: str) -> str:
    """``https://user@acme.unmeshed.io:8443/api`` -> ``acme.unmeshed.io:8443`` (never
    credentials, never a path)."""
    parts = urlsplit(base)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or base
    return f"{host}:{port}" if port else host


@dataclass
class Entry:
    """One action as the journal keeps it (one JSON line)."""

    #: When it was sent: ISO 8601, UTC.
    time: str
    action: str
    profile: str | None
    server: str
    user: str
    reason: str | None = None
    #: run: ``NAMESPACE/NAME``; call: ``METHOD endpoint``.
    target: str | None = None
    #: The ids acted on, in order; for run and call the process started, once known.
    ids: list[str] = field(default_factory=list)
    #: id -> done, failed, unknown or not sent.
    results: dict[str, str] = field(default_factory=dict)
    #: rerun: id -> the new process it started.
    new_ids: dict[str, str] = field(default_factory=dict)
    #: The whole action: done, failed, unknown, not sent, or partial (ids ended differently).
    result: str = ""
    #: Why it stopped, or the error of a run or call that failed.
    message: str | None = None

    @property
    def at_ms(self) -> int:
        try:
            return int(datetime.fromisoformat(self.time).timestamp() * 1000)
        except ValueError:
            return 0

    @property
    def all_ids(self) -> list[str]:
        """The ids acted on, then the new processes started (for "open this id")."""
        return list(dict.fromkeys([*self.ids, *self.new_ids.values()]))

    def result_of(self, pid: str) -> str | None:
        """What happened to ``pid`` in this entry (a new process: done), None if not in it."""
        if pid in self.results:
            return self.results[pid]
        return DONE if pid in self.new_ids.values() else None

    def counts(self) -> dict[str, int]:
        found = Counter(self.results.values())
        return {kind: found[kind] for kind in (DONE, FAILED, UNKNOWN, NOT_SENT) if found[kind]}

    def summary(self) -> str:
        """``38 done, 2 unknown`` (a run or call: its result)."""
        counts = self.counts()
        if not counts or self.action in STARTS:
            return self.result
        return ", ".join(f"{n:,} {kind}" for kind, n in counts.items())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Entry | None:
        """An entry from one parsed line; None for something that is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("action"), str):
            return None
        known = {f.name for f in fields(cls)}
        try:
            entry = cls(**{k: v for k, v in data.items() if k in known})
        except TypeError:
            return None
        ok = (isinstance(entry.ids, list) and isinstance(entry.results, dict)
              and isinstance(entry.new_ids, dict) and isinstance(entry.time, str))
        return entry if ok else None

    # ---- filling in ------------------------------------------------------------------------

    def add_started(self, pid: Any) -> None:
        """run / call: the process the request started."""
        if pid not in (None, ""):
            self.ids.append(str(pid))
            self.results[str(pid)] = DONE

    def fill_from(self, outcome: BulkOutcome) -> None:
        """The per-id results of a bulk action as they stand now."""
        self.ids = list(outcome.ids)
        self.results = {row.id: row.result for row in outcome_rows(outcome)}
        self.new_ids = {pid: str(p.process_id) for pid, p in outcome.started.items()
                        if p.process_id is not None}
        kinds = set(self.results.values())
        self.result = (kinds.pop() if len(kinds) == 1 else PARTIAL) if kinds else NOT_SENT
        self.message = outcome.stopped_by


class Journal:
    """The journal of one session: where it is written, and who acts (profile, OS user).

    ``clock`` gives now in epoch ms (the TUI's frozen clock in tests); ``on_problem`` hears a
    journal that could not be written (one line), so the person is told: the action itself has
    happened, so that is a warning, never an error."""

    def __init__(self, folder: Path, profile: str | None, *, user: str | None = None,
                 clock: Callable[[], int] | None = None,
                 on_problem: Callable[[str], None] | None = None) -> None:
        self.path = Path(folder) / FILE_NAME
        self.profile = profile
        self.user = user or os_user()
        self.clock = clock or (lambda: int(time.time() * 1000))
        self.on_problem = on_problem
        #: Problems met while writing (also given to ``on_problem``).
        self.problems: list[str] = []
        #: Lines of the file that could not be read, at the last ``entries()``.
        self.damaged = 0

    def entry(self, server_base: str, action: str, *, reason: str | None = None,
              target: str | None = None) -> Entry:
        """A new entry stamped now, for the server at ``server_base``."""
        when = datetime.fromtimestamp(self.clock() / 1000, tz=UTC)
        return Entry(time=when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                     action=action, profile=self.profile, server=server_of(server_base),
                     user=self.user, reason=reason or None, target=target)

    def write(self, entry: Entry) -> bool:
        """Append ``entry`` as one line; False (and ``on_problem`` told) when it could not be."""
        line = (json.dumps(entry.to_json(), ensure_ascii=False, default=str) + "\n").encode()
        try:
            _append(self.path, line)
        except OSError as exc:
            problem = (f"the action journal {self.path} was not written "
                       f"({exc.strerror or exc}); the {entry.action} itself was sent")
            self.problems.append(problem)
            if self.on_problem is not None:
                self.on_problem(problem)
            return False
        return True

    def entries(self) -> list[Entry]:
        """Every entry, oldest first; a missing file is an empty journal, a damaged line is
        skipped (counted in ``damaged``). OSError for a file that exists but cannot be read."""
        self.damaged = 0
        try:
            text = self.path.read_text("utf-8", errors="replace")
        except FileNotFoundError:
            return []
        found = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                entry = Entry.from_json(json.loads(line))
            except ValueError:
                entry = None
            if entry is None:
                self.damaged += 1
            else:
                found.append(entry)
        return found


def _append(path: Path, data: bytes) -> None:
    """Append ``data`` to ``path`` (created 0600, its folder 0700) under an exclusive lock."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


@contextlib.contextmanager
def recording_outcome(journal: Journal | None, server_base: str, outcome: BulkOutcome,
                      reason: str | None) -> Iterator[None]:
    """Around a bulk action: journal ``outcome`` as it stands when the block ends, however it
    ends (finished, failed, interrupted, cancelled)."""
    entry = journal.entry(server_base, outcome.action, reason=reason) if journal else None
    try:
        yield
    finally:
        if journal is not None and entry is not None:
            entry.fill_from(outcome)
            journal.write(entry)


@contextlib.contextmanager
def recording_start(journal: Journal | None, server_base: str, action: str,
                    target: str) -> Iterator[Entry]:
    """Around a request that starts a process (run, call): the block calls
    ``entry.add_started(pid)`` with the answer; a lost answer (or an interruption) is
    journaled as unknown, an error as failed."""
    entry = (journal.entry(server_base, action, target=target) if journal
             else Entry("", action, None, "", ""))
    try:
        yield entry
    except errors.OutcomeUnknown as exc:
        entry.result, entry.message = UNKNOWN, str(exc)
        raise
    except errors.MeshdeckError as exc:
        entry.result, entry.message = FAILED, str(exc)
        raise
    except BaseException as exc:
        entry.result = UNKNOWN
        entry.message = f"interrupted before the answer came ({type(exc).__name__})"
        raise
    else:
        entry.result = DONE
    finally:
        if journal is not None:
            journal.write(entry)


def select(entries: Iterable[Entry], *, since_ms: int | None = None,
           actions: Sequence[str] = (), ids: Sequence[str] = (),
           results: Sequence[str] = ()) -> list[Entry]:
    """The entries that match every filter given: sent at or after ``since_ms``, one of
    ``actions``, touching one of ``ids`` (acted on or started), with one of ``results`` (as the
    whole action's result or any id's)."""
    wanted_ids = set(ids)
    out = []
    for entry in entries:
        if since_ms is not None and entry.at_ms < since_ms:
            continue
        if actions and entry.action not in actions:
            continue
        if wanted_ids and not wanted_ids.intersection(entry.all_ids):
            continue
        if results and entry.result not in results and not set(results).intersection(
                entry.results.values()):
            continue
        out.append(entry)
    return out
