"""Syntax colours for diff lines, from Pygments tokens and theme variables."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

# Pygments ships no type information; the few calls used here are typed by hand below.
from pygments.lexers import get_lexer_for_filename  # type: ignore[import-untyped]
from pygments.lexers.special import TextLexer  # type: ignore[import-untyped]
from pygments.util import ClassNotFound  # type: ignore[import-untyped]
from textual.highlight import HighlightTheme

from slowcode.core.literal import visible_per_character

if TYPE_CHECKING:
    from textual.style import Style as VisualStyle

# A Pygments token type: a tuple subclass whose `.parent` is the broader type.
_TokenType = Any

WHOLE_FILE_LIMIT = 128 * 1024
"""Files up to this many characters are lexed whole, once; longer ones a line at a time.

Lexing a file whole is what colours a docstring's middle lines as a string rather
than as code; Pygments takes about 0.15 s for this much Python, once per file.
"""

_Runs = list[tuple[_TokenType, str]]


def _lexer_for(path: str) -> Any:
    try:
        return get_lexer_for_filename(path, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)


class LineHighlighter:
    """Colours a file's diff lines, for the language the file's name implies.

    The old and new texts are each lexed whole, the first time one of their lines is
    drawn, so a line inside a docstring or a multi-line string is coloured as one.
    A line that is not where the text says (an edited hunk, a file over
    `WHOLE_FILE_LIMIT`) is lexed on its own. Token colours are Textual's theme
    variables (`$text-accent`, ...), so they follow the app's theme.

    Args:
        path: The file's path; its name picks the Pygments lexer.
        parse_style: Turns a style string with theme variables into a style
            (normally `app.stylesheet.parse_style`).
        old_text: The file before the step (None for a new file).
        new_text: The file after the step (None to colour each line alone).
    """

    def __init__(
        self,
        path: str,
        parse_style: Callable[[str], VisualStyle],
        *,
        old_text: str | None = None,
        new_text: str | None = None,
    ) -> None:
        self._lexer = _lexer_for(path)
        self._parse_style = parse_style
        self._token_styles: dict[_TokenType, VisualStyle | None] = {}
        self._texts = {"old": old_text, "new": new_text}
        self._lexed: dict[str, list[_Runs] | None] = {}

    @property
    def language(self) -> str:
        """The lexer's name (``Text only`` when the file type is unknown)."""
        return str(self._lexer.name)

    def pieces(
        self,
        text: str,
        base: VisualStyle,
        *,
        side: str = "new",
        number: int | None = None,
    ) -> list[tuple[str, VisualStyle]]:
        """Splits `text` into runs of one style each, layered over `base`.

        `side` (``old`` or ``new``) and `number` (1-based) say where the line is in
        the file, so that it is coloured as part of the whole text.
        """
        # One character for one, so the changed-word spans computed on the raw line still fit.
        shown = _shown(text)
        if not shown:
            return []
        runs = self._runs_in_file(side, number, shown)
        if runs is None:
            runs = _split_lines(self._lexer.get_tokens(shown))[0]
        result: list[tuple[str, VisualStyle]] = []
        for token_type, value in runs:
            token_style = self._style_for(token_type)
            result.append((value, base if token_style is None else base + token_style))
        return result

    def _runs_in_file(self, side: str, number: int | None, shown: str) -> _Runs | None:
        if number is None or number < 1:
            return None
        if side not in self._lexed:
            self._lexed[side] = self._lex_whole(self._texts.get(side))
        lines = self._lexed[side]
        if lines is None or number > len(lines):
            return None
        runs = lines[number - 1]
        if "".join(value for _, value in runs) != shown:
            return None
        return runs

    def _lex_whole(self, text: str | None) -> list[_Runs] | None:
        if text is None or len(text) > WHOLE_FILE_LIMIT:
            return None
        joined = "\n".join(_shown(line) for line in text.split("\n"))
        return _split_lines(self._lexer.get_tokens(joined))

    def _style_for(self, token_type: _TokenType) -> VisualStyle | None:
        if token_type in self._token_styles:
            return self._token_styles[token_type]
        styles = HighlightTheme.STYLES
        style: VisualStyle | None = None
        lookup: _TokenType | None = token_type
        while lookup is not None:
            definition = styles.get(lookup)
            if definition:
                style = self._parse_style(definition)
                break
            lookup = lookup.parent
        self._token_styles[token_type] = style
        return style


def _shown(text: str) -> str:
    return visible_per_character(text.expandtabs(4))


def _split_lines(tokens: Iterable[tuple[_TokenType, str]]) -> list[_Runs]:
    """Pygments' tokens cut at each newline into one list of runs per line."""
    lines: list[_Runs] = [[]]
    for token_type, value in tokens:
        parts = value.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part:
                lines[-1].append((token_type, part))
    return lines
