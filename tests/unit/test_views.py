"""Saved views (console.services.views): per profile, in their own 0600 file, comments kept."""

from __future__ import annotations

import stat

import pytest

from console.services.views import (
    View,
    ViewError,
    delete_view,
    list_views,
    load_view,
    save_view,
    views_path,
)


@pytest.fixture
def path(tmp_path, monkeypatch):
    monkeypatch.setenv("MESHDECK_CONFIG", str(tmp_path / "config.toml"))
    return views_path()


def test_it_lives_next_to_the_config_file(path, tmp_path):
    assert path == tmp_path / "views.toml"


def test_save_list_load_delete_per_profile(path):
    failing = View("failing", 'status:FAILED text:"gateway timeout"', "1h",
                   ("id", "name", "error"), "-started")
    save_view("prod", failing)
    save_view("prod", View("slow", "name:checkout"))
    save_view(None, View("mine", "status:RUNNING"))
    assert [v.name for v in list_views("prod")] == ["failing", "slow"]
    assert [v.name for v in list_views(None)] == ["mine"] == [v.name for v in list_views("default")]
    assert list_views("staging") == []
    again = load_view("prod", "failing")
    assert again == failing
    assert again.values() == {"status": ["FAILED"], "text": "gateway timeout"}
    assert (again.sort_column, again.descending) == ("started", True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    delete_view("prod", "failing")
    assert [v.name for v in list_views("prod")] == ["slow"]
    with pytest.raises(ViewError, match=r"no view named 'failing' for profile 'prod' \(known: slow\)"):
        load_view("prod", "failing")
    with pytest.raises(ViewError, match="none yet"):
        delete_view("staging", "x")


def test_saving_again_replaces_and_keeps_a_persons_comments(path):
    save_view("prod", View("a", "status:FAILED"))
    path.write_text("# my views, keep this\n" + path.read_text() + "\n# trailing note\n")
    save_view("prod", View("a", "status:TIMED_OUT", window="7d"))
    save_view("prod", View("b", 'text:"x y"'))
    text = path.read_text()
    assert "# my views, keep this" in text and "# trailing note" in text
    assert load_view("prod", "a") == View("a", "status:TIMED_OUT", "7d")
    save_view("prod", View("a", "status:TIMED_OUT"))  # saved again without a window: none
    assert load_view("prod", "a").window is None and "# trailing note" in path.read_text()
    assert "query = 'text:\"x y\"'" in text  # a query with quotes reads as typed


@pytest.mark.parametrize(("view", "message"), [
    (View("has space"), "a view name is 1 to 64"),
    (View(""), "a view name"),
    (View("ok", "colour:red"), "its query does not read: unknown key 'colour'"),
    (View("ok", window="lunchtime"), "window 'lunchtime' is not a length"),
    (View("ok", sort="-"), "sort needs a column name"),
])
def test_a_bad_view_is_refused_and_nothing_is_written(path, view, message):
    with pytest.raises(ViewError, match=message):
        save_view("prod", view)
    assert not path.exists()


def test_a_damaged_file_is_one_line_naming_it(path):
    path.write_text("[profiles.prod.a\nquery = 1\n")
    with pytest.raises(ViewError, match="views file .*views.toml"):
        list_views("prod")
    path.write_text("[profiles.prod.a]\nquery = 1\n")
    with pytest.raises(ViewError, match="view 'a': expected query"):
        list_views("prod")
