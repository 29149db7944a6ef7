"""The commit message body of a reviewed step: the model's summary, then what was applied.

The model's summary was written before the review, so it may describe hunks the
developer rejected or rewrote. Under it the body lists every hunk by what became
of it (applied as proposed, edited by the developer, rejected), one line each, so
the commit and `slowcode why` never tell more than the diff holds.
"""

from __future__ import annotations

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


def hunk_line(hunk: Hunk) -> str:
    """One line naming the hunk: where its changes start, its size and its first changed line.

    e.g. ``src/app.py:12 (+2 -1) return abs(value)``.
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


def commit_body(review: StepReview) -> str:
    """The body: the model's summary, then the hunks grouped by what became of them.

    Args:
        review: The reviewed step, every hunk decided.

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
            parts.append("\n".join([f"{heading}:", *(f"  {hunk_line(h)}" for h in hunks)]))
    undecided = [hunk for hunk in review.hunks if hunk.verdict is Verdict.UNDECIDED]
    if undecided:
        # Never in an applied step (apply waits for every verdict); listed all the same.
        parts.append(
            "\n".join(["Undecided, not applied:", *(f"  {hunk_line(h)}" for h in undecided)])
        )
    return "\n\n".join(parts)
