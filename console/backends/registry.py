"""The kinds of backend meshdeck can open, by the name a profile or ``--backend`` gives.

A kind names its client class, its dialect of the embedded mock and its defaults, as import
paths loaded only when used: reading this table imports nothing heavy, and a backend module
never imports the mock (the composition root, ``console.connect``, joins them).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.backends.base import Backend


@dataclass(frozen=True)
class BackendKind:
    """One kind of server."""

    name: str
    #: ``module:Class`` of its ``Backend``.
    client: str
    #: ``module:factory`` of its dialect of the embedded mock server (an ASGI app factory).
    mock_app: str
    #: The base URL requests go to when the mock is mounted in process.
    mock_base_url: str
    #: One line for ``--help`` and docs.
    summary: str

    def client_class(self) -> type[Backend]:
        return _load(self.client)

    def mock_factory(self) -> Any:
        return _load(self.mock_app)


KINDS: dict[str, BackendKind] = {k.name: k for k in (
    BackendKind("unmeshed", "console.backends.unmeshed:UnmeshedClient",
                "console.mock.app:create_app", "http://mock", "Unmeshed"),
    BackendKind("conductor", "console.backends.conductor.client:ConductorClient",
                "console.mock.conductor_app:create_conductor_app", "http://mock/api",
                "Conductor OSS or Orkes Conductor"),
)}
#: The names a profile's ``backend`` (and ``--backend``) may take.
NAMES: tuple[str, ...] = tuple(KINDS)
DEFAULT = "unmeshed"


def kind(name: str | None) -> BackendKind:
    """The kind called ``name`` (None: the default); ``ValueError`` lists the known ones."""
    key = (name or DEFAULT).strip().lower()
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"unknown backend {name!r}: use {' or '.join(NAMES)}") from None


def _load(path: str) -> Any:
    module, _, attr = path.partition(":")
    return getattr(import_module(module), attr)
