"""Word-level changes inside changed lines: which parts of a removed/added pair differ.

A run of removed lines followed by added lines is paired line by line (the first
removed with the first added, and so on); each pair is diffed by words, and the
spans that differ are emphasised in the view. Lines without a partner, and pairs
so different that emphasis would cover most of the line, get none.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from slowcode.core.step_review import DiffLine
from slowcode.tui.widgets.diff_layout import side_by_side_pairs

Span = tuple[int, int]
"""A [start, end) range of characters inside a line's text."""

_WORDS = re.compile(r"\w+|\s+|[^\w\s]")

# Above this share of changed characters the pair is a rewrite, not an edit: no emphasis.
MAX_CHANGED_SHARE = 0.6


def pair_lines(lines: list[DiffLine]) -> dict[int, int]:
    """Index → partner index for the removed/added lines of a hunk that pair up.

    The pairs are the rows the side-by-side view shows, so emphasis always marks
    the two lines that sit on one row there.
    """
    partners: dict[int, int] = {}
    for left, right in side_by_side_pairs(lines):
        # An unchanged line is its own pair (left == right); a lone line has -1.
        if left >= 0 and right >= 0 and left != right:
            partners[left] = right
            partners[right] = left
    return partners


def _spans(tokens: list[str], indexes: list[tuple[int, int]]) -> list[Span]:
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    spans: list[Span] = []
    for start, end in indexes:
        begin, finish = offsets[start], offsets[end]
        if spans and spans[-1][1] == begin:
            spans[-1] = (spans[-1][0], finish)
        elif finish > begin:
            spans.append((begin, finish))
    return spans


def changed_spans(old: str, new: str) -> tuple[list[Span], list[Span]]:
    """The spans of `old` and of `new` that differ, word by word.

    Returns:
        (spans in `old`, spans in `new`); both empty when the lines are equal or
        differ too much for emphasis to help.
    """
    if old == new:
        return [], []
    old_tokens = _WORDS.findall(old)
    new_tokens = _WORDS.findall(new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    old_indexes: list[tuple[int, int]] = []
    new_indexes: list[tuple[int, int]] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old_indexes.append((a1, a2))
        new_indexes.append((b1, b2))
    old_spans = _spans(old_tokens, old_indexes)
    new_spans = _spans(new_tokens, new_indexes)
    changed = sum(e - s for s, e in old_spans) + sum(e - s for s, e in new_spans)
    if changed > MAX_CHANGED_SHARE * max(len(old) + len(new), 1):
        return [], []
    return old_spans, new_spans
