"""Saved views in the console (ctrl+s, the palette) and switching server (the palette's
profiles), with the header showing the host and the profile."""

from __future__ import annotations

import httpx
from textual.widgets import Input

from console.backends import registry
from console.config import load_settings
from console.services.views import View, list_views, load_view, save_view
from console.tui.dialogs.view_name import ViewNameDialog
from console.tui.screens.executions import ExecutionsScreen
from console.tui.widgets.banner import Banner
from console.tui.widgets.filter_bar import FilterBar

from .conftest import SIZE
from .oncall_scenarios import PROFILES


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def run_command(screen_or_app, name: str) -> None:
    [command] = [c for c in screen_or_app.palette_commands() if c.name == name]
    command.run()


# ---- saved views -----------------------------------------------------------------------------

async def test_ctrl_s_saves_filters_window_columns_and_sort(opened, wait_idle):
    async with opened(executions=300) as (pilot, screen):
        app = pilot.app
        await pilot.press("colon")
        screen.query_one("#q-input", Input).value = "status:FAILED name:push_notification"
        await pilot.press("enter")
        await wait_idle(pilot)
        await pilot.press("W")  # 1h
        await wait_idle(pilot)
        screen.toggle_column("correlation_id")
        screen.table.sort_by("started", reverse=True)
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ViewNameDialog)
        assert dialog.view.query == "status:FAILED name:push_notification"
        await pilot.press(*"bad name")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "a view name is 1 to 64 letters" in str(dialog.query_one("#view-note").render())
        dialog.query_one("#view-name", Input).value = "push-failing"
        await pilot.press("enter")
        await wait_idle(pilot)
        assert app.screen is screen
        view = load_view(None, "push-failing")
        assert view.query == "status:FAILED name:push_notification" and view.window == "1h"
        assert "correlation" not in view.columns and "id" in view.columns
        assert view.sort == "-started"
        assert any("meshdeck search --view push-failing" in n for n in notes(app))


async def test_a_saved_view_is_applied_from_the_palette(opened, wait_idle):
    save_view(None, View("slow-orders", 'status:RUNNING ns:orders text:"order"', "7d",
                         ("status", "name", "id", "started", "progress"), "-started"))
    async with opened(executions=300) as (pilot, screen):
        names = [c.name for c in screen.palette_commands()]
        assert "View: slow-orders" in names
        run_command(screen, "View: slow-orders")
        await wait_idle(pilot)
        bar = screen.query_one(FilterBar)
        assert bar.window == "7d" and screen.query_one("#f-namespace", Input).value == "orders"
        assert screen.query_one("#f-text", Input).value == "order"
        assert screen.facets.selected == {"RUNNING"}
        assert screen.filters.statuses == ["RUNNING"] and screen.filters.namespace == "orders"
        assert screen.table.hidden == {"namespace", "correlation_id", "trigger", "duration",
                                       "steps", "error"}
        assert screen.table.sort_column == "started" and screen.table.sort_reverse
        assert all(r.status == "RUNNING" and r.namespace == "orders" for r in screen.table.rows)


async def test_a_view_this_server_cannot_search_is_refused_whole(opened, wait_idle):
    save_view(None, View("odd", "status:NOPE"))
    async with opened(executions=100) as (pilot, screen):
        before = screen.filters
        run_command(screen, "View: odd")
        await wait_idle(pilot)
        assert screen.filters == before
        assert any("status NOPE" in n for n in notes(pilot.app))


async def test_a_views_file_that_cannot_be_read_is_said(opened, wait_idle, isolated_config):
    (isolated_config.parent / "views.toml").write_text("[profiles\n")
    async with opened(executions=50) as (pilot, screen):
        [entry] = [c for c in screen.palette_commands() if c.name.startswith("View")]
        assert entry.name == "Views: cannot be read" and "views.toml" in entry.help
        assert list_views  # the service is what refused
        entry.run()  # choosing it says why (it ran after the error was unbound)
        await wait_idle(pilot)
        assert any("views.toml" in n for n in notes(pilot.app))


