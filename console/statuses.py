"""The wire's enumerations, and the groups of process statuses meshdeck reasons with.

Enumerations are open sets (API.md): a newer server may send a value not listed, so models type
enum-valued fields ``str`` and these ``StrEnum`` classes only name the values we know; they compare
equal to plain strings (``ProcessStatus.FAILED == "FAILED"``).
"""

from __future__ import annotations

from enum import StrEnum


class ProcessStatus(StrEnum):
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    CANCELLED = "CANCELLED"
    TERMINATED = "TERMINATED"
    REVIEWED = "REVIEWED"


class StepStatus(StrEnum):
    PENDING = "PENDING"
    SCHEDULED = "SCHEDULED"
    RUNNING = "RUNNING"
    PAUSED = "PAUSED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    SKIPPED = "SKIPPED"
    CANCELLED = "CANCELLED"


class ProcessTriggerType(StrEnum):
    MANUAL = "MANUAL"
    SCHEDULED = "SCHEDULED"
    API_MAPPING = "API_MAPPING"
    WEBHOOK = "WEBHOOK"
    API = "API"
    SUB_PROCESS = "SUB_PROCESS"


class ProcessType(StrEnum):
    STANDARD = "STANDARD"
    DYNAMIC = "DYNAMIC"
    API_ORCHESTRATION = "API_ORCHESTRATION"
    INTERNAL = "INTERNAL"


class ApiCallType(StrEnum):
    SYNC = "SYNC"
    ASYNC = "ASYNC"
    STREAM = "STREAM"


# ---- groups of process statuses (Unmeshed's and Conductor's words) ----------------------------

#: Statuses after which an execution runs no more: its duration is final. REVIEWED is not one of
#: them: it is a finished failure someone looked at, and the review moved its ``updated``.
FINISHED = frozenset({"COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED", "CANCELLED"})
#: Finished without success (``run --sync`` exits 4 on these).
UNSUCCESSFUL = FINISHED - {"COMPLETED"}
#: Statuses of an execution still under way: a duration is only "so far".
UNDER_WAY = frozenset({"RUNNING", "PAUSED"})
