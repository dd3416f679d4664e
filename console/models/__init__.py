"""The wire shapes of API.md as tolerant pydantic v2 models (``wire``: the base they share;
``process``: executions and steps; ``definition``: definitions; ``query``: searches and rows).

Tolerant means: every field may be missing or null, unknown fields are kept (and written back),
and an enum value we have never seen stays as text instead of failing validation. Enum-valued
fields are therefore typed ``str``; the ``StrEnum`` classes of ``console.statuses`` name the values
we know, and compare equal to plain strings (``ProcessStatus.FAILED == "FAILED"``).

Python attributes are snake_case; the wire (and ``to_wire()``) uses camelCase.
"""

from console.models.definition import ProcessDefinition, StepDefinition
from console.models.process import (
    ActionDetail,
    ActionResponse,
    ProcessData,
    ProcessRequest,
    RunFacts,
    SearchRow,
    StepData,
    StepExecution,
    StepId,
)
from console.models.query import ProcessSummary, SearchQuery
from console.models.wire import (
    OpenEnum,
    Tag,
    WireId,
    WireModel,
    epoch_ms_to_datetime,
    extract_error,
    first_line,
)
from console.statuses import (  # the wire's vocabulary, reached through the models
    FINISHED,
    UNDER_WAY,
    UNSUCCESSFUL,
    ApiCallType,
    ProcessStatus,
    ProcessTriggerType,
    ProcessType,
    StepStatus,
)

__all__ = [
    "ActionDetail", "ActionResponse", "OpenEnum", "ProcessData", "ProcessDefinition",
    "ProcessRequest", "ProcessSummary", "RunFacts", "SearchQuery", "SearchRow", "StepData",
    "StepDefinition", "StepExecution", "StepId", "Tag", "WireId", "WireModel",
    "epoch_ms_to_datetime", "extract_error", "first_line",
    "FINISHED", "UNDER_WAY", "UNSUCCESSFUL", "ApiCallType", "ProcessStatus",
    "ProcessTriggerType", "ProcessType", "StepStatus",
]
