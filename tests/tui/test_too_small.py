"""A terminal too small to show any of the diff says so, and how tall it must be."""

from __future__ import annotations

from textual.widgets import Static

from slowcode.tui.screens.review import MIN_DIFF_ROWS, ReviewScreen
from slowcode.tui.widgets.diff_view import DiffView

from .samples import three_hunk_review
from .snapshot_apps.review_app import ReviewApp


def _notice(app: ReviewApp) -> Static:
    return app.screen.query_one("#review-too-small", Static)


async def test_a_review_with_no_room_for_the_diff_says_how_tall_the_terminal_must_be() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=(60, 9)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        notice = _notice(app)
        assert notice.display
        text = str(notice.render())
        assert text.startswith("Too small for the diff: make the terminal ")
        needed = int(text.rsplit(" ", 3)[-3].rstrip("+"))
        assert needed > 9
        assert len(text) + 2 <= 60  # one whole line of the narrow terminal, padding included
        await pilot.resize_terminal(60, needed)
        await pilot.pause()
        await pilot.pause()
        assert not _notice(app).display  # tall enough now: the notice goes
        view = app.screen.query_one(DiffView)
        assert view.scrollable_content_region.height >= MIN_DIFF_ROWS


async def test_a_review_with_room_for_the_diff_shows_no_notice() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=(60, 15)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not _notice(app).display
