"""The screen shows the row the keys act on: after every way of moving, the one row drawn
highlighted (read from what the table actually painted) is the row Enter opens and an action
key asks about. On the starting commit a move in a scrolled list repainted the wrong lines, so
the old highlight stayed while the keys acted on another row."""

from __future__ import annotations

from console.tui.dialogs.confirm import ConfirmAction
from console.tui.screens.executions import ExecutionsScreen

from .drawn import highlighted_keys


def agree(screen: ExecutionsScreen) -> str:
    """The highlighted id, after checking it is the only one and the one actions use."""
    table = screen.table
    drawn = highlighted_keys(table, "process_id")
    assert drawn == [str(table.current.process_id)], "the highlight is not the current row"
    assert screen.targets()[0] == drawn, "an action would go to another row"
    return drawn[0]


async def test_end_then_up_up_highlights_the_row_enter_opens_and_v_asks_about(
        opened, wait_idle):
    async with opened(executions=300) as (pilot, screen):
        app = pilot.app
        rows = screen.table.rows
        assert len(rows) > screen.table.page_height  # longer than one screen
        await pilot.press("end", "up", "up")
        await pilot.pause()
        shown = agree(screen)
        assert shown == str(rows[-3].process_id)
        await pilot.press("v")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConfirmAction)
        assert [item.id for item in app.screen.selection.items] == [shown]
        await pilot.press("escape")
        await wait_idle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.process_id == shown


async def test_page_down_and_page_up_move_the_highlight_with_the_cursor(opened, wait_idle):
    async with opened(executions=300) as (pilot, screen):
        app = pilot.app
        await pilot.press("down", "down", "pagedown")
        await pilot.pause()
        assert screen.table.scroll_y > 0
        agree(screen)
        await pilot.press("down", "pagedown")  # the last page: the cursor goes to the end
        await pilot.pause()
        agree(screen)
        await pilot.press("pageup", "up")
        await pilot.pause()
        agree(screen)
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        assert agree(screen) == str(screen.table.rows[0].process_id)


async def test_after_a_reverse_sort_up_and_down_move_the_highlight(opened, wait_idle):
    async with opened(executions=2000) as (pilot, screen):
        app = pilot.app
        await pilot.press("L")  # every match, several screens
        await wait_idle(pilot)
        # By started, newest first (as the server sends them), then reversed: oldest first,
        # so the current row goes far down.
        await pilot.press("down", "down", "S", "S")
        await pilot.pause()
        table = screen.table
        assert table.cursor > table.page_height and table.scroll_y > 0
        before = agree(screen)
        await pilot.press("up")
        await pilot.pause()
        assert agree(screen) != before
        await pilot.press("down", "down")
        await pilot.pause()
        agree(screen)


async def test_load_all_while_the_cursor_is_mid_list_keeps_highlight_and_target(
        opened, wait_idle):
    async with opened(executions=2000) as (pilot, screen):
        app = pilot.app
        await pilot.press(*["down"] * 30)  # past the first screen
        await pilot.pause()
        picked = agree(screen)
        await pilot.press("L")  # more rows stream in under the cursor
        await wait_idle(pilot)
        assert len(screen.table.rows) > 100
        assert agree(screen) == picked
        await pilot.press("down")
        await pilot.pause()
        agree(screen)


async def test_the_mouse_wheel_takes_the_cursor_along(opened, wait_idle):
    """Scrolling the view never leaves the cursor (and what Enter opens) off the screen."""
    async with opened(executions=300) as (pilot, screen):
        app = pilot.app
        screen.table.scroll_relative(y=12, animate=False)  # what the wheel and scrollbar do
        await pilot.pause()
        assert screen.table.scroll_y > 0 and screen.table.cursor >= screen.table.scroll_y
        agree(screen)
