"""The wire shapes of API.md as tolerant pydantic v2 models.

Tolerant means: every field may be missing or null, unknown fields are kept (and written back),
and an enum value we have never seen stays as text instead of failing validation. Enum-valued
fields are therefore typed ``str``; the ``StrEnum`` classes of ``console.statuses`` name the values
we know, and compare equal to plain strings (``ProcessStatus.FAILED == "FAILED"``).

Python attributes are snake_case; the wire (and ``to_wire()``) uses camelCase.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic import Field as PydanticField
from pydantic.alias_generators import to_camel

from console.statuses import (  # noqa: F401 - the wire's vocabulary, reached through the models
    FINISHED,
    UNDER_WAY,
    UNSUCCESSFUL,
    ApiCallType,
    ProcessStatus,
    ProcessTriggerType,
    ProcessType,
    StepStatus,
)


def _open_enum(value: Any) -> Any:
    """Keep any enum text; strip the SDK's ``ProcessStatus.FAILED`` form to ``FAILED``."""
    if value is None:
        return None
    text = value.value if isinstance(value, StrEnum) else str(value)
    head, dot, tail = text.partition(".")
    if dot and head[:1].isupper() and tail:
        return tail
    return text


OpenEnum = Annotated[str | None, BeforeValidator(_open_enum)]
#: A process or step id as the wire has it: Unmeshed sends numbers, Conductor text (UUIDs).
#: The value keeps its wire type (so ``-o json`` writes it back as it came); code above the
#: backends compares ids as text (``str(id)``).
WireId = int | str | None


