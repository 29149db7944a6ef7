"""Scrolling a diff by hunk: how much of a hunk is still below, and bringing one into view."""

from __future__ import annotations

from textual.geometry import Region
from textual.scroll_view import ScrollView

from slowcode.tui.widgets.diff_layout import DiffLayout


class HunkScroll(ScrollView):
    """A `ScrollView` over a laid-out diff that scrolls hunk by hunk.

    The subclass keeps `_layout` (the rows each hunk takes) up to date.
    """

    _layout: DiffLayout

    def unseen_rows(self, position: int) -> int:
        """How many rows of hunk `position` are still below the visible part of the diff."""
        if not 0 <= position < len(self._layout.hunk_ends):
            return 0
        bottom = int(self.scroll_y) + self.scrollable_content_region.height
        return max(0, self._layout.hunk_ends[position] - bottom)

    def reveal_more(self, position: int) -> int:
        """Scrolls down one page at most, towards the end of hunk `position`.

        Returns:
            The rows of the hunk still below the view afterwards.
        """
        step = min(self.unseen_rows(position), max(self.scrollable_content_region.height - 1, 1))
        self.scroll_to(y=int(self.scroll_y) + step, animate=False, immediate=True)
        return self.unseen_rows(position)

    def scroll_to_hunk_end(self, position: int) -> None:
        """Scrolls just enough for the last row of hunk `position` (its notes) to show."""
        if not 0 <= position < len(self._layout.hunk_ends):
            return
        last = max(self._layout.hunk_ends[position] - 1, 0)
        self.scroll_to_region(Region(0, last, 1, 1), animate=False, immediate=True, x_axis=False)

    def scroll_to_hunk(self, position: int) -> None:
        """Scrolls so the hunk's header (and as much of it as fits) is visible."""
        if not 0 <= position < len(self._layout.hunk_rows):
            return
        # One row above the header stays visible: the file header or the end of the
        # previous hunk, so the developer sees where the hunk sits.
        top = max(self._layout.hunk_rows[position] - 1, 0)
        height = self._layout.hunk_ends[position] - top
        visible = max(self.scrollable_content_region.height, 1)
        region = Region(0, top, 1, min(height, visible))
        self.scroll_to_region(region, animate=False, immediate=True, x_axis=False)
