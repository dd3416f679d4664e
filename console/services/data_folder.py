"""The data folder: where meshdeck keeps what it writes for you, the API call history and the
action journal. One function decides it, for the CLI and the TUI alike.

Where: ``$MESHDECK_DATA_DIR`` if set, else the profile's ``data_dir`` setting, else the
platform's user data folder (``~/.local/share/meshdeck`` on Linux).

With ``--mock`` (the embedded demo server) nothing is written there: the history and journal of
mock sessions go to ``<user cache folder>/meshdeck/mock`` (``~/.cache/meshdeck/mock`` on Linux),
kept between runs so a demo can be followed with ``meshdeck --mock journal``, and never mixed with
what was done to real servers. Deleting that folder loses nothing real.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs

DATA_DIR_ENV = "MESHDECK_DATA_DIR"


def data_folder(settings: Any = None, *, mock: bool = False,
                env: Mapping[str, str] | None = None) -> Path:
    """The folder for ``settings`` (a ``console.config.Settings``, or None for no profile);
    ``mock``: the session talks to the embedded mock (see the module docstring)."""
    if mock:
        return mock_data_folder()
    env = os.environ if env is None else env
    chosen = env.get(DATA_DIR_ENV, "").strip() or (settings.data_dir or "" if settings else "")
    return Path(chosen).expanduser() if chosen.strip() else platformdirs.user_data_path("meshdeck")


def mock_data_folder() -> Path:
    """Where mock sessions keep their history and journal (outside the real data folder)."""
    return platformdirs.user_cache_path("meshdeck") / "mock"
