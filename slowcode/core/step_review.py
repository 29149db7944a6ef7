"""A step under review: its files, hunks and the developer's verdict on each hunk."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slowcode.core.decision_record import DecisionRecord

WhyAsker = Callable[[int], Awaitable[str]]
"""Asks the model "why?" about the hunk at a position (review order); returns the answer."""


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
    """One hunk of one file's diff, with the developer's verdict.

    `carried_over` marks a verdict kept from the previous round of a revised step;
    `original_lines` holds the model's lines once the developer edited the hunk
    (`lines` then hold the edit); `why` is the model's answer to "why?" about it.
    `fully_displayed` and `seconds_in_view` say whether every row of the hunk was
    drawn on the developer's screen, and for how long it was in view.
    """

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
    original_lines: list[DiffLine] | None = None
    why: str = ""
    fully_displayed: bool = False
    seconds_in_view: float = 0.0

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
    ask_why: WhyAsker | None = field(default=None, repr=False, compare=False)
    # Told after every change to the hunks (verdicts, splits, edits), so the engine
    # can journal the review as it goes and a crash loses no verdict.
    on_change: Callable[[StepReview], None] | None = field(default=None, repr=False, compare=False)

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
        self.changed()
        return hunk

    def accept_all(self) -> list[Hunk]:
        """Accepts every undecided hunk; returns the hunks it changed."""
        changed = [hunk for hunk in self.hunks if not hunk.is_decided]
        for hunk in changed:
            hunk.verdict = Verdict.ACCEPTED
        self.changed()
        return changed

    def changed(self) -> None:
        """Tells `on_change` that hunks or verdicts changed (call after a split or an edit)."""
        if self.on_change is not None:
            self.on_change(self)

    def verdicts_json(self, *, shown: bool = False) -> list[dict[str, Any]]:
        """Every hunk's verdict in the shape of the `finish_step` tool result.

        Args:
            shown: Add how each hunk was shown (`fully_displayed`, `seconds_in_view`),
                as the journal keeps it; the model is not told.
        """
        rows: list[dict[str, Any]] = []
        for hunk in self.hunks:
            row: dict[str, Any] = {"file": hunk.file, "index": hunk.index, "verdict": hunk.verdict}
            comment = _model_comment(hunk)
            if comment:
                row["comment"] = comment
            if shown:
                row["fully_displayed"] = hunk.fully_displayed
                row["seconds_in_view"] = round(hunk.seconds_in_view, 1)
            rows.append(row)
        return rows


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split as unified diffs count them: only "\\n" ends a line.

    A lone "\\r" stays inside its line, and a last line without "\\n" is kept as it is.
    """
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def side_lines(hunk: Hunk, *, new: bool) -> list[str]:
    """The hunk's lines on one side, line endings restored (none after a last line without one)."""
    skipped = LineKind.REMOVED if new else LineKind.ADDED
    return [
        line.text if line.no_newline else line.text + "\n"
        for line in hunk.lines
        if line.kind is not skipped
    ]


def new_side_text(hunk: Hunk) -> str:
    """The hunk's new side as text, line endings included (none after a last line without one)."""
    return "".join(side_lines(hunk, new=True))


def _model_comment(hunk: Hunk) -> str:
    """The hunk's comment for the model; an edited hunk's comment also gives its final text.

    The model must know what is really on disk, and `finish_step`'s result has no
    other field for it.
    """
    if hunk.verdict is not Verdict.EDITED:
        return hunk.comment
    final = new_side_text(hunk)
    note = (
        f"The developer edited this hunk; its lines from line {hunk.target_start} now read:\n"
        f"{final}"
        if final
        else "The developer edited this hunk down to nothing: its lines are removed."
    )
    return f"{hunk.comment}\n\n{note}" if hunk.comment else note
