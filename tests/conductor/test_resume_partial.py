from console.services.actions import run_action
"""Conductor's resume is two calls (bulk/resume, then bulk/retry for the ones it refused): a
failure of the second must not hide what the first already did."""

import httpx

from console.backends.conductor.client import ConductorClient
from console.mock.conductor_app import create_conductor_app
from console.mock.faults import FaultPlan
from console.models import SearchQuery


async def test_a_failed_retry_call_keeps_the_resumed_ones_reported_done():
    plan = FaultPlan.parse("error_rate=1,paths=bulk/retry,errors=500")
    plan.enabled = False
    app = create_conductor_app(seed=7, executions=500, faults=plan)
    client = ConductorClient("http://mock/api", None, transport=httpx.ASGITransport(app=app))
    try:
        running = [str(p.process_id) for p in await client.search(
            SearchQuery(statuses=["RUNNING"], limit=1, start_time_epoch=0))]
        failed = [str(p.process_id) for p in await client.search(
            SearchQuery(statuses=["FAILED"], limit=1, start_time_epoch=0))]
        assert running and failed
        assert (await run_action(client, "pause", running)).succeeded == running

        plan.enabled = True
        outcome = await run_action(client, "resume", running + failed)
        plan.enabled = False

        assert outcome.succeeded == running
        assert outcome.failed == failed
        assert (await client.get_process(running[0])).status == "RUNNING"
        assert (await client.get_process(failed[0])).status == "FAILED"
    finally:
        await client.aclose()
