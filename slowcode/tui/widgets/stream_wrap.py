"""Hard-wrapping text that arrives in fragments, for widgets (like `Log`) that do not wrap."""

from __future__ import annotations


class StreamWrap:
    """Breaks streamed text into lines no wider than a given width.

    The model's commentary arrives a few characters at a time, so a line cannot be
    laid out once it is complete; the wrapper remembers the current column instead
    and starts a new line where the next character would not fit. Text already
    written is not re-wrapped when the width changes.
    """

    def __init__(self) -> None:
        self.column = 0

    def feed(self, text: str, width: int) -> str:
        """`text` with line breaks inserted so that no line exceeds `width` characters."""
        width = max(width, 1)
        out: list[str] = []
        for char in text:
            if char == "\n":
                self.column = 0
            elif self.column >= width:
                out.append("\n")
                self.column = 0
                if char == " ":
                    continue  # a space that would start the new line is dropped
                self.column = 1
            else:
                self.column += 1
            out.append(char)
        return "".join(out)

    def reset(self) -> None:
        """The next text starts a fresh line."""
        self.column = 0
