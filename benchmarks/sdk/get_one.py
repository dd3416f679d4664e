"""Official SDK: ``get_process_data(id)`` of one id (no steps), printed as JSON.

Usage: python -m benchmarks.sdk.get_one PORT ID
"""

import sys

from benchmarks.sdk.common import client, print_json_and_exit

if __name__ == "__main__":
    c = client(int(sys.argv[1]))
    print_json_and_exit([c.get_process_data(int(sys.argv[2]))])
