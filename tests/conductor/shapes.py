"""The answer shapes of Conductor OSS, written down from its source (conductor-oss/conductor,
``main`` as of 2026-11; paths below are in that repository), to check the mock against.

Each model is ``Shape(fields, always)``: ``fields`` maps every JSON field name the server can
write (the class's fields and public getters, its base classes' too) to its JSON type, and
``always`` names the fields it always writes: Java primitives (int, long, boolean) and the
fields the class initialises (``= new HashMap<>()``...). The server's ObjectMapper
(``common/.../config/ObjectMapperProvider.java``) uses ``JsonInclude.Include.NON_NULL``, so any
other field may be missing. JSON types: str, int, bool, dict, list, any.

A check (``problems``) says: a field the model does not have, a field of the wrong type, an
``always`` field missing, and, for nested models, the same one level down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_PY = {"str": str, "int": int, "bool": bool, "dict": dict, "list": list}


@dataclass(frozen=True)
class Shape:
    name: str
    source: str
    fields: dict[str, str]
    always: frozenset[str]
    #: field -> the Shape of each nested object (a dict) or of each item (a list).
    nested: dict[str, Shape] = field(default_factory=dict)

    def problems(self, value: Any, where: str = "") -> list[str]:
        where = where or self.name
        if not isinstance(value, dict):
            return [f"{where}: not a JSON object ({type(value).__name__})"]
        out = [f"{where}.{k}: not a field of {self.name} ({self.source})"
               for k in value if k not in self.fields]
        out += [f"{where}.{k}: always written by {self.name}, missing" for k in self.always
                if k not in value]
        for k, v in value.items():
            kind = self.fields.get(k)
            if kind in _PY and (not isinstance(v, _PY[kind]) or (kind == "int" and isinstance(v, bool))):
                out.append(f"{where}.{k}: {type(v).__name__}, {self.name} has {kind}")
            inner = self.nested.get(k)
            if inner is not None and isinstance(v, dict):
                out += inner.problems(v, f"{where}.{k}")
            elif inner is not None and isinstance(v, list):
                for i, item in enumerate(v[:50]):
                    out += inner.problems(item, f"{where}.{k}[{i}]")
        return out


def _shape(name: str, source: str, fields: str, always: str, **nested: Shape) -> Shape:
    """``fields``: "name:type name:type ..."; ``always``: "name name ..."."""
    parsed = dict(pair.split(":") for pair in fields.split())
    missing = set(always.split()) - set(parsed)
    assert not missing, f"{name}: always-fields without a type: {missing}"
    return Shape(name, source, parsed, frozenset(always.split()), nested)


COMMON = "common/src/main/java/com/netflix/conductor/common"
#: Auditable (``{COMMON}/metadata/Auditable.java``), the base of Workflow, WorkflowDef, TaskDef.
_AUDITABLE = "ownerApp:str createTime:int updateTime:int createdBy:str updatedBy:str"

WORKFLOW_TASK = _shape(
    "WorkflowTask", f"{COMMON}/metadata/workflow/WorkflowTask.java",
    "name:str taskReferenceName:str description:str inputParameters:dict type:str "
    "dynamicTaskNameParam:str caseValueParam:str caseExpression:str scriptExpression:str "
    "decisionCases:dict defaultCase:list forkTasks:list startDelay:int subWorkflowParam:dict "
    "joinOn:list sink:str optional:bool taskDefinition:dict rateLimited:bool "
    "defaultExclusiveJoinTask:list asyncComplete:bool loopCondition:str loopOver:list items:str "
    "retryCount:int evaluatorType:str expression:str onStateChange:dict joinStatus:str "
    "cacheConfig:dict permissive:bool joinMode:str metadata:dict dynamicForkTasksParam:str "
    "dynamicForkTasksInputParamName:str dynamicForkJoinTasksParam:str",
    "inputParameters type decisionCases defaultCase forkTasks startDelay joinOn optional "
    "defaultExclusiveJoinTask asyncComplete loopOver onStateChange permissive metadata")

WORKFLOW_DEF = _shape(
    "WorkflowDef", f"{COMMON}/metadata/workflow/WorkflowDef.java (+ BaseDef, Auditable)",
    _AUDITABLE + " accessPolicy:dict name:str description:str version:int tasks:list "
    "inputParameters:list outputParameters:dict failureWorkflow:str schemaVersion:int "
    "restartable:bool workflowStatusListenerEnabled:bool ownerEmail:str timeoutPolicy:str "
    "timeoutSeconds:int variables:dict inputTemplate:dict failureWorkflowVersion:int "
    "workflowStatusListenerSink:str rateLimitConfig:dict inputSchema:dict outputSchema:dict "
    "enforceSchema:bool metadata:dict cacheConfig:dict maskedFields:list",
    "accessPolicy version tasks inputParameters outputParameters schemaVersion restartable "
    "workflowStatusListenerEnabled timeoutPolicy timeoutSeconds variables inputTemplate "
    "enforceSchema metadata maskedFields",
    tasks=WORKFLOW_TASK)

TASK_DEF = _shape(
    "TaskDef", f"{COMMON}/metadata/tasks/TaskDef.java (+ BaseDef, Auditable)",
    _AUDITABLE + " accessPolicy:dict name:str description:str retryCount:int timeoutSeconds:int "
    "inputKeys:list outputKeys:list runtimeMetadata:list timeoutPolicy:str retryLogic:str "
    "retryDelaySeconds:int responseTimeoutSeconds:int concurrentExecLimit:int inputTemplate:dict "
    "rateLimitPerFrequency:int rateLimitFrequencyInSeconds:int isolationGroupId:str "
    "executionNameSpace:str ownerEmail:str pollTimeoutSeconds:int backoffScaleFactor:int "
    "maxRetryDelaySeconds:int backoffJitterMs:int baseType:str totalTimeoutSeconds:int "
    "taskStatusListenerEnabled:bool inputSchema:dict outputSchema:dict enforceSchema:bool",
    "accessPolicy retryCount timeoutSeconds inputKeys outputKeys runtimeMetadata timeoutPolicy "
    "retryLogic retryDelaySeconds responseTimeoutSeconds inputTemplate backoffScaleFactor "
    "maxRetryDelaySeconds backoffJitterMs totalTimeoutSeconds taskStatusListenerEnabled "
    "enforceSchema")

TASK = _shape(
    "Task", f"{COMMON}/metadata/tasks/Task.java",
    "taskType:str status:str inputData:dict referenceTaskName:str retryCount:int seq:int "
    "correlationId:str pollCount:int taskDefName:str scheduledTime:int startTime:int endTime:int "
    "updateTime:int startDelayInSeconds:int retriedTaskId:str retried:bool executed:bool "
    "callbackFromWorker:bool responseTimeoutSeconds:int workflowInstanceId:str workflowType:str "
    "taskId:str reasonForIncompletion:str callbackAfterSeconds:int workerId:str outputData:dict "
    "workflowTask:dict domain:str inputMessage:dict outputMessage:dict rateLimitPerFrequency:int "
    "rateLimitFrequencyInSeconds:int externalInputPayloadStoragePath:str "
    "externalOutputPayloadStoragePath:str workflowPriority:int executionNameSpace:str "
    "isolationGroupId:str iteration:int subWorkflowId:str subworkflowChanged:bool "
    "firstStartTime:int executionMetadata:dict parentTaskId:str queueWaitTime:int "
    "loopOverTask:bool taskDefinition:dict runtimeMetadata:dict",
    "inputData retryCount seq pollCount scheduledTime startTime endTime updateTime "
    "startDelayInSeconds retried executed callbackFromWorker responseTimeoutSeconds "
    "callbackAfterSeconds outputData rateLimitPerFrequency rateLimitFrequencyInSeconds "
    "workflowPriority iteration subworkflowChanged firstStartTime queueWaitTime loopOverTask "
    "runtimeMetadata",
    workflowTask=WORKFLOW_TASK)

WORKFLOW = _shape(
    "Workflow", f"{COMMON}/run/Workflow.java (+ Auditable)",
    _AUDITABLE + " status:str endTime:int workflowId:str parentWorkflowId:str "
    "parentWorkflowTaskId:str tasks:list input:dict output:dict correlationId:str "
    "reRunFromWorkflowId:str reasonForIncompletion:str event:str taskToDomain:dict "
    "failedReferenceTaskNames:list workflowDefinition:dict externalInputPayloadStoragePath:str "
    "externalOutputPayloadStoragePath:str priority:int variables:dict lastRetriedTime:int "
    "failedTaskNames:list history:list idempotencyKey:str rateLimitKey:str rateLimited:bool "
    "aggregateTokenUsage:dict startTime:int workflowName:str workflowVersion:int",
    "status endTime tasks input output taskToDomain failedReferenceTaskNames priority variables "
    "lastRetriedTime failedTaskNames history rateLimited startTime workflowName workflowVersion",
    tasks=TASK, workflowDefinition=WORKFLOW_DEF)

WORKFLOW_SUMMARY = _shape(
    "WorkflowSummary", f"{COMMON}/run/WorkflowSummary.java",
    "workflowType:str version:int workflowId:str correlationId:str startTime:str updateTime:str "
    "endTime:str status:str input:str output:str reasonForIncompletion:str executionTime:int "
    "event:str failedReferenceTaskNames:str externalInputPayloadStoragePath:str "
    "externalOutputPayloadStoragePath:str priority:int failedTaskNames:list createdBy:str "
    "taskToDomain:dict idempotencyKey:str parentWorkflowId:str classifier:str inputSize:int "
    "outputSize:int",
    "version executionTime failedReferenceTaskNames priority failedTaskNames taskToDomain "
    "parentWorkflowId inputSize outputSize")

WORKFLOW_STATUS = _shape(
    "WorkflowStatus", "common/src/main/java/org/conductoross/conductor/model/WorkflowStatus.java",
    "workflowId:str correlationId:str output:dict variables:dict status:str", "")

SEARCH_SUMMARIES = _shape("SearchResult<WorkflowSummary>", f"{COMMON}/run/SearchResult.java",
                          "totalHits:int results:list", "totalHits", results=WORKFLOW_SUMMARY)
SEARCH_WORKFLOWS = _shape("SearchResult<Workflow>", f"{COMMON}/run/SearchResult.java",
                          "totalHits:int results:list", "totalHits", results=WORKFLOW)
SEARCH_TASKS = _shape("SearchResult<Task>", f"{COMMON}/run/SearchResult.java",
                      "totalHits:int results:list", "totalHits", results=TASK)
BULK_RESPONSE = _shape(
    "BulkResponse", f"{COMMON}/model/BulkResponse.java",
    "bulkErrorResults:dict bulkSuccessfulResults:list message:str",
    "bulkErrorResults bulkSuccessfulResults message")
TASK_EXEC_LOG = _shape("TaskExecLog", f"{COMMON}/metadata/tasks/TaskExecLog.java",
                       "log:str taskId:str createdTime:int", "createdTime")
ERROR_RESPONSE = _shape(
    "ErrorResponse", f"{COMMON}/validation/ErrorResponse.java",
    "status:int code:str message:str instance:str retryable:bool validationErrors:list "
    "metadata:dict", "status retryable")
