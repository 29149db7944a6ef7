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

from rich.text import Text
from textual.content import Content
from textual.widgets import Input

from slowcode.core.literal import visible, visible_line, visible_per_character

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
    character for one, so the cursor and the selection stay where they are.
    """

    @property
    def _value(self) -> Text:
        # Input draws `_value`; the password and highlighter cases are not used here.
        return Text(visible_per_character(self.value), no_wrap=True, overflow="ignore", end="")
