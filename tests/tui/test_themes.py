"""Theme files, choosing a theme (palette, --theme, profile) and remembering it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from console.config import load_file, save_profile
from console.tui.themes import SHIPPED, ThemeFileError, find_themes, parse_theme

from .conftest import SIZE

REPO_THEMES = Path(__file__).resolve().parents[2] / "themes"


def test_every_shipped_theme_file_loads():
    found = find_themes([REPO_THEMES])
    assert set(SHIPPED) <= set(found.themes) and not found.problems
    assert found.themes["meshdeck-light"].dark is False
    assert found.themes["meshdeck-high-contrast"].background == "#000000"


def test_the_default_search_finds_the_repo_themes():
    assert set(SHIPPED) <= set(find_themes().themes)


@pytest.mark.parametrize("text, expected", [
    ("name = 'x'\n[colors]\nprimary = 'nope'", "x.toml"),
    ("[colors]\nprimary = '#fff'", "needs name"),
    ("name = 'x'", "[colors]"),
    ("name = 'x'\n[colors]\nprimary = '#fff'\npurple = '#fff'", "unknown colour purple"),
    ("name = = ", "not valid TOML"),
])
def test_bad_theme_files_are_one_line_problems(text, expected):
    with pytest.raises(ThemeFileError) as info:
        parse_theme(text, "x.toml")
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_user_themes_come_first_and_bad_ones_are_skipped(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "a.toml").write_text("name = 'meshdeck-dark'\n[colors]\nprimary = '#123456'\n")
    (mine / "b.toml").write_text("name = 'broken'\n[colors]\nprimary = 'not a colour'\n")
    found = find_themes([mine, REPO_THEMES])
    assert found.themes["meshdeck-dark"].primary == "#123456"
    assert "broken" not in found.themes and len(found.problems) == 1


async def test_switch_theme_from_the_palette_is_remembered(make_app, wait_idle,
                                                           isolated_config):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert app.theme != "meshdeck-light"
        command = next(c for c in app.palette_commands() if c.name == "Theme: meshdeck-light")
        command.run()
        await wait_idle(pilot)
        assert app.theme == "meshdeck-light"
        assert any("remembered" in n.message for n in app._notifications)
    assert tomllib.loads(isolated_config.read_text())["theme"] == "meshdeck-light"
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert again.theme == "meshdeck-light"


async def test_palette_search_finds_themes_and_sections(make_app, wait_idle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.press("ctrl+p")
        await wait_idle(pilot)
        await pilot.press(*"production")
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_idle(pilot)
        assert app.theme == "meshdeck-production"
        await pilot.press("ctrl+p")
        await pilot.press(*"go to definitions")
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_idle(pilot)
        assert app.current_mode == "definitions"


async def test_profile_theme_is_used_and_a_new_choice_saved_in_the_profile(make_app, wait_idle,
                                                                            isolated_config):
    save_profile("prod", {"base_url": "https://x.example", "theme": "meshdeck-production"},
                 isolated_config)
    app = make_app(settings=make_settings_for("prod"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert app.theme == "meshdeck-production"
        app.set_theme("meshdeck-high-contrast")
        await wait_idle(pilot)
    data = load_file(isolated_config)
    assert data["profiles"]["prod"]["theme"] == "meshdeck-high-contrast"
    assert "theme" not in data  # the profile's, not the top-level one


def make_settings_for(profile: str):
    from console.config import load_settings

    return load_settings(profile, {"client_id": "meshdeck-test", "token": "test-token"})


async def test_theme_flag_is_a_one_off_and_an_unknown_name_warns(make_app, wait_idle,
                                                                isolated_config):
    app = make_app(theme="meshdeck-high-contrast")
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert app.theme == "meshdeck-high-contrast"
    assert not isolated_config.exists()
    app = make_app(theme="no-such-theme")
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert any("no theme named 'no-such-theme'" in n.message for n in app._notifications)


def test_cli_theme_and_mock_options_reach_the_tui(monkeypatch):
    from typer.testing import CliRunner

    import console.tui.app as tui_app
    from console.cli.main import app

    seen = {}

    def fake_run_tui(backend, settings, theme=None, *, mock=False, connect=None):
        seen["theme"], seen["mock"] = theme, mock
        assert callable(connect)  # the server switch opens other profiles through the CLI
        return 0

    monkeypatch.setattr(tui_app, "run_tui", fake_run_tui)
    from console.cli import common

    monkeypatch.setattr(common, "has_terminal", lambda: True)
    result = CliRunner().invoke(app, ["--mock", "--theme", "meshdeck-light"])
    assert result.exit_code == 0, result.output
    assert seen == {"theme": "meshdeck-light", "mock": True}
    result = CliRunner().invoke(app, ["tui", "--mock", "--theme", "meshdeck-dark"])
    assert result.exit_code == 0 and seen == {"theme": "meshdeck-dark", "mock": True}


def test_remember_theme_keeps_the_users_comments_and_order(isolated_config):
    """Picking a theme edits one key: the user's comments, key order and mode 0600 survive."""
    import stat

    from console.tui.themes import remember_theme

    text = ('# my meshdeck\nbanner_note = "kept"  # unknown key, kept\n\n'
            '# production\n[profiles.prod]\ntheme = "nord"  # mine\nbase_url = "https://x.example"\n')
    isolated_config.write_text(text)
    isolated_config.chmod(0o644)
    assert remember_theme("prod", "meshdeck-light") == "profile prod"
    assert isolated_config.read_text() == text.replace('"nord"', '"meshdeck-light"')
    assert stat.S_IMODE(isolated_config.stat().st_mode) == 0o600
    assert remember_theme(None, "meshdeck-dark") == "the config file"
    assert isolated_config.read_text() == text.replace('"nord"', '"meshdeck-light"').replace(
        "kept\n\n", 'kept\ntheme = "meshdeck-dark"\n\n')
