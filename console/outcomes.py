"""What a client call on many ids gives back, per id: a multi-get's ``Fetched`` and a bulk
action's ``BulkOutcome`` (done, failed, unknown, not sent). Shared by every backend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from console import errors

if TYPE_CHECKING:  # annotations only: importing the models loads pydantic (~80 ms of --help)
    from console.models import ActionDetail, ProcessData, ProcessSummary


@dataclass
class Fetched:
    """One id of a multi-get: the process, or the error that kept it from us. A status lookup
    (``console.services.lookup``) gives the summary a search answered with instead."""

    id: str
    process: ProcessData | ProcessSummary | None = None
    error: errors.MeshdeckError | None = None


@dataclass
class BulkOutcome:
    """Per-id results of a chunked bulk action, filled in as chunks complete.

    ``details`` holds the server's answer per id (text ids, input order); ``unknown`` the ids of a
    chunk whose answer never came or could not be read, and ids the answer did not mention (they
    may have changed); ``not_sent`` the ids never sent. Every id is in exactly one of the three.
    """

    action: str
    ids: list[str]
    details: dict[str, ActionDetail]
    unknown: list[str]
    not_sent: list[str]
    stopped_by: str | None = None
    #: For an action that starts a new process per id (rerun): id -> the process it started.
    started: dict[str, ProcessData] = field(default_factory=dict)
    #: Why an id's outcome is unknown, where it differs from ``stopped_by``.
    notes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def start(cls, action: str, ids: Sequence[Any]) -> BulkOutcome:
        text_ids = [str(i) for i in ids]
        return cls(action, text_ids, {}, [], list(text_ids))

    @property
    def succeeded(self) -> list[str]:
        return [i for i in self.ids if i in self.details and self.details[i].ok]

    @property
    def failed(self) -> list[str]:
        return [i for i in self.ids if i in self.details and not self.details[i].ok]

    @property
    def complete(self) -> bool:
        return not self.unknown and not self.not_sent
