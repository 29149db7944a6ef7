"""The commit message body of a reviewed step: the model's summary, then what was applied.

The model's summary was written before the review, so it may describe hunks the
developer rejected or rewrote. Under it the body lists every hunk by what became
of it (applied as proposed, edited by the developer, rejected), one line each, so
the commit and `slowcode why` never tell more than the diff holds.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping

from slowcode.core.step_review import Hunk, LineKind, StepReview, Verdict

ASSISTANT = "slowcode"
"""The tool's name in the `Assisted-by:` trailer (`AGENT:MODEL`, as the Linux kernel asks)."""

_DESCRIPTION_WIDTH = 60
_HEADINGS = (
    (Verdict.ACCEPTED, "Applied as proposed"),
    (Verdict.EDITED, "Edited by the developer, applied as edited"),
    (Verdict.REJECTED, "Rejected, not applied"),
)


def assisted_by(model: str) -> str:
    """The `Assisted-by:` trailer's value, e.g. ``slowcode:claude-sonnet-4-5``."""
    return f"{ASSISTANT}:{model}" if model else ASSISTANT


LineMap = Callable[[int], int]
"""A line number in the file as written to the work tree, turned into one in the commit."""


def line_map(written: str, committed: str) -> LineMap:
    """Maps line numbers of the written file onto the committed one.

    They differ where the developer's own uncommitted edits stay in the work tree
    and out of the commit; every line of the step is on both sides.
    """
    blocks = difflib.SequenceMatcher(
        None, written.splitlines(), committed.splitlines(), autojunk=False
    ).get_matching_blocks()

    def to_commit(line: int) -> int:
        for start, committed_start, size in blocks:
            if start < line <= start + size:
                return line - start + committed_start
        # Not a line the commit shares (the developer's own): the nearest one before it.
        before = [(s, c, n) for s, c, n in blocks if n and s + n < line]
        return before[-1][1] + before[-1][2] if before else line

    return to_commit


def hunk_line(hunk: Hunk, to_commit: LineMap | None = None) -> str:
    """One line naming the hunk: where its changes start, its size and its first changed line.

    e.g. ``src/app.py:12 (+2 -1) return abs(value)``. `to_commit` turns the line
    number of an applied hunk into the committed file's.
    """
    lines = hunk.original_lines if hunk.verdict is Verdict.REJECTED else hunk.lines
    lines = lines or hunk.lines
    added = sum(1 for line in lines if line.kind is LineKind.ADDED)
    removed = sum(1 for line in lines if line.kind is LineKind.REMOVED)
    first = next(
        (line for line in lines if line.kind is LineKind.ADDED and line.text.strip()),
        next((line for line in lines if line.kind is not LineKind.CONTEXT), None),
    )
    text = " ".join(first.text.split()) if first is not None else ""
    if len(text) > _DESCRIPTION_WIDTH:
        text = text[: _DESCRIPTION_WIDTH - 1] + "…"
    if first is not None and first.kind is LineKind.REMOVED:
        text = f"removes {text}" if text else "removes a blank line"
    lead = next((i for i, line in enumerate(lines) if line.kind is not LineKind.CONTEXT), 0)
    if hunk.takes_new_side:
        start = (hunk.target_start if hunk.target_length else hunk.target_start + 1) + lead
        if to_commit is not None:
            start = to_commit(start)
    else:
        start = (hunk.source_start if hunk.source_length else hunk.source_start + 1) + lead
    where = f"{hunk.file}:{max(start, 1)}"
    if first is None:
        return f"{where} (edited back to the old text: no change)"
    return f"{where} (+{added} -{removed}) {text}".rstrip()


def written_by_developer(review: StepReview) -> bool:
    """True when every hunk that reaches the disk is one the developer edited or wrote."""
    taken = [hunk for hunk in review.hunks if hunk.takes_new_side]
    return bool(taken) and all(hunk.verdict is Verdict.EDITED for hunk in taken)


def commit_body(review: StepReview, line_maps: Mapping[str, LineMap] | None = None) -> str:
    """The body: the model's summary, then the hunks grouped by what became of them.

    Args:
        review: The reviewed step, every hunk decided.
        line_maps: Per file whose commit differs from what was written (the
            developer's own edits left out), how its line numbers move.

    Returns:
        The body text (no trailers), without a final line ending.
    """
    parts: list[str] = []
    summary = review.summary.strip()
    if summary:
        parts.append(summary)
    if written_by_developer(review):
        parts.append("Every applied hunk of this step was edited by the developer.")
    for verdict, heading in _HEADINGS:
        hunks = [hunk for hunk in review.hunks if hunk.verdict is verdict]
        if hunks:
            maps = line_maps or {}
            listed = [f"  {hunk_line(h, maps.get(h.file))}" for h in hunks]
            parts.append("\n".join([f"{heading}:", *listed]))
    undecided = [hunk for hunk in review.hunks if hunk.verdict is Verdict.UNDECIDED]
    if undecided:
        # Never in an applied step (apply waits for every verdict); listed all the same.
        parts.append(
            "\n".join(["Undecided, not applied:", *(f"  {hunk_line(h)}" for h in undecided)])
        )
    return "\n\n".join(parts)