def epoch_ms_to_datetime(value: int | float | None) -> datetime | None:
    """Epoch milliseconds as an aware UTC datetime; None (or nonsense) stays None."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(float(value) / 1000.0, tz=UTC)
    except (OverflowError, OSError, ValueError, TypeError):
        return None


class WireModel(BaseModel):
    """Base: camelCase on the wire, snake_case in Python, unknown fields kept.

    ``dropped``: the fields the answer sent with a type this model cannot hold (a time as text,
    an object for a list), each with the value sent; they were left empty so that the rest of
    the row still shows (``console.backends.responses.validate_leniently`` fills it in)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        coerce_numbers_to_str=True,
        protected_namespaces=(),
        # Each model's validator is built when first used: most commands use two or three of
        # the dozen models, and building them all cost ~30 ms of every start.
        defer_build=True,
    )

    @property
    def dropped(self) -> dict[str, Any]:
        """Wire field path (``created``, ``stepRecords.start``) -> the value that was dropped."""
        private = self.__pydantic_private__
        return (private and private.get("_dropped")) or {}

    def note_dropped(self, name: str, sent: Any) -> None:
        """Record that field ``name`` was left empty, and what was sent.

        Kept in pydantic's private-attribute slot without declaring a private attribute: a
        declared one costs every model pydantic makes (every step of every row) a Python call
        at creation, which was 40% of reading a search answer."""
        private = self.__pydantic_private__
        if private is None:
            private = {}
            object.__setattr__(self, "__pydantic_private__", private)
        private.setdefault("_dropped", {}).setdefault(name, sent)

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready dict with wire names, extra fields included, nulls kept."""
        return self.model_dump(mode="json", by_alias=True)


class Tag(WireModel):
    name: str | None = None
    value: Any = None


class StepId(WireModel):
    id: WireId = None
    process_id: WireId = None
    ref: str | None = None


class StepExecution(WireModel):
    """One attempt of a step (an entry of ``executionList``)."""

    id: int | None = None
    scheduled: int | None = None
    polled: int | None = None
    start: int | None = None
    updated: int | None = None
    executor: str | None = None
    ref: str | None = None
    runs: int | None = None
    output: Any = None

    @property
    def started_at(self) -> datetime | None:
        return epoch_ms_to_datetime(self.start)

    @property
    def updated_at(self) -> datetime | None:
        return epoch_ms_to_datetime(self.updated)


class StepData(WireModel):
    id: WireId = None
    process_id: WireId = None
    ref: str | None = None
    parent_id: WireId = None
    parent_ref: str | None = None
    namespace: str | None = None
    name: str | None = None
    type: OpenEnum = None
    step_definition_history_id: int | None = None
    status: OpenEnum = None
    input: Any = None
    output: Any = None
    worker_id: str | None = None
    start: int | None = None
    schedule: int | None = None
    priority: int | None = None
    updated: int | None = None
    optional: bool | None = None
    execution_list: list[StepExecution] | None = None

    @property
    def started_at(self) -> datetime | None:
        return epoch_ms_to_datetime(self.start)

    @property
    def scheduled_at(self) -> datetime | None:
        return epoch_ms_to_datetime(self.schedule)

    @property
    def updated_at(self) -> datetime | None:
        return epoch_ms_to_datetime(self.updated)

    @property
    def duration_ms(self) -> int | None:
        if not self.start or self.updated is None:  # 0: not started yet (still SCHEDULED)
            return None
        return max(0, self.updated - self.start)

    @property
    def attempts(self) -> int:
        return len(self.execution_list or []) or (1 if self.start else 0)

    @property
    def error(self) -> str | None:
        """The error a failed step reports in its output, if any."""
        return extract_error(self.output)


class RunFacts:
    """What a list shows of an execution's run, read from the fields a search row carries:
    shared by ``ProcessData`` and ``SearchRow`` (a search row read without its payloads)."""

    if TYPE_CHECKING:  # the fields of the models that take this in (not fields of a mixin)
        status: str | None
        updated: int | None
        steps: list[StepId] | None
        step_records: list[StepData] | None
        step_id_count: int | None

    def _end_time(self) -> Any:
        """The server's own end time (Conductor's ``endTime``), where it sent one."""
        extra = self.__pydantic_extra__  # type: ignore[attr-defined]
        return extra.get("endTime") if extra else None

    @property
    def ended(self) -> int | None:
        """When the execution stopped running, where that is known: the server's end time
        (Conductor's ``endTime``); else, once it is finished (REVIEWED included), the last end
        among its steps when they are known; else ``updated`` while only the run can have moved
        it (a finished status: marking reviewed moves ``updated`` without running anything).
        None while under way, and for a status meshdeck does not know without an end time."""
        status = self.status  # called for every row of a 100k-row table: kept cheap
        if status in UNDER_WAY:
            return None
        end = self._end_time()
        if isinstance(end, int) and end > 0:
            return end
        finished = status in FINISHED
        if not finished and status != "REVIEWED":
            return None
        if self.step_records:
            steps_end = max((s.updated for s in self.step_records if s.updated), default=None)
            if steps_end is not None:
                return steps_end
        return self.updated if finished else None

    @property
    def step_count(self) -> int:
        return len(self.step_records or []) or len(self.steps or []) or (self.step_id_count or 0)


class ProcessRequest(WireModel):
    namespace: str | None = None
    name: str | None = None
    version: int | None = None
    request_id: str | None = None
    correlation_id: str | None = None
    input: dict[str, Any] | None = None


class ProcessData(RunFacts, WireModel):
    process_id: WireId = None
    process_type: OpenEnum = None
    trigger_type: OpenEnum = None
    namespace: str | None = None
    name: str | None = None
    version: int | None = None
    history_id: int | None = None
    request_id: str | None = None
    correlation_id: str | None = None
    status: OpenEnum = None
    input: Any = None
    output: Any = None
    state: Any = None
    secret_state: Any = None
    auth_claims: Any = None
    step_id_count: int | None = None
    shard_name: str | None = None
    shard_instance_id: int | None = None
    steps: list[StepId] | None = None
    step_records: list[StepData] | None = PydanticField(default_factory=list)
    created: int | None = None
    updated: int | None = None
    created_by: str | None = None
    tags: list[Tag] | None = None

    @property
    def created_at(self) -> datetime | None:
        return epoch_ms_to_datetime(self.created)

    @property
    def updated_at(self) -> datetime | None:
        return epoch_ms_to_datetime(self.updated)

    @property
    def duration_ms(self) -> int | None:
        """How long the execution ran; None while under way (``running_for``) or unknown."""
        return _span(self.created, self.ended)

    def running_for(self, now_ms: int) -> int | None:
        """How long an execution under way has run by ``now_ms`` (None when it is not)."""
        return _span(self.created, now_ms) if self.status in UNDER_WAY else None

    def failed_step(self) -> StepData | None:
        """The step that broke the process: the last FAILED or TIMED_OUT step, if any."""
        failed = [s for s in self.step_records or [] if s.status in ("FAILED", "TIMED_OUT")]
        return max(failed, key=lambda s: (s.updated or 0, s.id or 0)) if failed else None


class SearchRow(RunFacts, WireModel):
    """A search answer's row read for a list: the fields ``ProcessSummary`` keeps, with the
    types ``ProcessData`` gives them (a field of an unexpected type is dropped and named the
    same way); the payloads (input, state) are skipped unread, which makes reading a page of
    1,000 rows several times cheaper. The output is kept as sent, unvalidated: a failed row's
    error (the table's error column) is read from it."""

    model_config = ConfigDict(extra="ignore")

    process_id: WireId = None
    process_type: OpenEnum = None
    trigger_type: OpenEnum = None
    namespace: str | None = None
    name: str | None = None
    version: int | None = None
    request_id: str | None = None
    correlation_id: str | None = None
    status: OpenEnum = None
    step_id_count: int | None = None
    #: Only counted: its entries are not read (a list of anything; StepId models for every
    #: step of every row were a third of reading a page).
    steps: list[Any] | None = None
    step_records: list[StepData] | None = PydanticField(default_factory=list)
    output: Any = None
    created: int | None = None
    updated: int | None = None
    end_time: Any = None

    def _end_time(self) -> Any:
        return self.end_time


def _span(start: int | None, end: int | None) -> int | None:
    return None if start is None or end is None else max(0, end - start)


def _text(value: Any) -> Any:
    return None if value is None else str(value)


class ActionDetail(WireModel):
    id: Annotated[str | None, BeforeValidator(_text)] = None
    message: Annotated[str | None, BeforeValidator(_text)] = None
    error: Annotated[str | None, BeforeValidator(_text)] = None

    @property
    def ok(self) -> bool:
        return not self.error


class ActionResponse(WireModel):
    count: int | None = None
    details: list[ActionDetail] | None = None


class StepDefinition(WireModel):
    namespace: str | None = None
    name: str | None = None
    type: OpenEnum = None
    ref: str | None = None
    optional: bool | None = None
    label: str | None = None
    description: str | None = None
    configuration: Any = None
    children: list[StepDefinition] | None = None
    input: Any = None
    output: Any = None

    def walk(self, depth: int = 0):
        """This step and its descendants, depth first, as ``(depth, step)``."""
        yield depth, self
        for child in self.children or []:
            yield from child.walk(depth + 1)


class ProcessDefinition(WireModel):
    org_id: int | None = None
    namespace: str | None = None
    name: str | None = None
    version: int | None = None
    type: OpenEnum = None
    description: str | None = None
    created_by: str | None = None
    updated_by: str | None = None
    created: int | None = None
    updated: int | None = None
    configuration: Any = None
    steps: list[StepDefinition] | None = None
    default_input: Any = None
    default_output: Any = None
    output_mapping: Any = None
    metadata: Any = None
    tags: Any = None

    @property
    def step_count(self) -> int:
        return sum(1 for top in self.steps or [] for _ in top.walk())


def first_line(message: str | None) -> str | None:
    """The first line of ``message`` that is not blank, stripped (None for none)."""
    return next((line.strip() for line in (message or "").splitlines() if line.strip()), None)


def extract_error(output: Any) -> str | None:
    """Find a human error message in a step or process output, leniently."""
    if isinstance(output, dict):
        for key in ("error", "errorMessage", "lastError", "message", "reason", "exception"):
            value = output.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict):
                nested = extract_error(value)
                if nested:
                    return nested
    elif isinstance(output, str) and output:
        return output
    return None


@dataclass
class SearchQuery:
    """Every filter of ``GET api/stats/process/search``; lists go out comma-joined.

    Times are epoch milliseconds. ``start_time_epoch`` None means the server default (the SDK
    sends now - 24 h; meshdeck's callers set it explicitly from ``--since``).
    """

    start_time_epoch: int | None = None
    end_time_epoch: int | None = None
    namespace: str | None = None
    process_types: list[str] = field(default_factory=list)
    trigger_types: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    step_names: list[str] = field(default_factory=list)
    step_refs: list[str] = field(default_factory=list)
    process_ids: list[str] = field(default_factory=list)
    correlation_ids: list[str] = field(default_factory=list)
    request_ids: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    full_text_search_query: str | None = None
    org_id: int | None = None
    limit: int = 100
    offset: int = 0

    def to_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == [] or value == "":
                continue
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            params[to_camel(f.name)] = str(value)
        return params

    def page(self, offset: int, limit: int) -> SearchQuery:
        return replace(self, offset=offset, limit=limit)

    @classmethod
    def for_ids(cls, ids: Sequence[str]) -> SearchQuery:
        """These executions, whatever their age (the search's own default window is the last
        24 hours) or status: one row per id at most."""
        return cls(start_time_epoch=0, process_ids=list(ids), limit=len(ids))


@dataclass(slots=True, frozen=True)
class ProcessSummary:
    """What a list of executions shows of each, without its payloads.

    A search answer carries every process's input, output and state (kilobytes each); a table
    of 100,000 rows keeps these instead, and the detail screen fetches the full process.
    """

    process_id: int | str | None
    name: str | None
    namespace: str | None
    version: int | None
    status: str | None
    trigger_type: str | None
    process_type: str | None
    correlation_id: str | None
    request_id: str | None
    created: int | None
    updated: int | None
    step_count: int
    #: When it stopped running, where known (``ProcessData.ended``).
    ended: int | None = None
    #: Fields sent with an unexpected type and shown empty (``WireModel.dropped``).
    dropped: Mapping[str, Any] | None = None
    #: A failed or timed-out one: the first line of the error its output carries, if any.
    error: str | None = None

    @classmethod
    def of(cls, p: ProcessData | SearchRow) -> ProcessSummary:
        error = first_line(extract_error(p.output)) if p.status in ("FAILED", "TIMED_OUT") \
            else None
        return cls(p.process_id, p.name, p.namespace, p.version, p.status, p.trigger_type,
                   p.process_type, p.correlation_id, p.request_id, p.created, p.updated,
                   p.step_count, p.ended, p.dropped or None, error)

    @property
    def created_at(self) -> datetime | None:
        return epoch_ms_to_datetime(self.created)

    @property
    def duration_ms(self) -> int | None:
        """How long the execution ran; None while under way (``running_for``) or unknown (a
        REVIEWED row of a search: the review moved ``updated``, and a search has no steps)."""
        return _span(self.created, self.ended)

    def running_for(self, now_ms: int) -> int | None:
        """How long an execution under way has run by ``now_ms`` (None when it is not)."""
        return _span(self.created, now_ms) if self.status in UNDER_WAY else None
