"""The pieces a diff row is drawn from: word emphasis layered in, and a cut that shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.style import Style as VisualStyle

    from slowcode.tui.widgets.word_diff import Span

Piece = tuple[str, "VisualStyle"]
"""Some text of a row and its style."""

CUT_MARK = "…"
"""Ends a row (or a side-by-side half) cut short of its text."""


def fit(strip: Strip, width: int, fill: VisualStyle, mark: VisualStyle) -> Strip:
    """`strip` padded or cut to `width` cells; a cut one ends in ``…``, so it shows."""
    if strip.cell_length <= width:
        return strip.crop_extend(0, width, fill.rich_style)
    kept = strip.crop(0, max(width - 1, 0))
    return Strip.join([kept, Strip([Segment(CUT_MARK, mark.rich_style)])]).crop(0, width)


def emphasise(pieces: list[Piece], spans: list[Span], emphasis: VisualStyle) -> list[Piece]:
    """`pieces` with the characters inside `spans` layered with `emphasis`."""
    if not spans:
        return pieces
    result: list[Piece] = []
    offset = 0
    span_index = 0
    for text, style in pieces:
        start = 0
        while start < len(text):
            while span_index < len(spans) and spans[span_index][1] <= offset + start:
                span_index += 1
            if span_index == len(spans):
                result.append((text[start:], style))
                break
            span_start, span_end = spans[span_index]
            absolute = offset + start
            if absolute < span_start:
                cut = min(span_start - offset, len(text))
                result.append((text[start:cut], style))
            else:
                cut = min(span_end - offset, len(text))
                result.append((text[start:cut], style + emphasis))
            start = cut
        offset += len(text)
    return result
