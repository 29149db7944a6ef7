"""Syntax colours for single diff lines, from Pygments tokens and theme variables."""

from __future__ import annotations

from collections.abc import Callable
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


def _lexer_for(path: str) -> Any:
    try:
        return get_lexer_for_filename(path, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)


class LineHighlighter:
    """Colours one line at a time, for the language the file's name implies.

    Each line is lexed on its own: a diff shows fragments of files, and lexing only
    the rows that are drawn keeps the first frame independent of the diff's size.
    Token colours are Textual's theme variables (`$text-accent`, ...), so they
    follow the app's theme.

    Args:
        path: The file's path; its name picks the Pygments lexer.
        parse_style: Turns a style string with theme variables into a style
            (normally `app.stylesheet.parse_style`).
    """

    def __init__(self, path: str, parse_style: Callable[[str], VisualStyle]) -> None:
        self._lexer = _lexer_for(path)
        self._parse_style = parse_style
        self._token_styles: dict[_TokenType, VisualStyle | None] = {}

    @property
    def language(self) -> str:
        """The lexer's name (``Text only`` when the file type is unknown)."""
        return str(self._lexer.name)

    def pieces(self, text: str, base: VisualStyle) -> list[tuple[str, VisualStyle]]:
        """Splits `text` into runs of one style each, layered over `base`."""
        # One character for one, so the changed-word spans computed on the raw line still fit.
        text = visible_per_character(text.expandtabs(4))
        if not text:
            return []
        result: list[tuple[str, VisualStyle]] = []
        for token_type, value in self._lexer.get_tokens(text):
            value = value.rstrip("\n")
            if not value:
                continue
            token_style = self._style_for(token_type)
            result.append((value, base if token_style is None else base + token_style))
        return result

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
