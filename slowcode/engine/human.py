"""What the engine asks of the developer, and the answers it gets back.

The engine awaits these methods; a client (the TUI, a test, a replay) answers
them. The engine never knows how the question was shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from slowcode.core.decision_record import DecisionRecord
    from slowcode.core.plan import Plan, PlanStep
    from slowcode.core.step_review import StepReview


@dataclass
class PlanVerdict:
    """The developer's answer to a proposed plan: approved (as edited) or sent back."""

    approved: bool
    steps: list[PlanStep] = field(default_factory=list)
    feedback: str = ""


class StepAction(StrEnum):
    """What the developer does with a reviewed step."""

    APPLY = "apply"
    SEND_BACK = "send_back"


class DecisionAction(StrEnum):
    """What the developer does with the step's decision record draft."""

    RECORD = "record"
    REJECT = "reject"
    NOT_ARCHITECTURAL = "not_architectural"


@dataclass
class StepVerdict:
    """The developer's answer to a reviewed step.

    Hunk verdicts live on the `StepReview` itself; this says what to do next.
    `decision` is the (possibly edited) record to write when `decision_action`
    is RECORD; `reason` explains a NOT_ARCHITECTURAL call.
    """

    action: StepAction
    feedback: str = ""
    decision_action: DecisionAction | None = None
    decision: DecisionRecord | None = None
    reason: str = ""


@dataclass
class QuestionOption:
    """One answer the model offers, with what choosing it entails."""

    label: str
    consequences: str = ""


@dataclass
class Question:
    """An `ask_human` call."""

    question: str
    options: list[QuestionOption] = field(default_factory=list)
    architectural: bool = False


@dataclass
class Answer:
    """The developer's answer: an option's index, or free text (option None)."""

    answer: str
    option: int | None = None


class HumanPort(Protocol):
    """The developer, as the engine sees them."""

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        """Shows the proposed plan; returns it approved (as edited) or with feedback."""
        ...

    async def review_step(self, review: StepReview) -> StepVerdict:
        """Shows the step's diff; sets hunk verdicts on `review`; returns what to do."""
        ...

    async def answer_question(self, question: Question) -> Answer:
        """Shows an `ask_human` question; returns the developer's answer."""
        ...
