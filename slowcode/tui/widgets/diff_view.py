"""The diff of a step under review, unified or side by side, drawn with the Line API.

One `Strip` per screen row, rendered only when the row is shown and kept in an
LRU cache; never a widget per hunk or per line, so tens of thousands of lines
open and scroll without lag. Changed lines are coloured by token and, where a
removed line pairs with an added one, the words that differ are emphasised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from slowcode.core.literal import visible_line
from slowcode.core.step_review import DiffLine, LineKind, StepReview, Verdict
from slowcode.tui.widgets.diff_layout import NOTE_WIDTH, DiffLayout, RowKind
from slowcode.tui.widgets.diff_scroll import HunkScroll
from slowcode.tui.widgets.row_pieces import Piece, emphasise, fit
from slowcode.tui.widgets.seen_rows import HunkSpan, SeenRows
from slowcode.tui.widgets.syntax import LineHighlighter
from slowcode.tui.widgets.word_diff import changed_spans, pair_lines

if TYPE_CHECKING:
    from textual.style import Style as VisualStyle

VERDICT_MARKERS: dict[Verdict, str] = {
    Verdict.UNDECIDED: "[ ]",
    Verdict.ACCEPTED: "[✓]",
    Verdict.REJECTED: "[✗]",
    Verdict.EDITED: "[~]",
}
"""The marker shown before each hunk header, so a verdict never relies on colour."""

_VERDICT_COMPONENTS: dict[Verdict, str] = {
    Verdict.UNDECIDED: "diff-view--undecided",
    Verdict.ACCEPTED: "diff-view--accepted",
    Verdict.REJECTED: "diff-view--rejected",
    Verdict.EDITED: "diff-view--edited",
}

_CURRENT_BAR = "▌"
_SIDE_SEPARATOR = "│"


class DiffView(HunkScroll, can_focus=True):
    """Shows a `StepReview`'s files and hunks as one scrollable diff.

    The reactive `current` is the position (review order) of the hunk under review;
    it is marked with a bar in the gutter and scrolled into view. Hunk verdicts are
    read from the review; call `refresh_hunk` after changing one, and `rebuild`
    after hunks were split or edited or got an answer to "why?". The reactive
    `side_by_side` switches between the unified and the side-by-side layout.

    Args:
        review: The step whose diff to show.
        name: The widget's name.
        id: The widget's id.
        classes: The widget's CSS classes.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "diff-view--file",
        "diff-view--hunk",
        "diff-view--gutter",
        "diff-view--current",
        "diff-view--added",
        "diff-view--removed",
        "diff-view--undecided",
        "diff-view--accepted",
        "diff-view--rejected",
        "diff-view--edited",
        "diff-view--note",
        "diff-view--added-word",
        "diff-view--removed-word",
        "diff-view--why",
    }

    # A reusable widget, so its look ships with it; every colour is a theme variable.
    DEFAULT_CSS = """
    DiffView {
        background: $surface;
        color: $text;
        & > .diff-view--file { background: $panel; color: $text; text-style: bold; }
        & > .diff-view--hunk { background: $boost; color: $text-secondary; }
        & > .diff-view--gutter { color: $text-muted; }
        & > .diff-view--current { color: $accent; text-style: bold; }
        & > .diff-view--added { background: $success 12%; }
        & > .diff-view--removed { background: $error 12%; }
        & > .diff-view--undecided { color: $text-muted; text-style: bold; }
        & > .diff-view--accepted { color: $text-success; text-style: bold; }
        & > .diff-view--rejected { color: $text-error; text-style: bold; }
        & > .diff-view--edited { color: $text-warning; text-style: bold; }
        & > .diff-view--note { color: $text-warning; text-style: italic; }
        & > .diff-view--added-word { background: $success 35%; text-style: bold; }
        & > .diff-view--removed-word { background: $error 35%; text-style: bold; }
        & > .diff-view--why { background: $boost; color: $text-accent; }
        &:focus { background-tint: $foreground 3%; }
    }
    """

    # The scrolling keys ScrollView has anyway, described for `?` in slowcode's words.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "page_down", "Scroll the diff a page down", show=False),
        Binding("pageup", "page_up", "Scroll the diff a page up", show=False),
        Binding("left", "scroll_left", "Scroll long lines left", show=False),
        Binding("right", "scroll_right", "Scroll long lines right", show=False),
    ]

    current: reactive[int] = reactive(0, init=False)
    """The hunk under review, as a position in review order."""

    side_by_side: reactive[bool] = reactive(False, init=False)
    """Old and new lines side by side (True) or one unified column (False)."""

    class HunkSelected(Message):
        """The developer clicked a hunk."""

        def __init__(self, diff_view: DiffView, position: int) -> None:
            super().__init__()
            self.diff_view = diff_view
            self.position = position

        @property
        def control(self) -> DiffView:
            """The diff view that was clicked."""
            return self.diff_view

    class Resized(Message):
        """The diff view's size changed: `rows` lines of the diff fit in it now."""

        def __init__(self, rows: int) -> None:
            super().__init__()
            self.rows = rows

    def __init__(
        self,
        review: StepReview,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._review = review
        self._highlighters: dict[int, LineHighlighter] = {}
        self._strips: LRUCache[tuple[int, bool], tuple[Strip, VisualStyle]] = LRUCache(2048)
        self._partners: dict[int, dict[int, int]] = {}
        self.pending_why: set[int] = set()
        """Hunk positions waiting for the model's answer to "why?"."""
        self.seen = SeenRows()
        """What of the diff was drawn, and how long each hunk was in view."""
        self._index()

    def _index(self) -> None:
        self._hunks = self._review.hunks
        self._note_width = self._fitting_note_width()
        self._layout = DiffLayout.build(
            self._review,
            side_by_side=self.side_by_side,
            pending=frozenset(self.pending_why),
            note_width=self._note_width,
        )
        self._strips.clear()
        self._partners.clear()
        layout = self._layout
        self.seen.relayout(
            [
                HunkSpan(start, end, hunk)
                for start, end, hunk in zip(
                    layout.hunk_rows, layout.hunk_ends, self._hunks, strict=True
                )
            ]
        )
        number_width = self._layout.number_width
        self._gutter_width = 1 + number_width * 2 + 2
        if self.side_by_side:
            # Each side is cut to half the width: nothing to scroll sideways.
            self.virtual_size = Size(0, len(self._layout.rows))
        else:
            self.virtual_size = Size(
                self._gutter_width + 2 + self._layout.text_width, len(self._layout.rows)
            )

    def rebuild(self) -> None:
        """Indexes the review again (hunks split or edited, a "why?" asked or answered)."""
        self._index()
        if self.current >= len(self._hunks):
            self.current = max(len(self._hunks) - 1, 0)
        self.refresh()

    def watch_side_by_side(self) -> None:
        """Lays the diff out again in the other view, keeping the current hunk in view."""
        self.scroll_to(x=0, animate=False, immediate=True)
        self.rebuild()
        self.call_after_refresh(self.scroll_to_hunk, self.current)

    def on_resize(self) -> None:
        """Side by side, each side's width follows the widget's: drop the cut strips.

        Answers to "why?" are wrapped to the width: they are laid out again.
        """
        self.post_message(self.Resized(self.scrollable_content_region.height))
        if self.side_by_side:
            self._strips.clear()
        if self._layout.notes and self._fitting_note_width() != self._note_width:
            self.rebuild()

    def _fitting_note_width(self) -> int:
        width = self.scrollable_content_region.width
        # The gutter bar and the two spaces before a note take three cells.
        return NOTE_WIDTH if width <= 0 else max(20, min(NOTE_WIDTH, width - 3))

    @property
    def layout_rows(self) -> int:
        """How many rows the diff has (headers included)."""
        return len(self._layout.rows)

    def hunk_row(self, position: int) -> int:
        """The row of a hunk's header."""
        return self._layout.hunk_rows[position]

    def notify_style_update(self) -> None:
        """Drops cached strips: the theme or a style changed."""
        super().notify_style_update()
        self._strips.clear()

    def refresh_hunk(self, position: int) -> None:
        """Redraws a hunk's header after its verdict changed."""
        row = self._layout.hunk_rows[position]
        self._forget_row(row)
        self.refresh_lines(row - int(self.scroll_y), 1)

    def refresh_all_hunks(self) -> None:
        """Redraws every hunk header (after `accept all`)."""
        for row in self._layout.hunk_rows:
            self._forget_row(row)
        self.refresh()

    def _forget_row(self, row: int) -> None:
        # A row is cached twice: drawn as part of the current hunk, and not.
        self._strips.discard((row, True))
        self._strips.discard((row, False))

    def watch_current(self, old: int, new: int) -> None:
        """Moves the gutter bar and brings the new current hunk into view."""
        for position in (old, new):
            self._refresh_rows_of(position)
        self.call_after_refresh(self.scroll_to_hunk, new)

    def on_mount(self) -> None:
        """Shows the first hunk."""
        self.call_after_refresh(self.scroll_to_hunk, self.current)

    def on_click(self, event: events.Click) -> None:
        """Selects the hunk under the pointer."""
        position = self._layout.hunk_at_row(event.y + int(self.scroll_y))
        if position is not None:
            self.post_message(self.HunkSelected(self, position))

    def render_line(self, y: int) -> Strip:
        """The strip for screen row `y`, scrolled horizontally."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        row_index = scroll_y + y
        if not 0 <= row_index < len(self._layout.rows):
            return Strip.blank(width, self.rich_style)
        self.seen.drawn(row_index, scroll_y, self.scrollable_content_region.height)
        strip, fill = self._row_strip(row_index)
        if self.side_by_side:
            # Nothing scrolls sideways here, so a header cut at the edge says so.
            return fit(strip, width, fill, self.get_visual_style("diff-view--gutter"))
        return strip.crop_extend(scroll_x, scroll_x + width, fill.rich_style)

    def _refresh_rows_of(self, position: int) -> None:
        if not 0 <= position < len(self._hunks):
            return
        start = self._layout.hunk_rows[position]
        end = self._layout.hunk_ends[position]
        self.refresh_lines(start - int(self.scroll_y), end - start)

    def _row_strip(self, row_index: int) -> tuple[Strip, VisualStyle]:
        row = self._layout.rows[row_index]
        is_current = row.hunk == self.current and row.hunk >= 0
        key = (row_index, is_current)
        cached = self._strips.get(key)
        if cached is not None:
            return cached
        if row.kind is RowKind.LINE and self.side_by_side:
            strip, fill = self._side_by_side_strip(row.file, row.hunk, row.line, row.right)
            strip = Strip.join([self._bar_strip(is_current, fill), strip])
            self._strips[key] = (strip, fill)
            return strip, fill
        if row.kind is RowKind.LINE:
            pieces, fill = self._line_pieces(row.file, row.hunk, row.line, is_current)
        elif row.kind is RowKind.NOTE:
            pieces, fill = self._note_pieces(row.hunk, row.line, is_current)
        elif row.kind is RowKind.HUNK:
            pieces, fill = self._hunk_pieces(row.hunk, is_current)
        elif row.kind is RowKind.FILE:
            pieces, fill = self._file_pieces(row.file)
        else:
            pieces, fill = [], self.visual_style
        segments = [Segment(text, style.rich_style) for text, style in pieces if text]
        strip = Strip(segments)
        self._strips[key] = (strip, fill)
        return strip, fill

    def _bar_strip(self, is_current: bool, base: VisualStyle) -> Strip:
        text, style = self._bar(is_current, base)
        return Strip([Segment(text, style.rich_style)])

    def _bar(self, is_current: bool, base: VisualStyle) -> Piece:
        if is_current:
            return _CURRENT_BAR, base + self.get_visual_style("diff-view--current", partial=True)
        return " ", base

    def _file_pieces(self, file_index: int) -> tuple[list[Piece], VisualStyle]:
        file_diff = self._review.files[file_index]
        style = self.get_visual_style("diff-view--file")
        added = removed = 0
        for hunk in file_diff.hunks:
            for line in hunk.lines:
                if line.kind is LineKind.ADDED:
                    added += 1
                elif line.kind is LineKind.REMOVED:
                    removed += 1
        note = " (new file)" if file_diff.is_new else ""
        return [(f" {visible_line(file_diff.path)}{note}  +{added} -{removed}", style)], style

    def _hunk_pieces(self, position: int, is_current: bool) -> tuple[list[Piece], VisualStyle]:
        hunk = self._hunks[position]
        style = self.get_visual_style("diff-view--hunk")
        marker_style = style + self.get_visual_style(
            _VERDICT_COMPONENTS[hunk.verdict], partial=True
        )
        pieces: list[Piece] = [
            self._bar(is_current, style),
            (VERDICT_MARKERS[hunk.verdict], marker_style),
            (f" {visible_line(hunk.header)}", style),
        ]
        note_style = style + self.get_visual_style("diff-view--note", partial=True)
        if hunk.carried_over:
            pieces.append(("  carried over", note_style))
        if hunk.comment:
            pieces.append((f"  “{visible_line(hunk.comment)}”", note_style))
        return pieces, style

    def _line_pieces(
        self, file_index: int, position: int, line_index: int, is_current: bool
    ) -> tuple[list[Piece], VisualStyle]:
        line = self._hunks[position].lines[line_index]
        style = self._line_style(line)
        gutter = style + self.get_visual_style("diff-view--gutter", partial=True)
        width = self._layout.number_width
        old = "" if line.old_number is None else str(line.old_number)
        new = "" if line.new_number is None else str(line.new_number)
        pieces: list[Piece] = [
            self._bar(is_current, style),
            (f"{old:>{width}} {new:>{width}} ", gutter),
            (f"{line.kind.value} ", style),
        ]
        pieces.extend(self._text_pieces(file_index, position, line_index, style))
        if line.no_newline:
            pieces.append(("  ⏎ no newline at end", gutter))
        return pieces, style

    def _line_style(self, line: DiffLine) -> VisualStyle:
        if line.kind is LineKind.ADDED:
            return self.get_visual_style("diff-view--added")
        if line.kind is LineKind.REMOVED:
            return self.get_visual_style("diff-view--removed")
        return self.visual_style

    def _text_pieces(
        self, file_index: int, position: int, line_index: int, style: VisualStyle
    ) -> list[Piece]:
        """The line's text coloured by token, with the words that changed emphasised."""
        lines = self._hunks[position].lines
        line = lines[line_index]
        if line.kind is LineKind.REMOVED:
            side, number = "old", line.old_number
        else:
            side, number = "new", line.new_number
        pieces = self._highlighter(file_index).pieces(line.text, style, side=side, number=number)
        if line.kind is LineKind.CONTEXT:
            return pieces
        partners = self._partners.get(position)
        if partners is None:
            partners = self._partners[position] = pair_lines(lines)
        partner = partners.get(line_index)
        if partner is None:
            return pieces
        mine, theirs = line.text.expandtabs(4), lines[partner].text.expandtabs(4)
        if line.kind is LineKind.ADDED:
            spans = changed_spans(theirs, mine)[1]
            emphasis = self.get_visual_style("diff-view--added-word", partial=True)
        else:
            spans = changed_spans(mine, theirs)[0]
            emphasis = self.get_visual_style("diff-view--removed-word", partial=True)
        return emphasise(pieces, spans, emphasis)

    def _side_by_side_strip(
        self, file_index: int, position: int, left: int, right: int
    ) -> tuple[Strip, VisualStyle]:
        """Old line on the left, new line on the right, each cut to half the width."""
        width = max(self.scrollable_content_region.width - 2, 2)
        half = width // 2
        base = self.visual_style
        halves: list[Strip] = []
        for index, number_of in ((left, "old_number"), (right, "new_number")):
            if index < 0:
                halves.append(Strip.blank(half, base.rich_style))
                continue
            line = self._hunks[position].lines[index]
            style = self._line_style(line)
            gutter = style + self.get_visual_style("diff-view--gutter", partial=True)
            number = getattr(line, number_of)
            pieces: list[Piece] = [
                (f"{number:>{self._layout.number_width}} ", gutter),
                (f"{line.kind.value} ", style),
            ]
            pieces.extend(self._text_pieces(file_index, position, index, style))
            segments = [Segment(text, piece.rich_style) for text, piece in pieces if text]
            halves.append(fit(Strip(segments), half, style, gutter))
        separator = self.get_visual_style("diff-view--gutter")
        strip = Strip.join(
            [halves[0], Strip([Segment(_SIDE_SEPARATOR, separator.rich_style)]), halves[1]]
        )
        return strip, base

    def _note_pieces(
        self, position: int, note_index: int, is_current: bool
    ) -> tuple[list[Piece], VisualStyle]:
        style = self.get_visual_style("diff-view--why")
        text = self._layout.notes.get(position, [""])[note_index]
        return [self._bar(is_current, style), ("  " + visible_line(text), style)], style

    def _highlighter(self, file_index: int) -> LineHighlighter:
        highlighter = self._highlighters.get(file_index)
        if highlighter is None:
            file = self._review.files[file_index]
            highlighter = LineHighlighter(
                file.path,
                self.app.stylesheet.parse_style,
                old_text=file.old_text,
                new_text=file.new_text,
            )
            self._highlighters[file_index] = highlighter
        return highlighter
