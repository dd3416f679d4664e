"""Write the TUI screens as SVGs into screenshots/ (same setup as the snapshot tests).

    python screenshots/make.py            # every screen
    python screenshots/make.py confirm    # just one

Seeded mock data and a frozen clock: the pictures only change when the screens do.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
# Never the user's own config (a remembered theme) or data dir (the API call history).
_SCRATCH = tempfile.mkdtemp(prefix="meshdeck-shots-")
os.environ["MESHDECK_CONFIG"] = os.path.join(_SCRATCH, "config.toml")
os.environ["MESHDECK_DATA_DIR"] = os.path.join(_SCRATCH, "data")

from tests.tui.scenarios import SCENARIOS, SIZE, build_app  # noqa: E402

#: Scenarios other modules add (e.g. the detail screen's), name -> (scenario, app kwargs).
EXTRA_MODULES = ("tests.tui.detail_scenarios", "tests.tui.part2_scenarios",
                 "tests.tui.oncall_scenarios")


def all_scenarios() -> dict:
    found = dict(SCENARIOS)
    for name in EXTRA_MODULES:
        try:
            module = __import__(name, fromlist=["SCENARIOS"])
        except ImportError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
            continue
        found.update(getattr(module, "SCENARIOS", {}))
    return found


async def shoot(name: str, scenario, kwargs: dict) -> Path:
    os.environ["MESHDECK_DATA_DIR"] = os.path.join(_SCRATCH, name)  # no history from another
    app = build_app(**kwargs)
    async with app.run_test(size=SIZE) as pilot:
        await scenario(pilot)
        path = app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    return Path(path)


def main(names: list[str]) -> int:
    scenarios = all_scenarios()
    unknown = [n for n in names if n not in scenarios]
    if unknown:
        print(f"no screen named {', '.join(unknown)}; known: {', '.join(scenarios)}",
              file=sys.stderr)
        return 2
    for name in names or list(scenarios):
        scenario, kwargs = scenarios[name]
        print(asyncio.run(shoot(name, scenario, kwargs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
