"""What an action asks about is what the screen shows, and counts say exactly what is known.

- New filters clear the marks (and say so): a key pressed on a visible row never asks about
  rows marked under other filters. Marks on other pages are named apart in the confirmation.
- "All matching" (A) selects by query: past the cap the confirmation says only the newest N
  are selected and the rest are left untouched.
- A capped count reads "at least N" everywhere (never "N+" beside an exact-looking total), and
  ``#`` (or the palette's "Count exactly") counts every match exactly.
"""

from __future__ import annotations

from console.tui.dialogs.confirm import ConfirmAction
from console.tui.screens import executions

from .test_executions import in_window, status_text


def words(widget) -> str:
    """A Static's text, its whitespace collapsed."""
    return " ".join(str(widget.content).split())


async def test_changing_the_filters_clears_the_marks_and_says_so(opened, wait_idle):
    async with opened(executions=300) as (pilot, screen):
        app = pilot.app
        await pilot.press("3")  # FAILED only
        await wait_idle(pilot)
        await pilot.press("space", "space", "space")
        assert len(screen.table.marks) == 3
        await pilot.press("3", "1")  # now RUNNING only: the marked FAILED rows are gone
        await wait_idle(pilot)
        assert not screen.table.marks
        assert "marked" not in status_text(screen)
        assert any(n.title == "marks cleared" and "3 marked executions were unmarked"
                   in n.message for n in app._notifications)
        running = screen.table.current
        assert running.status == "RUNNING"
        await pilot.press("t")
        await wait_idle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmAction)
        assert [item.id for item in modal.selection.items] == [str(running.process_id)]


async def test_a_refresh_with_the_same_filters_keeps_the_marks(opened, wait_idle):
    async with opened(executions=300) as (pilot, screen):
        app = pilot.app
        await pilot.press("space", "space", "r")
        await wait_idle(pilot)
        screen.apply_filters()  # applied again, unchanged (enter in the search field)
        await wait_idle(pilot)
        assert len(screen.table.marks) == 2
        assert not any(n.title == "marks cleared" for n in app._notifications)


async def test_marks_on_another_page_are_named_apart_in_the_confirmation(opened, wait_idle):
    async with opened(executions=2000) as (pilot, screen):
        app = pilot.app
        first_page = [str(p.process_id) for p in screen.table.rows[:2]]
        await pilot.press("space", "space", "n")
        await wait_idle(pilot)
        assert "2 marked (2 on other pages)" in status_text(screen)
        await pilot.press("space", "v")
        await wait_idle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmAction)
        assert sorted(item.id for item in modal.not_shown) == sorted(first_page)
        said = words(modal.query_one("#not-shown"))
        assert said.startswith("2 executions of these are not on the screen")
        assert all(pid in said for pid in first_page)


async def test_all_matching_past_the_cap_says_only_the_newest_are_selected(
        opened, wait_idle, monkeypatch):
    monkeypatch.setattr("console.services.search.COUNT_CAP", 20)  # selection reads it per call
    async with opened(executions=2000) as (pilot, screen):
        app = pilot.app
        await pilot.press("A", "v")
        await wait_idle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmAction)
        assert modal.selection.capped and len(modal.selection.items) == 20
        said = words(modal.query_one("#summary"))
        assert "More than 20 executions match; only the newest 20 are selected" in said
        assert "The rest will be left untouched" in said
        assert str(app.screen.query_one("#title").render()).startswith("Mark reviewed 20")


async def test_capped_counts_say_at_least_until_counted_exactly(
        opened, wait_idle, monkeypatch):
    monkeypatch.setattr(executions, "FACET_CAP", 100)
    async with opened(executions=2000) as (pilot, screen):
        app = pilot.app
        line = status_text(screen)
        assert screen.total.capped
        assert line.startswith(f"1–100 of at least {screen.total.value:,} (#: count exactly)")
        await pilot.press("A")
        await wait_idle(pilot)
        line = status_text(screen)
        assert f"all matching selected (at least {screen.total.value:,})" in line
        assert "+" not in line
        await pilot.press("number_sign")
        await wait_idle(pilot)
        everything = in_window(app)
        line = status_text(screen)
        assert line.startswith(f"1–100 of {len(everything):,}  ·  all {len(everything):,} "
                               "matching selected")
        completed = sum(1 for p in everything if p["status"] == "COMPLETED")
        assert screen.facets.counts["COMPLETED"] == f"{completed:,}"
        assert any("(counted exactly)" in n.message for n in app._notifications)


async def test_count_exactly_is_in_the_palette_and_the_help(opened):
    from console.tui.commands import screen_commands
    from console.tui.screens.help import key_rows

    async with opened() as (_pilot, screen):
        assert "Count exactly" in {c.name for c in screen_commands(screen)}
        assert ("this screen", "#", "Count exactly") in {r[:3] for r in key_rows(screen)}
        assert "clears the marks" in screen.HELP_NOTES
