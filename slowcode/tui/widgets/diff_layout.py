"""The row index of a diff view: one cheap descriptor per screen row, no rendering.

Building the index touches every diff line once and allocates one small tuple per
row, so a 20,000-line diff is indexed in milliseconds; colour and Rich rendering
happen later, only for the rows that scroll into view.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import IntEnum
from typing import NamedTuple

from slowcode.engine.review import StepReview


class RowKind(IntEnum):
    """What a screen row of the diff shows."""

    FILE = 0
    HUNK = 1
    LINE = 2
    GAP = 3


class Row(NamedTuple):
    """One screen row: its kind and where its content lives in the review.

    `hunk` is the hunk's position in review order (-1 for rows outside a hunk);
    `line` is the index of the diff line inside that hunk (-1 for headers).
    """

    kind: RowKind
    file: int
    hunk: int
    line: int


@dataclass
class DiffLayout:
    """The flat row list of a review and the lookups the view needs.

    Attributes:
        rows: Every screen row, top to bottom.
        hunk_rows: For each hunk (review order), the row of its header.
        hunk_ends: For each hunk, the row after its last line.
        number_width: Cells needed for the widest line number.
        text_width: Cells of the longest diff line's text.
    """

    rows: list[Row] = field(default_factory=list)
    hunk_rows: list[int] = field(default_factory=list)
    hunk_ends: list[int] = field(default_factory=list)
    number_width: int = 1
    text_width: int = 0

    @classmethod
    def build(cls, review: StepReview) -> DiffLayout:
        """Indexes every file, hunk and line of `review`."""
        layout = cls()
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
                rows.extend(
                    [Row(line_kind, file_index, position, index) for index in range(len(lines))]
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
