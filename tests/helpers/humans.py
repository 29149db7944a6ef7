"""The scripted developers of the test suite: one family, each answering as a developer would.

`ScriptedHuman` answers from scripts and remembers everything it was shown; the
others are the same developer with a fixed habit (sending every step back, or
accepting everything).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slowcode.core.plan import Plan
from slowcode.core.step_review import StepReview, Verdict
from slowcode.engine.human import (
    Answer,
    CommitChoice,
    DecisionAction,
    PlanVerdict,
    Question,
    RefusedCommit,
    StepAction,
    StepVerdict,
)


class Quit(Exception):
    """The developer closed slowcode while it waited for them."""


@dataclass
class ScriptedHuman:
    """Answers like a developer would, and remembers what it was shown."""

    plan_verdicts: list[PlanVerdict | None] = field(default_factory=list)
    hunk_verdicts: list[list[Verdict]] = field(default_factory=list)
    step_actions: list[StepVerdict] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    reviews: list[StepReview] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    commit_choices: list[CommitChoice] = field(default_factory=list)
    refused: list[RefusedCommit] = field(default_factory=list)

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        self.plans.append(plan)
        verdict = self.plan_verdicts.pop(0) if self.plan_verdicts else None
        return verdict or PlanVerdict(approved=True, steps=list(plan.steps))

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.reviews.append(review)
        verdicts = self.hunk_verdicts.pop(0) if self.hunk_verdicts else []
        for position in range(len(review.hunks)):
            chosen = verdicts[position] if position < len(verdicts) else Verdict.ACCEPTED
            review.set_verdict(position, chosen)
        if self.step_actions:
            return self.step_actions.pop(0)
        action = DecisionAction.RECORD if review.decision else None
        return StepVerdict(StepAction.APPLY, decision_action=action, decision=review.decision)

    async def answer_question(self, question: Question) -> Answer:
        self.questions.append(question)
        return self.answers.pop(0)

    async def resolve_refused_commit(self, refused: RefusedCommit) -> CommitChoice:
        self.refused.append(refused)
        return self.commit_choices.pop(0) if self.commit_choices else CommitChoice.SEND_BACK


class CautiousHuman(ScriptedHuman):
    """Approves plans (when told to), answers every question, sends every step back."""

    def __init__(self, *, approve_plans: bool = True) -> None:
        super().__init__()
        self.approve_plans = approve_plans

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        self.plans.append(plan)
        if self.approve_plans:
            return PlanVerdict(approved=True, steps=list(plan.steps))
        return PlanVerdict(approved=False, feedback="smaller steps, please")

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.reviews.append(review)
        return StepVerdict(StepAction.SEND_BACK, feedback="not like this")

    async def answer_question(self, question: Question) -> Answer:
        self.questions.append(question)
        return Answer("the first one", option=0 if question.options else None)


class ApprovingHuman(CautiousHuman):
    """Approves plans and applies every step with all hunks accepted.

    A step flagged architectural is settled as a real developer would: its drafted
    decision recorded, or, with none, declared not architectural with a reason.
    """

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.reviews.append(review)
        for position in range(len(review.hunks)):
            review.set_verdict(position, Verdict.ACCEPTED)
        if review.decision is not None:
            return StepVerdict(
                StepAction.APPLY, decision_action=DecisionAction.RECORD, decision=review.decision
            )
        if review.architectural:
            return StepVerdict(
                StepAction.APPLY,
                decision_action=DecisionAction.NOT_ARCHITECTURAL,
                reason="a small test change",
            )
        return StepVerdict(StepAction.APPLY)
