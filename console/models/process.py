"""Executions and their steps as the wire has them, a search row read for a list, and the
answer of a bulk action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, ConfigDict
from pydantic import Field as PydanticField

from console.models.wire import OpenEnum, Tag, WireId, WireModel, at, extract_error
from console.statuses import FINISHED, UNDER_WAY


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

    started_at = at("start")
    updated_at = at("updated")


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

    started_at = at("start")

    scheduled_at = at("schedule")
    updated_at = at("updated")

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


class Elapsed:
    """How long an execution ran, from ``created`` and ``ended`` (shared by ``ProcessData``
    and the slotted ``ProcessSummary``)."""

    __slots__ = ()
    if TYPE_CHECKING:
        created: int | None
        status: str | None

        @property
        def ended(self) -> int | None: ...

    created_at = at("created")

    @property
    def duration_ms(self) -> int | None:
        """How long the execution ran; None while under way (``running_for``) or unknown (a
        REVIEWED row of a search: the review moved ``updated``, and a search has no steps)."""
        return span(self.created, self.ended)

    def running_for(self, now_ms: int) -> int | None:
        """How long an execution under way has run by ``now_ms`` (None when it is not)."""
        return span(self.created, now_ms) if self.status in UNDER_WAY else None


def span(start: int | None, end: int | None) -> int | None:
    """Milliseconds from ``start`` to ``end`` (never negative); None when either is unknown."""
    return None if start is None or end is None else max(0, end - start)


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


class ProcessData(Elapsed, RunFacts, WireModel):
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

    updated_at = at("updated")

    def failed_step(self) -> StepData | None:
        """The step that broke the process: the last FAILED or TIMED_OUT step, if any."""
        failed = [s for s in self.step_records or [] if s.status in ("FAILED", "TIMED_OUT")]
        return max(failed, key=lambda s: (s.updated or 0, s.id or 0)) if failed else None


class SearchRow(Elapsed, RunFacts, WireModel):
    """A search answer's row read for a list: the fields ``ProcessSummary`` keeps, with the
    types ``ProcessData`` gives them (a field of an unexpected type is dropped and named the
    same way); the input and state payloads are skipped unread and the output kept as sent (a
    failed row's error, for the table's error column, is read from it). Its own class, not a
    ``ProcessData``: reading a page of 1,000 rows this way is several times cheaper."""

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
