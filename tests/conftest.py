"""Fixtures for every test: nothing meshdeck writes for a person (the API call history, the
action journal) may land in the developer's real data folder or the mock's cache folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_data_folders(tmp_path_factory, monkeypatch):
    """``MESHDECK_DATA_DIR`` and the user cache folder (where ``--mock`` keeps its history and
    journal) point at temporary folders; a test may point them elsewhere again."""
    root = tmp_path_factory.mktemp("meshdeck-folders")
    monkeypatch.setenv("MESHDECK_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
    return root
