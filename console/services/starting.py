"""Starting a process (``meshdeck run``, the TUI's run screen), journaled.

What the TUI uses: ``start_process(backend, request, sync=..., timeout=..., journal=app.journal)``
instead of calling ``run_async`` / ``run_sync`` itself, so every start lands in the journal.
"""

from __future__ import annotations

from console.backends.base import Backend
from console.models import ProcessData, ProcessRequest
from console.services.journal import Journal, recording_start


async def start_process(backend: Backend, request: ProcessRequest, *, sync: bool = False,
                        timeout: float | None = None, journal: Journal | None = None
                        ) -> ProcessData:
    """Start ``request`` (and with ``sync`` wait up to ``timeout`` s for it to end); never
    resent. The start is journaled with the new process id, or as failed or unknown."""
    target = f"{request.namespace}/{request.name}"
    with recording_start(journal, backend.base, "run", target) as entry:
        process = (await backend.run_sync(request, timeout=timeout) if sync
                   else await backend.run_async(request))
        entry.add_started(process.process_id)
    return process