# ---- switching server ------------------------------------------------------------------------


async def test_a_config_file_that_cannot_be_read_is_said_in_the_server_list(
        make_app, wait_idle, isolated_config):
    app = make_app(executions=50)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        isolated_config.write_text("[profiles\n")  # broken while the console runs
        [entry] = [c for c in app.palette_commands() if c.name.startswith("Server")]
        assert entry.name == "Server: cannot list the profiles"
        entry.run()  # choosing it says why (it ran after the error was unbound)
        await wait_idle(pilot)
        assert any(str(isolated_config.name) in n for n in notes(app))


def connector(mock_app, opened_backends):
    """Like the CLI's: a profile's settings and a backend for them (here always answered by
    the mock, whatever the host)."""

    def connect(name: str):
        settings = load_settings(name)
        backend = registry.kind(settings.backend).client_class().from_settings(
            settings, transport=httpx.ASGITransport(app=mock_app))
        opened_backends.append(backend)
        return backend, settings

    return connect


async def test_the_palette_lists_the_profiles_and_switching_reconnects(
        make_app, wait_idle, isolated_config):
    isolated_config.write_text(PROFILES)
    app = make_app(executions=200)
    opened_backends: list = []
    app.connect = connector(app.mock_app, opened_backends)
    old_backend = app.backend
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        first = app.screen
        assert app.server_label == "mock"
        names = {c.name: c for c in app.palette_commands()}
        assert "reconnect to staging.example.com with profile staging (read-only)" \
            == names["Server: staging"].help
        assert "orch.example.com" in names["Server: prod"].help
        names["Server: staging"].run()
        await wait_idle(pilot)
        assert app.backend is opened_backends[0] and app.backend is not old_backend
        assert old_backend.http._http.is_closed
        assert app.server_label == "staging.example.com:8080 · profile staging"
        assert app.read_only and app.settings.profile == "staging"
        screen = app.screen
        assert isinstance(screen, ExecutionsScreen) and screen is not first
        assert screen.table.rows  # searched again, on the new server
        assert [str(b.render()).strip() for b in screen.query(Banner)] == \
            ["STAGING (read-only)"]
        assert any("now on staging.example.com:8080 · profile staging (read-only)" in n
                   for n in notes(app))
        assert "staging.example.com:8080" in str(app.format_title("Executions", ""))


async def test_a_profile_that_cannot_be_opened_leaves_the_app_as_it_was(
        make_app, wait_idle, isolated_config):
    isolated_config.write_text(PROFILES)
    app = make_app(executions=50)

    def refuse(name):
        raise ValueError(f"profile {name}: no token")

    app.connect = refuse
    backend = app.backend
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        run_command(app, "Server: prod")
        await wait_idle(pilot)
        assert app.backend is backend and app.server_label == "mock"
        assert any("cannot open profile prod" in n and "no token" in n for n in notes(app))


async def test_an_env_only_connection_shows_its_host(make_app, wait_idle, monkeypatch):
    """No profile, the server from UNMESHED_BASE_URL / UNMESHED_PORT: the header still says
    which server this is."""
    from console.mock.app import create_app

    monkeypatch.setenv("UNMESHED_BASE_URL", "http://orch.internal")
    monkeypatch.setenv("UNMESHED_PORT", "9090")
    monkeypatch.setenv("UNMESHED_CLIENT_ID", "ops")
    monkeypatch.setenv("UNMESHED_AUTH_TOKEN", "t")
    settings = load_settings()
    assert settings.profile is None and settings.source["base_url"] == "env"
    backend = registry.kind("unmeshed").client_class().from_settings(
        settings, transport=httpx.ASGITransport(app=create_app(seed=7, executions=20)))
    app = make_app(settings=settings, backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert app.server_label == "orch.internal:9090"
        assert "@ orch.internal:9090" in str(app.format_title("Executions", ""))
