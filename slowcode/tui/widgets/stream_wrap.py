"""Word-wrapping text that arrives in fragments, for widgets (like `Log`) that do not wrap."""

from __future__ import annotations


class StreamWrap:
    """Breaks streamed text into lines no wider than a given width, at spaces.

    The model's commentary arrives a few characters at a time, often in the middle
    of a word, so a line cannot be laid out once it is complete. The wrapper
    remembers the current column and holds back the word being written: a word
    is placed only once the space or newline after it arrives (or `flush` says
    the stream paused), on the current line if it fits, else on the next. Only a
    word wider than the whole line is broken inside. Text already written is not
    re-wrapped when the width changes.
    """

    def __init__(self) -> None:
        self.column = 0
        self._word = ""
        # The current line began at a break the wrapper made: its leading spaces go.
        self._soft = False

    @property
    def pending(self) -> str:
        """The word held back until the character after it arrives."""
        return self._word

    def feed(self, text: str, width: int) -> str:
        """The part of `text` that can be written now, with line breaks at word boundaries.

        The trailing partial word is kept for the next call (or `flush`).
        """
        width = max(width, 1)
        out: list[str] = []
        for char in text:
            if char == "\n":
                self._place(out, width)
                out.append("\n")
                self.column = 0
                self._soft = False
            elif char == " ":
                self._place(out, width)
                if self.column >= width:
                    out.append("\n")  # the space would not fit: it becomes the break
                    self.column = 0
                    self._soft = True
                elif not (self.column == 0 and self._soft):
                    out.append(" ")
                    self.column += 1
            else:
                self._word += char
                if len(self._word) > width:
                    # Wider than any line: it is broken, a line's worth at a time.
                    self._place(out, width)
        return "".join(out)

    def flush(self, width: int) -> str:
        """The held-back word, placed as if a space followed it (the stream paused)."""
        out: list[str] = []
        self._place(out, max(width, 1))
        return "".join(out)

    def reset(self) -> None:
        """The next text starts a fresh line; a held-back word is dropped (flush first)."""
        self.column = 0
        self._word = ""
        self._soft = False

    def _place(self, out: list[str], width: int) -> None:
        word, self._word = self._word, ""
        while word:
            if self.column and self.column + len(word) > width:
                out.append("\n")
                self.column = 0
                self._soft = True
            piece, word = word[:width], word[width:]
            out.append(piece)
            self.column += len(piece)
