"""The TUI test fixtures (isolated config, frozen clock), reused for the Conductor snapshot."""

from tests.tui.conftest import clock, isolated_config, make_app, wait_idle  # noqa: F401
