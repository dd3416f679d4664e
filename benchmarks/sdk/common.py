"""Make an official-SDK client for ``mock serve``; print results as JSON; end the process.

The SDK's client starts threads that keep the interpreter alive, so each script ends itself
with ``os._exit(0)`` right after flushing its output (the benchmark says so too).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import asdict, is_dataclass


def client(port: int):
    logging.disable(logging.WARNING)  # the SDK warns about disabled result submission
    from unmeshed.sdk.configs.client_config import ClientConfig
    from unmeshed.sdk.unmeshed_client import UnmeshedClient

    config = ClientConfig()
    config.set_client_id("bench")
    config.set_auth_token("bench-token")
    config.set_base_url("http://127.0.0.1")
    config.set_port(port)
    config.set_enable_results_submission(False)
    return UnmeshedClient(config)


def print_json_and_exit(items) -> None:
    from unmeshed.sdk.common.json_decorator import CustomJSONEncoder

    data = [asdict(i) if is_dataclass(i) else i for i in items]
    sys.stdout.write(json.dumps(data, indent=2, cls=CustomJSONEncoder, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()
    os._exit(0)
