"""Official SDK: ``get_process_data(id, include_steps=True)`` for each id on stdin, one after
another (the SDK is synchronous), printed as one JSON list.

Usage: python -m benchmarks.sdk.get_steps PORT < ids
"""

import sys

from benchmarks.sdk.common import client, print_json_and_exit

if __name__ == "__main__":
    c = client(int(sys.argv[1]))
    ids = sys.stdin.read().split()
    print_json_and_exit([c.get_process_data(int(i), include_steps=True) for i in ids])
