"""What of a diff was drawn on screen, and for how long each hunk was in view.

The review's record of attention: a hunk is `fully_displayed` once every row
of it (header, lines and notes) has been drawn in the terminal, over one view or
scrolled through several, and `seconds_in_view` counts the time any row of it
was on screen while the review was showing. Both are the drawing's own
evidence: a row counts when `render_line` drew it, not when it could have been.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from slowcode.core.step_review import Hunk


@dataclass(frozen=True)
class HunkSpan:
    """The rows a hunk takes in the diff's layout: `start` (its header) to `end` (excluded)."""

    start: int
    end: int
    hunk: Hunk


class SeenRows:
    """Records the rows drawn and the views shown, and credits them to the hunks.

    Args:
        clock: Seconds, from any start (monotonic time unless a test gives one).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._spans: Sequence[HunkSpan] = ()
        self._drawn: set[int] = set()
        self._view: tuple[int, int] | None = None
        self._since = clock()
        self._paused = False

    def relayout(self, spans: Sequence[HunkSpan]) -> None:
        """The rows moved (a new layout): what was seen so far is credited first."""
        self.flush()
        self._spans = spans
        self._drawn.clear()
        self._view = None

    def drawn(self, row: int, top: int, height: int) -> None:
        """Row `row` was drawn in a view of `height` rows from `top`."""
        self._drawn.add(row)
        view = (top, top + height)
        if view != self._view:
            self.flush()
            self._view = view

    def flush(self) -> None:
        """Credits the time since the last flush to the hunks in view, and marks those
        of them every row of which has been drawn (rows are drawn only in a view, so
        no other hunk can have become whole)."""
        now = self._clock()
        elapsed, self._since = now - self._since, now
        if self._view is None:
            return
        top, bottom = self._view
        for span in self._spans:
            if span.end <= top or bottom <= span.start:
                continue
            if not self._paused:
                span.hunk.seconds_in_view += elapsed
            if not span.hunk.fully_displayed and all(
                row in self._drawn for row in range(span.start, span.end)
            ):
                span.hunk.fully_displayed = True

    def pause(self) -> None:
        """The review is hidden (a dialog over it, another screen): time stops counting."""
        self.flush()
        self._paused = True

    def resume(self) -> None:
        """The review shows again."""
        self.flush()
        self._paused = False
