"""console.config_file: changing the file keeps the user's comments and key order, mode 0600.

Every test uses a tmp_path config file: the real user's config is never read or changed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from console.config import (
    ConfigError,
    load_file,
    save_profile,
    set_default_profile,
    set_profile_value,
    set_top_level_value,
)

# Profiles out of alphabetical order, keys out of the model's order, comments everywhere.
COMMENTED = """\
# meshdeck config: edited by hand
default_profile = "staging"  # the usual one

# Production: careful.
[profiles.prod]
port = 443  # behind the load balancer
base_url = "https://prod.example"
read_only = true

[profiles.staging]
# a comment inside the table
theme = "nord"
base_url = "http://staging"
"""


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED)
    path.chmod(0o644)
    return path


def assert_kept(path: Path, *fragments: str) -> None:
    """Every comment of COMMENTED is still there, each fragment too, in the order given."""
    text = path.read_text()
    for line in COMMENTED.splitlines():
        if "#" in line:
            assert "#" + line.split("#", 1)[1] in text, line
    positions = [text.index(f) for f in fragments]
    assert positions == sorted(positions), text
    if os.name != "nt":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_save_profile_keeps_comments_and_order(commented: Path) -> None:
    save_profile("prod", {"client_id": "ops", "read_only": None, "port": 8443}, commented)
    assert_kept(commented, "default_profile", "[profiles.prod]", "port = 8443  # behind the load balancer",
                'base_url = "https://prod.example"', 'client_id = "ops"', "[profiles.staging]",
                'theme = "nord"', 'base_url = "http://staging"')
    assert "read_only" not in commented.read_text()
    save_profile("dev", {"base_url": "http://dev", "port": 1234}, commented)
    assert_kept(commented, "[profiles.prod]", "[profiles.staging]", "[profiles.dev]")
    assert load_file(commented)["profiles"]["dev"] == {"base_url": "http://dev", "port": 1234}
    assert "[profiles]\n" not in commented.read_text()  # a new profile is one [profiles.NAME]


def test_set_default_profile_keeps_comments_and_order(commented: Path) -> None:
    set_default_profile("prod", commented)
    assert_kept(commented, 'default_profile = "prod"  # the usual one', "[profiles.prod]",
                "[profiles.staging]")
    assert commented.read_text() == COMMENTED.replace('"staging"  #', '"prod"  #')


def test_set_profile_value_replaces_in_place(commented: Path) -> None:
    set_profile_value("staging", "theme", "gruvbox", commented)
    assert commented.read_text() == COMMENTED.replace('"nord"', '"gruvbox"')


def test_a_new_top_level_key_goes_after_the_last_one_not_under_a_tables_comment(commented: Path) -> None:
    set_top_level_value("theme", "meshdeck-light", commented)
    usual = 'default_profile = "staging"  # the usual one\n'
    assert commented.read_text() == COMMENTED.replace(usual, usual + 'theme = "meshdeck-light"\n')
    set_top_level_value("theme", None, commented)
    assert commented.read_text() == COMMENTED


def test_a_new_key_goes_after_the_tables_last_key_not_under_the_next_tables_comment(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[profiles.a]\nport = 1\n\n# b: staging\n[profiles.b]\nport = 2\n')
    save_profile("a", {"theme": "t"}, path)
    assert path.read_text() == '[profiles.a]\nport = 1\ntheme = "t"\n\n# b: staging\n[profiles.b]\nport = 2\n'


def test_new_file_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    set_top_level_value("theme", "x", path)
    save_profile("a", {"port": 1}, path)
    set_default_profile("a", path)
    assert load_file(path) == {"theme": "x", "profiles": {"a": {"port": 1}}, "default_profile": "a"}


def test_inline_and_dotted_profiles_are_edited_where_they_are(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('profiles = { a = { port = 1 } }  # inline\n')
    save_profile("a", {"theme": "t"}, path)
    save_profile("b", {"port": 2}, path)
    assert load_file(path)["profiles"] == {"a": {"port": 1, "theme": "t"}, "b": {"port": 2}}
    assert "# inline" in path.read_text()
    path.write_text("profiles.a.port = 1  # dotted\n")
    set_profile_value("a", "theme", "t", path)
    assert path.read_text() == 'profiles.a.port = 1  # dotted\nprofiles.a.theme = "t"\n'


def test_a_wrong_value_or_a_broken_file_writes_nothing(commented: Path) -> None:
    with pytest.raises(ConfigError, match="cannot save profile 'prod', key 'timeout': expected a number"):
        save_profile("prod", {"client_id": "ops", "timeout": -1}, commented)
    with pytest.raises(ConfigError, match="cannot save 'backend': expected unmeshed or conductor"):
        set_top_level_value("backend", "zeebe", commented)
    assert commented.read_text() == COMMENTED
    commented.write_text(COMMENTED + "port = = 1\n")
    with pytest.raises(ConfigError, match=f"config file {commented}, line 14"):
        set_default_profile("prod", commented)
    assert commented.read_text().endswith("port = = 1\n")


def test_a_failed_write_is_a_one_line_error_and_keeps_the_file(commented: Path, monkeypatch) -> None:
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ConfigError) as err:
        set_default_profile("prod", commented)
    assert str(err.value) == f"config file {commented}: cannot write it: Permission denied"
    assert commented.read_text() == COMMENTED
    assert [p.name for p in commented.parent.iterdir()] == ["config.toml"]  # no temp file left
