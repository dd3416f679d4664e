"""Official SDK: the FAILED executions of the last 24 h, 100 of them, printed as JSON; or with a
limit and a start (``LIMIT SINCE_MS``), every execution since then, up to the limit.

Usage: python -m benchmarks.sdk.search PORT [LIMIT SINCE_MS]
"""

import sys

from benchmarks.sdk.common import client, print_json_and_exit

if __name__ == "__main__":
    from unmeshed.sdk.common.process_search_request import ProcessSearchRequest
    from unmeshed.sdk.common.unmeshed_constants import ProcessStatus

    c = client(int(sys.argv[1]))
    if len(sys.argv) > 2:
        request = ProcessSearchRequest(limit=int(sys.argv[2]), startTimeEpoch=int(sys.argv[3]))
    else:
        request = ProcessSearchRequest(statuses=[ProcessStatus.FAILED], limit=100)
    print_json_and_exit(c.search_process_executions(request))
