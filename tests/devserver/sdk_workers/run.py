"""Run official-SDK workers against a mock until killed: ``python run.py PORT FORM``.

FORM is one of the SDK README's three worker forms, or a worker set a test needs:

- ``plain``: a function registered with ``register_worker`` (the README's ``test_worker``)
- ``async``: an ``async`` function registered the same way
- ``decorated``: ``@worker_function`` with ``worker_queue_names``, found by
  ``register_decorated_workers`` (decorated/greeter.py)
- ``flaky``: raises on its first three calls, then succeeds
- ``pipeline``: the workers of the shop/order_pipeline definition, in namespace shop

The client id and token come from MOCK_CLIENT_ID and MOCK_TOKEN. ``client.start()`` registers
the workers and polls every 50 ms (the SDK's poll_interval_millis).

No ``from __future__ import annotations`` here: the SDK converts a step's input to the type its
worker's parameter is annotated with, and needs that annotation to be the type, not a string.
"""

import asyncio
import os
import sys
from pathlib import Path

from unmeshed.sdk.apis.workers.worker import Worker
from unmeshed.sdk.configs.client_config import ClientConfig
from unmeshed.sdk.schedulers.step_result import StepResult
from unmeshed.sdk.unmeshed_client import UnmeshedClient

HERE = Path(__file__).resolve().parent


def test_worker(input_dict: dict) -> dict:
    """The SDK README's plain worker, for the seeded test_process's test_worker step."""
    return {"message": "Hello from the plain worker", "input_received": input_dict}


async def sample_async_function(input_dict: dict) -> dict:
    await asyncio.sleep(0.01)
    return {"message": "Hello from the async worker", "input_received": input_dict}


CALLS = {"flaky_step": 0, "slow_step": 0}


def flaky_step(input_dict: dict) -> dict:
    CALLS["flaky_step"] += 1
    if CALLS["flaky_step"] <= 3:
        raise RuntimeError(f"flaky_step failed on call {CALLS['flaky_step']}")
    return {"ok": True, "calls": CALLS["flaky_step"]}


def reserve_stock(input_dict: dict) -> dict:
    return {"reservation": f"res-{input_dict['orderId']}", "items": len(input_dict["items"])}


def charge_card(input_dict: dict) -> dict:
    return {"chargeId": f"ch-{input_dict['reservation']}", "amount": input_dict["amount"]}


def slow_step(input_dict: dict):
    """Keeps running on the first call: asks to be polled again after a second."""
    CALLS["slow_step"] += 1
    if CALLS["slow_step"] == 1:
        return StepResult(result={"progress": "half"}, keep_running=True, reschedule_after_seconds=1)
    return {"progress": "done", "calls": CALLS["slow_step"]}


def send_receipt(input_dict: dict) -> dict:
    return {"sent": f"receipt for {input_dict['chargeId']} to {input_dict['email']}"}


def main(port: int, form: str) -> None:
    config = ClientConfig(base_url="http://127.0.0.1", port=port,
                          client_id=os.environ["MOCK_CLIENT_ID"], auth_token=os.environ["MOCK_TOKEN"])
    config.set_poll_interval_millis(50)
    client = UnmeshedClient(config)
    if form == "plain":
        client.register_worker(Worker(execution_method=test_worker, name="test_worker",
                                      namespace="default", max_in_progress=10))
    elif form == "async":
        client.register_worker(Worker(execution_method=sample_async_function,
                                      name="sample_async_function", namespace="default",
                                      max_in_progress=100))
    elif form == "decorated":
        sys.path.insert(0, str(HERE / "decorated"))
        client.register_decorated_workers(str(HERE / "decorated"))
    elif form == "flaky":
        client.register_worker(Worker(execution_method=flaky_step, name="flaky_step"))
    elif form == "pipeline":
        for function in (reserve_stock, charge_card, slow_step, send_receipt):
            client.register_worker(Worker(execution_method=function, name=function.__name__,
                                          namespace="shop", max_in_progress=2))
    else:
        raise SystemExit(f"unknown form {form!r}")
    client.start()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
