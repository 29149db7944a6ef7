"""A text editor for text slowcode did not write: control characters drawn, never sent."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from slowcode.core.literal import visible_per_character


class LiteralTextArea(TextArea):
    """A `TextArea` that draws each line with its control characters made visible.

    The document keeps the text as it is (an edit must not change the bytes the
    developer did not touch); only what is drawn changes, one character for one,
    so the cursor and the selection stay on the characters they belong to.
    """

    def get_line(self, line_index: int) -> Text:
        """The line as drawn: `TextArea.get_line` with its controls made visible."""
        line = self.document.get_line(line_index)
        return Text(visible_per_character(line), end="", no_wrap=True)
