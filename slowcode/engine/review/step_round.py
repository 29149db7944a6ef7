"""The state of the step being reviewed, kept between its review rounds."""

from __future__ import annotations

from dataclasses import dataclass, field

from slowcode.core.decision_record import DecisionRecord
from slowcode.core.step_review import StepReview
from slowcode.engine.review.state import OpenReview


@dataclass
class StepRound:
    """What one review round leaves for the next, or for the apply.

    `StepFlow` owns it; the apply and a resume write to it, and nothing else.

    Attributes:
        pending_decision: An architectural `ask_human` answer waiting for the next
            applied step.
        last_review: The current step's review that was sent back: its verdicts
            carry over.
        restored: The review a resumed session had open, to reopen as it was.
        own_edits_told: The files whose overlapping own edits the developer was
            told about.
        head_at_review: HEAD and the branch when the review opened.
        include_own_edits: Whether applying again chose to commit those edits.
    """

    pending_decision: DecisionRecord | None = None
    last_review: StepReview | None = None
    restored: OpenReview | None = None
    own_edits_told: list[str] = field(default_factory=list)
    head_at_review: tuple[str | None, str | None] = (None, None)
    include_own_edits: bool = False
