"""Parent and child processes (``Backend.child_of`` / ``parent_of``): Conductor links both ways
(a SUB_WORKFLOW task's ``subWorkflowId``, a sub-workflow's ``parentWorkflowId``), read from what
the Conductor-dialect mock answers over HTTP; Unmeshed reads a SUB_PROCESS step's output
``processId`` (a choice) and says it cannot link a child to its parent."""

from __future__ import annotations

import pytest

from console.backends.base import Unsupported
from console.backends.unmeshed import UnmeshedClient
from console.config import load_settings
from console.connect import open_backend
from console.mock.clock import FROZEN_NOW_MS, FakeClock
from console.mock.conductor_app import create_conductor_app
from console.models import ProcessData, SearchQuery, StepData


async def test_conductor_links_a_sub_workflow_both_ways():
    settings = load_settings(overrides={"backend": "conductor"}, env={})
    backend = open_backend(settings, mock_app=create_conductor_app(
        seed=7, executions=120, clock=FakeClock(FROZEN_NOW_MS)))
    assert backend.IMPLEMENTS_CHILD_LINK and backend.IMPLEMENTS_PARENT_LINK
    rows = await backend.search(SearchQuery(limit=120, start_time_epoch=FROZEN_NOW_MS
                                            - 7 * 86_400_000))
    for row in rows:
        parent = await backend.get_process(str(row.process_id), include_steps=True)
        linked = [(s, backend.child_of(s)) for s in parent.step_records or []]
        linked = [(s, child) for s, child in linked if child]
        if linked:
            break
    else:
        pytest.fail("no workflow of the mock started a sub-workflow")
    step, child_id = linked[0]
    assert step.type == "SUB_WORKFLOW"
    child = await backend.get_process(child_id, include_steps=True)
    assert backend.parent_of(child) == str(parent.process_id)
    assert backend.parent_of(parent) is None  # nothing started the parent
    assert all(backend.child_of(s) is None for s in parent.step_records or []
               if s.type != "SUB_WORKFLOW")


def test_unmeshed_reads_a_sub_process_steps_output_and_says_it_has_no_parent_link():
    sub = StepData(ref="charge", type="SUB_PROCESS", output={"processId": 1000042})
    assert UnmeshedClient.child_of(sub) == "1000042"
    assert UnmeshedClient.child_of(StepData(ref="charge", type="SUB_PROCESS", output={})) is None
    assert UnmeshedClient.child_of(StepData(ref="http", type="HTTP",
                                            output={"processId": 7})) is None
    assert not UnmeshedClient.IMPLEMENTS_PARENT_LINK
    with pytest.raises(Unsupported, match="does not name the process that started it"):
        UnmeshedClient.parent_of(ProcessData(process_id=1, trigger_type="SUB_PROCESS"))
