"""Widget content built from text slowcode did not write, so it is shown and never obeyed.

Textual parses a plain `str` given to a `Label`, a `Static`, a tree node or a
notification as content markup: ``[/x]`` raises, ``[@click=screen.accept_all]``
makes a click run an action, ``list[int]`` loses its ``[int]``. Everything the
screens show from outside (model text, titles, file names, git, server and
check output, the developer's own words) goes through one of these helpers
instead, which build `Content` or `rich.text.Text` objects directly (their
constructors never parse markup) from text made visible by
`slowcode.core.literal.visible` (no control character reaches the terminal).
Markdown from outside goes to `slowcode.tui.widgets.literal_markdown`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Input

from slowcode.core.literal import visible, visible_line, visible_per_character
from slowcode.tui.widgets.row_pieces import CUT_MARK

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel
    from textual.widget import Widget


def literal(text: str, style: str = "") -> Content:
    """`text` as widget content, exactly as written (for `Label`, `Static`, `update`)."""
    content = Content(visible(text))
    return content.stylize(style) if style and content else content


def literal_line(text: str, style: str = "") -> Content:
    """Like `literal`, for one row: a newline in `text` shows as ``␤``."""
    content = Content(visible_line(text))
    return content.stylize(style) if style and content else content


def literal_text(text: str, style: str = "") -> Text:
    """`text` as a Rich `Text`, for widgets that take one (tree nodes, options)."""
    return Text(visible(text), style=style)


def notify(
    node: Widget | App[Any],
    message: str,
    *,
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    """A toast showing `message` literally (`notify` would otherwise parse it as markup)."""
    node.notify(visible(message), severity=severity, timeout=timeout, markup=False)


class LiteralInput(Input):
    """An `Input` whose text is drawn with its control characters visible.

    The value itself is left as typed or given; only what is drawn changes, one
    character for one, so the cursor and the selection stay where they are. Text
    (or a placeholder) wider than the box ends in ``…`` at the edge it runs past,
    so a cut task or hint never reads as whole.
    """

    def render_line(self, y: int) -> Strip:
        """The box's line, with ``…`` at each edge that hides text."""
        strip = super().render_line(y)
        width = self.scrollable_content_region.width
        if y != 0 or width < 2:
            return strip
        if self.value:
            text_width, scroll_x = cell_len(visible_per_character(self.value)), int(self.scroll_x)
        else:
            text_width, scroll_x = cell_len(self.placeholder), 0
        if text_width - scroll_x > width:
            strip = _marked(strip, width - 1)
        if scroll_x > 0:
            strip = _marked(strip, 0)
        return strip

    @property
    def _value(self) -> Text:
        # Input draws `_value`; a password is drawn as Input draws it (dots).
        if self.password:
            return super()._value
        return Text(visible_per_character(self.value), no_wrap=True, overflow="ignore", end="")


def _marked(strip: Strip, cell: int) -> Strip:
    """`strip` with its character at `cell` replaced by `CUT_MARK`, in the same style."""
    under = strip.crop(cell, cell + 1)
    style = next((segment.style for segment in under if segment.text), None)
    mark = Strip([Segment(CUT_MARK, style)], 1)
    return Strip.join([strip.crop(0, cell), mark, strip.crop(cell + 1, strip.cell_length)])
