"""At 80x24 every dialog and screen stays usable: a confirmation's long list scrolls inside it,
below nothing and above its buttons; the detail summary never cuts an id."""

from __future__ import annotations

from console.tui.dialogs.confirm import ConfirmAction

from .drawn import screen_text
from .scenarios import settle
from .test_detail import failed_with_nested_step
from .test_snapshots_80x24 import SMALL, review_every_failed


async def test_a_long_confirmation_scrolls_above_buttons_that_stay_visible(make_app):
    app = make_app(executions=2000)
    async with app.run_test(size=SMALL) as pilot:
        await review_every_failed(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmAction) and len(modal.apply) > 8
        body, answer = modal.query_one("#body"), modal.query_one("#answer")
        assert body.region.bottom <= answer.region.y  # nothing drawn over the list
        assert modal.query_one("#confirm").region.bottom <= modal.query_one("#dialog").region.bottom
        more = f"… and {len(modal.apply) - 8} more"
        assert more not in screen_text(app)
        body.scroll_end(animate=False)
        await pilot.pause()
        assert more in screen_text(app)  # the end of the list is reachable
        assert "Mark reviewed" in screen_text(app).splitlines()[answer.region.bottom - 2]


async def test_the_detail_summary_never_cuts_an_id_at_80_columns(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        pid = failed_with_nested_step(app)[0]
        await settle(pilot)
        app.open_process(pid)
        await settle(pilot)
        process = app.screen.process
        text = screen_text(app)
        assert process.request_id and process.request_id in text
        assert process.correlation_id in text
        assert "…" not in "".join(text.splitlines()[1:8])
