"""``python -m benchmarks``: every measurement of issue 17 (items 1-8), each beside a reference
measured in the same run, in one table; item 8 (how cost grows) in a second one.

Options: ``--only 1,4`` (module keys below: 1 covers items 1 and 2, 7 the mock's start and
search; ``t`` is issue 7's table benchmark, not run by default), ``--quick`` (fewer
repetitions, no 1,000,000 mock), ``--markdown FILE`` (also write the tables as Markdown, for
benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from benchmarks import (cli_oneshot, get_steps, mock_search, mock_start, status_checks,
                        tui_load_all, tui_start, tui_table)
from benchmarks.harness import log, table

#: key -> (modules, full repetitions, quick repetitions)
ITEMS = {
    "1": ((cli_oneshot,), 9, 3),
    "3": ((get_steps,), 3, 1),
    "4": ((status_checks,), 3, 1),
    "5": ((tui_load_all,), 3, 1),
    "6": ((tui_start,), 7, 3),
    "7": ((mock_start, mock_search), 3, 1),
    "t": ((tui_table,), 3, 1),
}
DEFAULT = ("1", "3", "4", "5", "6", "7")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    return (f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated keys (1, 3, 4, 5, 6, 7, t)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    args = parser.parse_args(argv)
    chosen = [i for i in ITEMS if i in args.only.split(",")] if args.only else list(DEFAULT)
    results = []
    started = time.perf_counter()
    load = os.getloadavg()
    for item in chosen:
        modules, full, quick = ITEMS[item]
        for module in modules:
            log(f"[{item}] {module.__name__} ...")
            t = time.perf_counter()
            if args.quick and module is mock_search:
                results.extend(module.run(quick * 10, big=0))
            else:
                results.extend(module.run(quick if args.quick else full))
            log(f"[{item}] done in {time.perf_counter() - t:.1f} s")
    main_rows = [r for r in results if r.item != "8"]
    growth = [r for r in results if r.item == "8"]
    load = f"load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    print(f"meshdeck benchmarks on {machine()}; {time.perf_counter() - started:.0f} s in all; "
          f"{load}\n")
    print(table(main_rows))
    if growth:
        print("\nitem 8, how cost grows:\n" + table(growth))
    notes = [f"  [{r.item}] {r.name.strip()}: {r.note}" for r in results if r.note]
    if notes:
        print("\nnotes:\n" + "\n".join(notes))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(f"Machine: {machine()}; {load}\n\n{table(main_rows, markdown=True)}\n")
            if growth:
                f.write(f"\nItem 8, how cost grows:\n\n{table(growth, markdown=True)}\n")
            if notes:
                f.write("\n" + "\n".join(n.strip() for n in notes) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
