"""The row index of a diff view: one cheap descriptor per screen row, no rendering.

Building the index touches every diff line once and allocates one small tuple per
row, so a 20,000-line diff is indexed in milliseconds; colour and Rich rendering
happen later, only for the rows that scroll into view.
"""

from __future__ import annotations

import textwrap
from bisect import bisect_right
from dataclasses import dataclass, field
from enum import IntEnum
from typing import NamedTuple

from slowcode.core.step_review import DiffLine, Hunk, LineKind, StepReview

NOTE_WIDTH = 96
"""Notes under a hunk (the model's answer to "why?") are wrapped to at most this many cells."""


class RowKind(IntEnum):
    """What a screen row of the diff shows."""

    FILE = 0
    HUNK = 1
    LINE = 2
    GAP = 3
    NOTE = 4


class Row(NamedTuple):
    """One screen row: its kind and where its content lives in the review.

    `hunk` is the hunk's position in review order (-1 for rows outside a hunk);
    `line` is the index of the diff line inside that hunk (-1 for headers), or of
    the note line for NOTE rows. Side by side, `line` is the old side's line and
    `right` the new side's (-1 where a side has none); unified views leave `right`
    at -1.
    """

    kind: RowKind
    file: int
    hunk: int
    line: int
    right: int = -1


@dataclass
class DiffLayout:
    """The flat row list of a review and the lookups the view needs.

    Attributes:
        rows: Every screen row, top to bottom.
        hunk_rows: For each hunk (review order), the row of its header.
        hunk_ends: For each hunk, the row after its last line.
        number_width: Cells needed for the widest line number.
        text_width: Cells of the longest diff line's text.
        notes: For each hunk with a note, its wrapped lines.
        side_by_side: Whether the rows pair old and new lines side by side.
    """

    rows: list[Row] = field(default_factory=list)
    hunk_rows: list[int] = field(default_factory=list)
    hunk_ends: list[int] = field(default_factory=list)
    number_width: int = 1
    text_width: int = 0
    notes: dict[int, list[str]] = field(default_factory=dict)
    side_by_side: bool = False

    @classmethod
    def build(
        cls,
        review: StepReview,
        *,
        side_by_side: bool = False,
        pending: frozenset[int] = frozenset(),
        note_width: int = NOTE_WIDTH,
    ) -> DiffLayout:
        """Indexes every file, hunk and line of `review`.

        Args:
            review: The step under review.
            side_by_side: Pair old and new lines on one row instead of one line a row.
            pending: Hunk positions waiting for an answer to "why?" (shown as a note).
            note_width: Cells a note's line may take, its ``why? `` included.
        """
        layout = cls(side_by_side=side_by_side)
        rows = layout.rows
        append = rows.append
        line_kind = RowKind.LINE
        widest_number = 0
        longest_text = 0
        position = 0
        for file_index, file_diff in enumerate(review.files):
            if file_index:
                append(Row(RowKind.GAP, file_index, -1, -1))
            append(Row(RowKind.FILE, file_index, -1, -1))
            for hunk in file_diff.hunks:
                layout.hunk_rows.append(len(rows))
                append(Row(RowKind.HUNK, file_index, position, -1))
                lines = hunk.lines
                if side_by_side:
                    rows.extend(
                        Row(line_kind, file_index, position, left, right)
                        for left, right in side_by_side_pairs(lines)
                    )
                else:
                    rows.extend(
                        [Row(line_kind, file_index, position, index) for index in range(len(lines))]
                    )
                note = _note_lines(hunk, position in pending, note_width)
                if note:
                    layout.notes[position] = note
                    rows.extend(
                        Row(RowKind.NOTE, file_index, position, index) for index in range(len(note))
                    )
                layout.hunk_ends.append(len(rows))
                if lines:
                    longest_text = max(longest_text, max(len(line.text) for line in lines))
                widest_number = max(
                    widest_number,
                    hunk.source_start + hunk.source_length,
                    hunk.target_start + hunk.target_length,
                )
                position += 1
        layout.number_width = max(len(str(widest_number)), 1)
        layout.text_width = longest_text
        return layout

    def hunk_at_row(self, row: int) -> int | None:
        """The hunk position a row belongs to (the hunk above it for gaps and files)."""
        if not self.hunk_rows or row < 0 or row >= len(self.rows):
            return None
        found = self.rows[row].hunk
        if found >= 0:
            return found
        index = bisect_right(self.hunk_rows, row) - 1
        return index if index >= 0 else 0


def side_by_side_pairs(lines: list[DiffLine]) -> list[tuple[int, int]]:
    """(old line index, new line index) per row; -1 where a side has no line on that row.

    Unchanged lines sit on both sides; a run of removed lines and the added lines
    after it share rows, first with first.
    """
    pairs: list[tuple[int, int]] = []
    index = 0
    total = len(lines)
    while index < total:
        if lines[index].kind is LineKind.CONTEXT:
            pairs.append((index, index))
            index += 1
            continue
        removed: list[int] = []
        added: list[int] = []
        while index < total and lines[index].kind is LineKind.REMOVED:
            removed.append(index)
            index += 1
        while index < total and lines[index].kind is LineKind.ADDED:
            added.append(index)
            index += 1
        for offset in range(max(len(removed), len(added))):
            left = removed[offset] if offset < len(removed) else -1
            right = added[offset] if offset < len(added) else -1
            pairs.append((left, right))
    return pairs


def _note_lines(hunk: Hunk, pending: bool, width: int) -> list[str]:
    if pending:
        return ["why? asking the model…"]
    if not hunk.why:
        return []
    wrapped: list[str] = []
    for paragraph in hunk.why.splitlines():
        # Five cells go to "why? " or its indent; a word longer than a line is broken.
        wrapped.extend(textwrap.wrap(paragraph, max(width - 5, 10), break_on_hyphens=False) or [""])
    return ["why? " + wrapped[0], *("     " + line for line in wrapped[1:])]
