"""The servers meshdeck talks to: the abstract contract (``base``), the one HTTP transport
(``http``), each kind of backend (``unmeshed``, ``conductor/``) and the registry of kinds."""
