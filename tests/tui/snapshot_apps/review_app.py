"""A small app showing one ReviewScreen, for snapshot tests."""

from __future__ import annotations

from textual.app import App

from slowcode.core.step_review import StepReview
from slowcode.engine.human import StepVerdict
from slowcode.tui.screens.review import ReviewScreen


class ReviewApp(App[StepVerdict]):
    """Opens a ReviewScreen on the given review and exits with its verdict."""

    def __init__(self, review: StepReview) -> None:
        super().__init__()
        self._review = review
        self.verdicts: list[StepVerdict | None] = []

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.push_screen(ReviewScreen(self._review), self.verdicts.append)
