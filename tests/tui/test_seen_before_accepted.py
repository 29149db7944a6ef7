"""`y` accepts a hunk only once its end has been on screen; the diff is never squeezed out."""

from __future__ import annotations

from slowcode.core.step_review import StepReview, Verdict
from slowcode.engine.staging.diffs import diff_texts
from tests.tui.snapshot_apps.review_app import ReviewApp

OLD = "def f():\n    return 0\n"
NEW = "def f():\n" + "".join(f"    x{n} = {n}\n" for n in range(30)) + "    return 0\n"


def tall_review() -> StepReview:
    """One hunk of 32 lines, taller than a 24-row terminal's diff area."""
    return StepReview(1, "Tall", "Adds thirty lines.", diff_texts({"f.py": (OLD, NEW)}))


async def test_y_scrolls_a_tall_hunk_to_its_end_before_it_accepts() -> None:
    review = tall_review()
    app = ReviewApp(review)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.diff_view  # type: ignore[attr-defined]
        assert view.unseen_rows(0) > 0
        presses = 0
        while review.hunks[0].verdict is Verdict.UNDECIDED:
            unseen = view.unseen_rows(0)
            await pilot.press("y")
            await pilot.pause()
            presses += 1
            if review.hunks[0].verdict is Verdict.UNDECIDED:
                # Not accepted yet: the press scrolled towards the end instead.
                assert view.unseen_rows(0) < unseen
                progress = str(app.screen.query_one("#review-progress").render())
                assert "y again" in progress or "y accepts" in progress
            assert presses < 10
        assert presses >= 2
        assert view.unseen_rows(0) == 0


async def test_a_hunk_that_fits_is_accepted_at_once() -> None:
    review = StepReview(1, "Short", "One line.", diff_texts({"f.py": (OLD, OLD.replace("0", "1"))}))
    app = ReviewApp(review)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert review.hunks[0].verdict is Verdict.ACCEPTED


async def test_at_60x15_the_diff_and_the_progress_line_stay_on_screen() -> None:
    summary = "\n\n".join(f"Paragraph {n} of a long explanation." for n in range(12))
    review = StepReview(1, "Tall", summary, diff_texts({"f.py": (OLD, NEW)}))
    app = ReviewApp(review)
    async with app.run_test(size=(60, 15)) as pilot:
        await pilot.pause()
        view = app.screen.diff_view  # type: ignore[attr-defined]
        progress = app.screen.query_one("#review-progress")
        assert view.size.height >= 3
        assert 0 <= progress.region.y < 15 and progress.region.height == 1
