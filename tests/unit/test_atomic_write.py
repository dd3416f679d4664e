"""console.atomic_write: the one way meshdeck writes a file (config and call history)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from console.atomic_write import write_private
from console.services import api_calls
from console.services.api_calls import CallSpec

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes and symlinks")


@posix_only
def test_replaces_a_readable_file_with_a_private_one(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"old")
    path.chmod(0o644)
    assert write_private(path, b"new") == path
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


@posix_only
def test_creates_private_parent_dirs(tmp_path: Path) -> None:
    write_private(tmp_path / "a" / "b" / "f", b"x")
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) & 0o077 == 0


def test_the_bytes_are_synced_before_the_rename(tmp_path: Path, monkeypatch) -> None:
    order: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (order.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (order.append("replace"), real_replace(a, b))[1])
    write_private(tmp_path / "f", b"x")
    assert order == ["fsync", "replace"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"old")

    def broken(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError, match="No space left"):
        write_private(path, b"new")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["f"]


@posix_only
def test_a_symlinked_file_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "config.toml"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    write_private(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_the_call_history_is_written_through_it(tmp_path: Path, monkeypatch) -> None:
    """No second copy of the temp-file logic: the history goes through write_private."""
    monkeypatch.setenv("MESHDECK_DATA_DIR", str(tmp_path))
    written: list[Path] = []
    monkeypatch.setattr(api_calls, "write_private", lambda path, data: written.append(path))
    path = api_calls.save_history("prod", [CallSpec("orders/submit")])
    assert written == [path] == [tmp_path / "history" / "prod.json"]


@posix_only
def test_the_call_history_is_private_and_a_failure_keeps_the_old_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MESHDECK_DATA_DIR", str(tmp_path))
    path = api_calls.save_history("prod", [CallSpec("orders/submit")])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setattr(os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(13, "denied")))
    with pytest.raises(OSError):
        api_calls.save_history("prod", [CallSpec("other")])
    assert [c.endpoint for c in api_calls.load_history("prod")] == ["orders/submit"]
    assert [p.name for p in path.parent.iterdir()] == ["prod.json"]
