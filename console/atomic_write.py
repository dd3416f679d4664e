"""Writing a private file atomically: a reader (or a crash) sees the old file or the new one,
never half of one. Used for every file meshdeck writes: the config file and the call history."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path``, readable by its owner only (mode 0600); returns the file written.

    The bytes go to a temp file in the same directory (``mkstemp`` creates it 0600), are fsynced,
    then ``os.replace`` puts it over ``path``. A symlink at ``path`` stays a symlink: its target is
    replaced. Missing parent directories are created (0700). OSError is the caller's to report;
    no temp file is left behind when it is raised."""
    target = path.resolve() if path.is_symlink() else path
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
