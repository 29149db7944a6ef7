"""A key typed before a dialog was drawn does not answer it; one typed after does."""

from __future__ import annotations

from textual import events
from textual.app import App

from slowcode.core.step_review import StepReview, Verdict
from slowcode.engine.staging.diffs import diff_texts
from slowcode.tui.screens.confirm import ConfirmScreen
from slowcode.tui.screens.trust import TrustScreen
from tests.tui.snapshot_apps.review_app import ReviewApp


class DialogApp(App[None]):
    """Shows one dialog and keeps its answer."""

    def __init__(self, dialog: ConfirmScreen | TrustScreen) -> None:
        super().__init__()
        self.dialog = dialog
        self.answers: list[bool | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


def verdict_of(review: StepReview) -> Verdict:
    return review.hunks[0].verdict


def typed_before_drawn(key: str) -> events.Key:
    """A key the terminal read long before any dialog was on screen."""
    early = events.Key(key, key if len(key) == 1 else None)
    early.time = 0.0
    return early


async def test_a_y_typed_ahead_does_not_confirm() -> None:
    app = DialogApp(ConfirmScreen("Undo the last applied step?"))
    async with app.run_test() as pilot:
        await pilot.pause()
        app.post_message(typed_before_drawn("y"))
        await pilot.pause()
        assert app.answers == [] and app.screen is app.dialog
        await pilot.press("y")
        await pilot.pause()
    assert app.answers == [True]


async def test_a_y_typed_ahead_does_not_trust_a_command() -> None:
    app = DialogApp(TrustScreen("make test", "pyproject.toml"))
    async with app.run_test() as pilot:
        await pilot.pause()
        app.post_message(typed_before_drawn("y"))
        await pilot.pause()
        assert app.answers == [] and app.screen is app.dialog


async def test_a_y_typed_before_the_review_opened_accepts_nothing() -> None:
    review = StepReview(1, "One", "One line.", diff_texts({"f.py": ("a = 1\n", "a = 2\n")}))
    app = ReviewApp(review)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(typed_before_drawn("y"))
        await pilot.pause()
        assert verdict_of(review) is Verdict.UNDECIDED
        await pilot.press("y")
        await pilot.pause()
        assert verdict_of(review) is Verdict.ACCEPTED
