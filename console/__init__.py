"""meshdeck: a terminal operations console for Unmeshed process orchestration."""

__version__ = "0.1.0"
