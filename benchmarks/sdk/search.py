"""Official SDK: the FAILED executions of the last 24 h, 100 of them, printed as JSON.

Usage: python -m benchmarks.sdk.search PORT
"""

import sys

from benchmarks.sdk.common import client, print_json_and_exit

if __name__ == "__main__":
    from unmeshed.sdk.common.process_search_request import ProcessSearchRequest
    from unmeshed.sdk.common.unmeshed_constants import ProcessStatus

    c = client(int(sys.argv[1]))
    rows = c.search_process_executions(ProcessSearchRequest(statuses=[ProcessStatus.FAILED],
                                                            limit=100))
    print_json_and_exit(rows)
