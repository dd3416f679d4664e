"""The optional half of the backend contract: each feature raises ``Unsupported`` (naming the
cause, from the backend's ``UNSUPPORTED``) unless a backend implements it and sets the matching
``IMPLEMENTS_*`` flag of ``console.backends.base.Backend``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from console import errors
from console.remote_files import FileEntry, FileListing

if TYPE_CHECKING:
    from console.models import ProcessData, ProcessDefinition, StepData

#: Process ids as every layer above a backend holds them: text (Unmeshed's are digits,
#: Conductor's are UUIDs). Models keep the wire's own type.
ProcessId = str


class Unsupported(errors.BadRequest):
    """The backend has no such feature, or cannot honour a filter (the message says what to do
    instead). Nothing was sent: like a usage error, it exits 2 on the command line."""

    exit_code = 2


class OptionalFeatures:
    """Defaults of the optional features (``Backend`` inherits them; see its flags)."""

    KIND: ClassVar[str]
    UNSUPPORTED: ClassVar[Mapping[str, str]]

    @classmethod
    def _lacks(cls, feature: str, what: str) -> Unsupported:
        return Unsupported(cls.UNSUPPORTED.get(feature) or f"the {cls.KIND} backend cannot {what}")

    # ---- operator features -----------------------------------------------------------------

    async def skip_step(self, process_id: ProcessId, ref: str, *,
                        step_input: dict[str, Any] | None = None,
                        step_output: dict[str, Any] | None = None) -> None:
        """Skip the step ``ref`` of a running execution before it starts (see
        ``IMPLEMENTS_SKIP_STEP``): it ends SKIPPED with ``step_output`` and the execution goes
        on. ``BadRequest`` when the server refuses (not running, already started, no such
        ref). Never resent."""
        raise self._lacks("skip", "skip a step")

    async def rerun_from_step(self, process_id: ProcessId, step_id: str,
                              step_input: dict[str, Any] | None = None) -> ProcessData:
        """Run a finished execution again from its step ``step_id`` (with ``step_input`` as that
        step's input when given); the steps before it keep their results. The answer is the
        execution as it runs again. Never resent: a lost answer is ``OutcomeUnknown``."""
        raise self._lacks("rerun_from", "rerun from a step")

    async def correlated(self, name: str, correlation_id: str, include_finished: bool = False
                         ) -> list[ProcessData]:
        """The executions of definition ``name`` with ``correlation_id``, newest first: only the
        running ones unless ``include_finished`` (see ``IMPLEMENTS_CORRELATED``)."""
        raise self._lacks("correlated", "list the executions of a correlation id")

    async def running_ids(self, name: str, version: int | None = None) -> list[ProcessId]:
        """The ids of definition ``name``'s unfinished executions (of ``version``; None: every
        version). See ``IMPLEMENTS_RUNNING_IDS``."""
        raise self._lacks("running", "list the running ids of a definition")

    # ---- parent and child processes --------------------------------------------------------

    @classmethod
    def child_of(cls, step: StepData) -> ProcessId | None:
        """The process ``step`` started as a sub-process (None: this step names none; see
        ``IMPLEMENTS_CHILD_LINK``). Read from the step as fetched: nothing is sent."""
        raise cls._lacks("child", "say which process a step started")

    @classmethod
    def parent_of(cls, process: ProcessData) -> ProcessId | None:
        """The process that started ``process`` as a sub-process (None: none did; see
        ``IMPLEMENTS_PARENT_LINK``). Read from the process as fetched: nothing is sent."""
        raise cls._lacks("parent", "say which process started another")

    # ---- definitions as code ----------------------------------------------------------------

    async def create_definition(self, doc: dict[str, Any]) -> ProcessDefinition:
        """Create a definition from ``doc`` (a wire-shaped ProcessDefinition); the stored one
        back (see ``IMPLEMENTS_DEFINITION_WRITES``). Never resent."""
        raise self._lacks("definition writes", "write definitions")

    async def update_definition(self, doc: dict[str, Any]) -> ProcessDefinition:
        """Write ``doc`` as the version it names (a version the server lacks is added). Never
        resent."""
        raise self._lacks("definition writes", "write definitions")

    async def upsert_definitions(self, docs: list[dict[str, Any]]) -> list[ProcessDefinition]:
        """Create or update many definitions in one request (see
        ``IMPLEMENTS_DEFINITION_BULK_UPSERT``); the stored ones back. Never resent."""
        raise self._lacks("definition writes", "write definitions in bulk")

    async def delete_definition(self, namespace: str, name: str, version: int | None = None,
                                version_only: bool = False) -> None:
        """Delete a definition (every version), or with ``version_only`` only ``version``."""
        raise self._lacks("definition writes", "delete definitions")

    async def upsert_schedules(self, docs: list[dict[str, Any]]) -> Any:
        """Create or update schedules, each sent as given (see ``IMPLEMENTS_SCHEDULES``)."""
        raise self._lacks("schedules", "write schedules")

    async def resume_with_version(self, process_id: ProcessId, version: int) -> None:
        """Resume a stopped execution on definition ``version`` (see
        ``IMPLEMENTS_RESUME_WITH_VERSION``). Never resent: a lost answer is ``OutcomeUnknown``."""
        raise self._lacks("resume_version", "resume on another definition version")

    # ---- files (optional) ------------------------------------------------------------------

    async def list_files(self, path: str) -> FileListing:
        """The entries of a folder of the server's file store (see ``IMPLEMENTS_FILES``)."""
        raise self._lacks("files", "store files")

    async def upload_file(self, folder: str, name: str, data: bytes) -> FileEntry:
        """Store ``data`` as ``folder/name`` (the folder must exist). Never resent."""
        raise self._lacks("files", "store files")

    async def create_folder(self, path: str) -> None:
        """Create a folder (and the missing ones above it, where the server does)."""
        raise self._lacks("files", "store files")

    async def download_file(self, path: str) -> bytes:
        """The bytes of one stored file. ``NotFound`` if none."""
        raise self._lacks("files", "store files")

    async def delete_file(self, path: str) -> None:
        """Delete one stored file or folder. Never resent."""
        raise self._lacks("files", "store files")
