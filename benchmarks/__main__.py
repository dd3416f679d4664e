"""``python -m benchmarks``: every measurement of issue 7, one table, in a few minutes.

Options: ``--only 1,4`` (item numbers), ``--quick`` (fewer repetitions), ``--markdown FILE``
(also write the table as Markdown, for benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from benchmarks import (bulk_action, cli_oneshot, get_steps, mock_search, mock_start, tui_start,
                        tui_table)
from benchmarks.harness import log, table

#: item -> (module, full repetitions, quick repetitions)
ITEMS = {
    "1": (cli_oneshot, 9, 3),
    "2": (tui_start, 7, 3),
    "3": (tui_table, 3, 1),
    "4": (get_steps, 3, 1),
    "5": (bulk_action, 3, 1),
    "6": (mock_search, 30, 10),
    "7": (mock_start, 3, 1),
}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    return (f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated item numbers (1-7)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    args = parser.parse_args(argv)
    chosen = [i for i in ITEMS if not args.only or i in args.only.split(",")]
    results = []
    started = time.perf_counter()
    for item in chosen:
        module, full, quick = ITEMS[item]
        log(f"[{item}] {module.__name__} ...")
        t = time.perf_counter()
        results.extend(module.run(quick if args.quick else full))
        log(f"[{item}] done in {time.perf_counter() - t:.1f} s")
    text = table(results)
    print(f"meshdeck benchmarks on {machine()}; {time.perf_counter() - started:.0f} s in all\n")
    print(text)
    notes = [f"  [{r.item}] {r.name.strip()}: {r.note}" for r in results if r.note]
    if notes:
        print("\nnotes:\n" + "\n".join(notes))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(f"Machine: {machine()}\n\n{table(results, markdown=True)}\n")
            if notes:
                f.write("\n" + "\n".join(n.strip() for n in notes) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
