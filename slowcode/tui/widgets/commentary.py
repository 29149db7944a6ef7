"""The session log: the model's streamed words and thinking, and the session's own lines."""

from __future__ import annotations

from textual.widgets import Log

from slowcode.core.literal import visible
from slowcode.tui.widgets.stream_wrap import StreamWrap

THINKING_FOLD = "  ┆ "
"""How each line of the model's thinking starts: indented under its header."""


class Commentary(Log):
    """A `Log` that word-wraps streamed text to its width.

    The model's text and thinking arrive in fragments (`write_text`,
    `write_thinking`); the session's events arrive as whole lines (`add_line`).
    A word cut by a fragment's end is held back until the rest of it arrives;
    `flush` writes it when the stream pauses (a state change, the end of a
    session), and every whole line flushes first.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._wrap = StreamWrap()
        self._line_open = False
        # Thinking is shown indented under a header of its own, apart from the answer.
        self._thinking = False
        self._fold_line_start = True

    def on_resize(self) -> None:
        """Keeps the newest line in view when the log gets shorter (the key bar grew).

        Every write scrolls to the end already; a resize would otherwise leave the
        last lines below the fold.
        """
        if self.auto_scroll:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True, x_axis=False)

    def start(self) -> None:
        """Empties the log for a new session."""
        self.clear()
        self._wrap.reset()
        self._line_open = False
        self._thinking = False

    def write_text(self, text: str) -> None:
        """Adds a fragment of the model's answer."""
        self._end_thinking()
        self._write_wrapped(self._wrap.feed(visible(text), self.text_width()))

    def write_thinking(self, text: str) -> None:
        """Adds a fragment of the model's thinking, folded under a ``✻ thinking`` header."""
        if not self._thinking:
            self.add_line("✻ thinking")
            self._thinking = True
            self._fold_line_start = True
        self._write_folded(self._wrap.feed(visible(text), self._thinking_width()))

    def add_line(self, line: str) -> None:
        """Adds a whole line of the session's own, on a line of its own."""
        self.flush()
        self._thinking = False
        prefix = "\n" if self._line_open else ""
        self._wrap.reset()
        wrapped = self._wrap.feed(f"{visible(line)}\n", self.text_width())
        self.write(prefix + wrapped)
        self._line_open = False

    def flush(self) -> None:
        """Writes the word held back at the end of the last fragment, if any."""
        if not self._wrap.pending:
            return
        if self._thinking:
            self._write_folded(self._wrap.flush(self._thinking_width()))
        else:
            self._write_wrapped(self._wrap.flush(self.text_width()))

    def text_width(self) -> int:
        """How many cells a line may take without scrolling sideways."""
        # Room for the vertical scrollbar is kept whether it shows yet or not, so lines
        # written before the log overflows still fit after; one more column is kept
        # free, since a line that fills the width exactly would scroll sideways.
        return self.content_region.width - self.styles.scrollbar_size_vertical - 1

    def _thinking_width(self) -> int:
        return self.text_width() - len(THINKING_FOLD)

    def _write_wrapped(self, text: str) -> None:
        if text:
            self.write(text)
            self._line_open = not text.endswith("\n")

    def _write_folded(self, wrapped: str) -> None:
        if not wrapped:
            return
        out: list[str] = []
        for number, line in enumerate(wrapped.split("\n")):
            if number:
                out.append("\n")
                self._fold_line_start = True
            if line and self._fold_line_start:
                out.append(THINKING_FOLD)
                self._fold_line_start = False
            out.append(line)
        self.write("".join(out))
        self._line_open = not self._fold_line_start

    def _end_thinking(self) -> None:
        if self._thinking:
            self.flush()
            self._thinking = False
            if self._line_open:
                self.write("\n")
            self._line_open = False
            self._wrap.reset()
