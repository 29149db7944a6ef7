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


class CommitChoice(StrEnum):
    """What the developer does when `git commit` (a hook, signing) refused a step's commit."""

    RETRY = "retry"
    SEND_BACK = "send_back"
    WITHOUT_HOOKS = "without_hooks"


@dataclass
class RefusedCommit:
    """A step's commit that git refused: the step's files are written, nothing is committed.

    Attributes:
        step: The step's number.
        title: The step's title.
        output: Everything git and its hooks printed, in full.
        changes: A diff of what a hook changed in the step's files ("" when none);
            a retry commits those changes, so they are shown first.
    """

    step: int
    title: str
    output: str
    changes: str = ""


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

    async def resolve_refused_commit(self, refused: RefusedCommit) -> CommitChoice:
        """Shows a refused commit's output in full; returns what to do about it.

        `WITHOUT_HOOKS` must be an explicit choice of the developer's, confirmed.
        """
        ...
