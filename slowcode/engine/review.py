"""A step under review: its files, hunks and the developer's verdict on each hunk."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slowcode.decisions.record import DecisionRecord


class Verdict(StrEnum):
    """The developer's verdict on one hunk."""

    UNDECIDED = "undecided"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EDITED = "edited"


class LineKind(StrEnum):
    """One line of a hunk, with the marker unified diffs use for it."""

    CONTEXT = " "
    REMOVED = "-"
    ADDED = "+"


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a hunk, without its line ending.

    `old_number` / `new_number` are 1-based line numbers on each side (None on the
    side the line does not exist). `no_newline` marks a last line without "\\n".
    """

    kind: LineKind
    text: str
    old_number: int | None
    new_number: int | None
    no_newline: bool = False


@dataclass
class Hunk:
    """One hunk of one file's diff, with the developer's verdict."""

    file: str
    index: int
    source_start: int
    source_length: int
    target_start: int
    target_length: int
    section: str
    lines: list[DiffLine]
    verdict: Verdict = Verdict.UNDECIDED
    comment: str = ""
    carried_over: bool = False

    @property
    def header(self) -> str:
        """The `@@ -a,b +c,d @@ section` line."""
        tail = f" {self.section}" if self.section else ""
        return (
            f"@@ -{self.source_start},{self.source_length} "
            f"+{self.target_start},{self.target_length} @@{tail}"
        )

    @property
    def changed_lines(self) -> int:
        """Added plus removed lines."""
        return sum(1 for line in self.lines if line.kind is not LineKind.CONTEXT)

    @property
    def is_decided(self) -> bool:
        """True once the developer gave a verdict."""
        return self.verdict is not Verdict.UNDECIDED

    @property
    def takes_new_side(self) -> bool:
        """True when the hunk's new side is what gets written."""
        return self.verdict in (Verdict.ACCEPTED, Verdict.EDITED)


@dataclass
class FileDiff:
    """The staged change of one file: the text the model saw, the staged text, the hunks.

    `old_text` is None for a file the step creates.
    """

    path: str
    old_text: str | None
    new_text: str
    hunks: list[Hunk]

    @property
    def is_new(self) -> bool:
        """True when the step creates this file."""
        return self.old_text is None


@dataclass
class StepReview:
    """Everything the developer reviews for one step."""

    step_number: int
    title: str
    summary: str
    files: list[FileDiff]
    architectural: bool = False
    architectural_reasons: list[str] = field(default_factory=list)
    decision: DecisionRecord | None = None

    @property
    def hunks(self) -> list[Hunk]:
        """Every hunk of every file, in review order."""
        return [hunk for file in self.files for hunk in file.hunks]

    @property
    def changed_lines(self) -> int:
        """Added plus removed lines over the whole step."""
        return sum(hunk.changed_lines for hunk in self.hunks)

    def counts(self) -> dict[Verdict, int]:
        """How many hunks have each verdict."""
        result = dict.fromkeys(Verdict, 0)
        for hunk in self.hunks:
            result[hunk.verdict] += 1
        return result

    @property
    def undecided(self) -> int:
        """How many hunks still wait for a verdict."""
        return self.counts()[Verdict.UNDECIDED]

    def next_undecided(self, after: int) -> int | None:
        """The index of the first undecided hunk after `after`, wrapping round; None if none."""
        hunks = self.hunks
        total = len(hunks)
        for offset in range(1, total + 1):
            position = (after + offset) % total
            if not hunks[position].is_decided:
                return position
        return None

    def set_verdict(self, position: int, verdict: Verdict, comment: str = "") -> Hunk:
        """Records the verdict on the hunk at `position` (review order)."""
        hunk = self.hunks[position]
        hunk.verdict = verdict
        hunk.carried_over = False
        if comment:
            hunk.comment = comment
        return hunk

    def accept_all(self) -> list[Hunk]:
        """Accepts every undecided hunk; returns the hunks it changed."""
        changed = [hunk for hunk in self.hunks if not hunk.is_decided]
        for hunk in changed:
            hunk.verdict = Verdict.ACCEPTED
        return changed

    def verdicts_json(self) -> list[dict[str, Any]]:
        """Every hunk's verdict in the shape of the `finish_step` tool result."""
        rows: list[dict[str, Any]] = []
        for hunk in self.hunks:
            row: dict[str, Any] = {"file": hunk.file, "index": hunk.index, "verdict": hunk.verdict}
            if hunk.comment:
                row["comment"] = hunk.comment
            rows.append(row)
        return rows
