"""The tools that wait for the developer: the plan, questions, and each step's review."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from slowcode.core.decision_record import ConsideredOption, DecisionRecord
from slowcode.core.plan import Plan
from slowcode.core.step_review import StepReview, Verdict
from slowcode.decisions.detector import changes_from_diffs, existed_in
from slowcode.decisions.detector import detect as detect_architectural
from slowcode.engine.apply.own_edits import OwnEditsOverlap, overlapping_files
from slowcode.engine.apply.reviewed_step import StepApplier
from slowcode.engine.human import (
    DecisionAction,
    Question,
    QuestionOption,
    StepAction,
    StepVerdict,
)
from slowcode.engine.progress import (
    NoticeRaised,
    PlanUpdated,
    SessionState,
)
from slowcode.engine.review.hunk_ops import carry_over
from slowcode.engine.review.hunk_question import WhyQuestion
from slowcode.engine.review.state import (
    OpenReview,
    ReviewJournal,
    restore_hunks,
    verdict_event,
    verdict_from_json,
)
from slowcode.engine.review.step_round import StepRound
from slowcode.engine.staging.diffs import diff_step
from slowcode.engine.staging.editor_tool import ToolOutcome
from slowcode.engine.staging.guards import parse_guard_message, parse_regressions
from slowcode.git import repo_state
from slowcode.journal import events as ev

if TYPE_CHECKING:
    from slowcode.engine.ports import SessionPorts

S = SessionState


def _json(data: dict[str, Any]) -> ToolOutcome:
    return ToolOutcome(json.dumps(data, ensure_ascii=False))


class StepFlow:
    """Answers `propose_plan`, `ask_human` and `finish_step` by asking the developer."""

    def __init__(self, workflow: SessionPorts) -> None:
        self.flow = workflow
        self.round = StepRound()
        self.applier = StepApplier(workflow, self.round)

    # -- propose_plan ------------------------------------------------------------------

    async def propose_plan(self, tool_input: dict[str, Any]) -> ToolOutcome:
        """Shows the plan to the developer; returns it approved (as edited) or the feedback."""
        flow = self.flow
        session = flow.session
        if session.state is not S.PLANNING:
            flow.mark_protocol_break()
            return ToolOutcome(
                "The plan is already approved; carry on with the current step.", is_error=True
            )
        plan = Plan.from_tool_input(tool_input)
        flow.record(ev.PlanProposed(plan=plan.to_json()))
        session.plan = plan
        session.emit(PlanUpdated(plan))
        session.transition(S.PLAN_REVIEW, "waiting for the plan's approval")
        verdict = await flow.human.review_plan(plan)
        if not verdict.approved or not verdict.steps:
            flow.record(ev.PlanSentBack(feedback=verdict.feedback), sync=True)
            session.transition(S.PLANNING, "revising the plan")
            return _json({"approved": False, "feedback": verdict.feedback})
        approved = Plan(goal=plan.goal, steps=list(verdict.steps))
        flow.record(ev.PlanApproved(plan=approved.to_json()), sync=True)
        session.approve_plan(approved)
        return _json(
            {
                "approved": True,
                "steps": [step.to_json() for step in approved.steps],
                "current_step": 1,
            }
        )

    # -- ask_human -----------------------------------------------------------------------

    async def ask_human(self, tool_input: dict[str, Any]) -> ToolOutcome:
        """Asks the developer; an architectural answer becomes a decision draft."""
        flow = self.flow
        question = Question(
            question=str(tool_input["question"]),
            options=[
                QuestionOption(str(o["label"]), str(o.get("consequences", "")))
                for o in tool_input.get("options") or []
            ],
            architectural=bool(tool_input.get("architectural", False)),
        )
        back_to = flow.session.state
        flow.session.transition(S.ASKING, "waiting for the developer's answer")
        answer = await flow.human.answer_question(question)
        flow.record(
            ev.QuestionAnswered(
                question=question.question, answer=answer.answer, option=answer.option
            ),
            sync=True,
        )
        flow.session.transition(back_to)
        if question.architectural:
            draft = _draft_from_question(question, answer.answer, answer.option)
            self.round.pending_decision = draft
        return _json({"answer": answer.answer, "option": answer.option})

    # -- finish_step ---------------------------------------------------------------------

    async def finish_step(self, tool_input: dict[str, Any]) -> ToolOutcome:
        """Checks the step, has the developer review it, and applies what they accepted.

        The stages: the step checked (`_checked_review`), its architecture weighed
        (`_weigh_architecture`), the review opened or reopened (`_open_review`), a
        verdict the step can be applied with (`_applicable_verdict`), then the step
        sent back or applied.
        """
        checked = await self._checked_review(tool_input)
        if isinstance(checked, ToolOutcome):
            return checked
        review = checked
        await self._weigh_architecture(review, tool_input)
        restored = await self._open_review(review)
        applied = restored.applied if restored else None
        if restored is not None and restored.verdict is not None:
            verdict = verdict_from_json(restored.verdict)
        else:
            verdict = await self._verdict(review)
        if applied is None:
            verdict = await self._applicable_verdict(review, verdict)
        if verdict.action is StepAction.SEND_BACK:
            self.round.last_review = review
            self.flow.session.transition(S.STEP_WORKING, f"revising step {review.step_number}")
            return _json(
                {"applied": False, "feedback": verdict.feedback, "hunks": review.verdicts_json()}
            )
        return await self.applier.apply(review, verdict, applied)

    async def _checked_review(self, tool_input: dict[str, Any]) -> StepReview | ToolOutcome:
        """The step's review, or the error result that sends the model back to work."""
        flow = self.flow
        session = flow.session
        if session.state is not S.STEP_WORKING or session.plan is None:
            flow.mark_protocol_break()
            return ToolOutcome("No step in progress: propose a plan first.", is_error=True)
        if session.current_step is None:
            return ToolOutcome("Every step of the plan is done; end with a summary.", True)
        files = await asyncio.to_thread(diff_step, flow.tree)
        if not files:
            return ToolOutcome(
                "This step stages no change. Stage its edits, then call finish_step.", True
            )
        number = session.current_step
        review = StepReview(
            step_number=number,
            title=session.plan.steps[number - 1].title,
            summary=str(tool_input["summary"]),
            files=files,
            architectural=bool(tool_input.get("architectural", False)),
        )
        limit = flow.config.max_changed_lines
        if review.changed_lines > limit:
            return ToolOutcome(
                f"This step changes {review.changed_lines} lines, over the limit of {limit}. "
                "Make it smaller (undo part of the staged edits, leave the rest for a later "
                "step) and call finish_step again.",
                is_error=True,
            )
        broken = await asyncio.to_thread(
            parse_regressions, files, {file.path: file.new_text for file in files}
        )
        if broken:
            flow.record(ev.StepRefused(step=number, files=[b.path for b in broken]))
            return ToolOutcome(parse_guard_message(broken), is_error=True)
        return review

    async def _weigh_architecture(self, review: StepReview, tool_input: dict[str, Any]) -> None:
        """Flags the step architectural, with the reasons, and attaches its decision draft."""
        if review.architectural:
            review.architectural_reasons.append("the model marked this step architectural")
        detected = await asyncio.to_thread(
            detect_architectural, changes_from_diffs(review.files), existed_in(self.flow.root)
        )
        if detected:
            review.architectural = True
            review.architectural_reasons.extend(detected)
        if tool_input.get("decision"):
            review.decision = DecisionRecord.from_finish_step(tool_input["decision"])
        elif self.round.pending_decision is not None:
            review.decision = self.round.pending_decision
            review.architectural = True
            review.architectural_reasons.append("an architectural question was answered")

    async def _open_review(self, review: StepReview) -> OpenReview | None:
        """Opens the review, with carried-over verdicts, or reopens a resumed one as it was.

        Returns:
            The resumed session's open review of this step, or None for a new review.
        """
        flow = self.flow
        number = review.step_number
        carried = self._carry_over(review)
        review.ask_why = lambda position: self.why(review, position)
        restored, self.round.restored = self.round.restored, None
        if restored is not None and restored.step == number:
            # Resumed: the review's hunks and any verdict come from the journal.
            if restored.hunks is not None:
                restore_hunks(review, restored.hunks)
            flow.record(ev.StepReviewResumed(step=number))
        else:
            restored = None
            flow.record(
                ev.StepReviewOpened(step=number, summary=review.summary, hunks=len(review.hunks))
            )
        review.on_change = ReviewJournal(flow.record)
        # Where HEAD was when the review opened: a branch switch or a new commit since
        # is named before the step is committed there.
        self.round.head_at_review = await asyncio.to_thread(repo_state.head_position, flow.root)
        if carried and restored is None:
            # Journaled now, so a stop before the first verdict reopens them carried.
            review.changed()
        flow.session.transition(S.STEP_REVIEW, f"reviewing step {number}")
        return restored

    async def _applicable_verdict(self, review: StepReview, verdict: StepVerdict) -> StepVerdict:
        """Asks again, with the reason, while an "apply" cannot be carried out.

        A merge started, a file of the step left conflicted, the decisions folder made
        read-only, HEAD moved, or the developer's own edits overlapping the step: nothing
        is written, and the review stays open with its verdicts.
        """
        flow = self.flow
        while verdict.action is StepAction.APPLY:
            paths = [file.path for file in review.files]
            records = verdict.decision_action is DecisionAction.RECORD
            folder = flow.decisions.folder if records else None
            problem = await asyncio.to_thread(repo_state.apply_blocker, flow.root, paths, folder)
            if problem is None:
                problem = await self._head_problem()
            if problem is None:
                problem = await self._own_edits_problem(review)
            if problem is None:
                break
            flow.emit(NoticeRaised("error", problem))
            flow.record(ev.ApplyRefused(step=review.step_number, problem=problem), sync=True)
            verdict = await self._verdict(review)
        return verdict

    async def _head_problem(self) -> str | None:
        """How HEAD moved since the review opened, told once; applying again accepts it."""
        now = await asyncio.to_thread(repo_state.head_position, self.flow.root)
        problem = repo_state.head_moved(self.round.head_at_review, now)
        self.round.head_at_review = now
        return problem

    async def _own_edits_problem(self, review: StepReview) -> str | None:
        """Why the step's commit cannot leave the developer's own edits out, or None.

        Told once: applying again with the same files overlapping is the developer's
        explicit choice to include their edits in the step's commit.
        """
        overlap = await asyncio.to_thread(overlapping_files, self.flow.root, review.files)
        if overlap and overlap != self.round.own_edits_told:
            self.round.own_edits_told = overlap
            return str(OwnEditsOverlap(overlap))
        self.round.include_own_edits = bool(overlap)
        return None

    def _carry_over(self, review: StepReview) -> int:
        """Gives hunks unchanged since the step was sent back their earlier verdicts.

        Returns:
            How many hunks got a verdict.
        """
        previous, self.round.last_review = self.round.last_review, None
        if previous is None or previous.step_number != review.step_number:
            return 0
        carried = carry_over(previous, review)
        if carried:
            self.flow.record(ev.VerdictsCarriedOver(step=review.step_number, hunks=carried))
        kept = (Verdict.ACCEPTED, Verdict.EDITED)
        lost = sum(h.verdict in kept for h in previous.hunks) - sum(
            h.verdict in kept and h.carried_over for h in review.hunks
        )
        if lost > 0:
            # Said, not left to be noticed: an accepted or edited hunk the model changed
            # (or one split before) is undecided again.
            noun = "hunk" if lost == 1 else "hunks"
            self.flow.emit(
                NoticeRaised(
                    "warning",
                    f"{lost} {noun} you accepted or edited changed in the revision, "
                    "so they are undecided again (your edits were not carried over)",
                )
            )
        return carried

    async def why(self, review: StepReview, position: int) -> str:
        """Asks the model "why?" about one hunk in a side request; the step is unchanged.

        The answer is set on the hunk (`Hunk.why`), journaled and returned.

        Raises:
            ModelError: The request failed.
        """
        flow = self.flow
        session = flow.session
        plan = session.plan
        reason = ""
        if plan is not None and 0 < review.step_number <= len(plan.steps):
            reason = plan.steps[review.step_number - 1].why
        question = WhyQuestion.of(review, position, session.task, reason)
        hunk = question.hunk
        flow.record(ev.WhyAsked(step=review.step_number, file=hunk.file, index=hunk.index))
        turn = await flow.client.complete(question.request(), lambda _event: None)
        answer = turn.text.strip() or "(The model gave no answer.)"
        session.add_usage(turn.usage)
        flow.record(
            ev.WhyAnswered(
                step=review.step_number,
                file=hunk.file,
                index=hunk.index,
                answer=answer,
                usage=turn.usage.to_json(),
            ),
            sync=True,
        )
        hunk.why = answer
        return answer

    async def _verdict(self, review: StepReview) -> StepVerdict:
        verdict = await self._review_until_applicable(review)
        self.flow.record(verdict_event(review.step_number, verdict, review), sync=True)
        return verdict

    async def _review_until_applicable(self, review: StepReview) -> StepVerdict:
        """Asks for the review again while a step cannot be applied (no git identity)."""
        flow = self.flow
        while True:
            verdict = await flow.human.review_step(review)
            if verdict.action is StepAction.APPLY and flow.repo.identity() is None:
                flow.emit(NoticeRaised("error", flow.repo.identity_hint()))
                continue
            if verdict.action is StepAction.APPLY and not _settles_architecture(review, verdict):
                flow.emit(NoticeRaised("error", ARCHITECTURAL_HINT))
                continue
            return verdict


ARCHITECTURAL_HINT = (
    "this step is architectural: record its decision, or say why it is not architectural"
)


def _settles_architecture(review: StepReview, verdict: StepVerdict) -> bool:
    """A flagged step applies only with a recorded decision or a "not architectural" reason."""
    if not review.architectural:
        return True
    if verdict.decision_action is DecisionAction.RECORD:
        return (verdict.decision or review.decision) is not None
    return verdict.decision_action is DecisionAction.NOT_ARCHITECTURAL and bool(
        verdict.reason.strip()
    )


def _draft_from_question(question: Question, answer: str, option: int | None) -> DecisionRecord:
    options = [
        ConsideredOption(o.label, pros=[o.consequences] if o.consequences else [])
        for o in question.options
    ]
    chosen = (
        question.options[option].label
        if option is not None and 0 <= option < len(question.options)
        else answer
    )
    return DecisionRecord(
        title=chosen[:80] if chosen else question.question[:80],
        context=question.question,
        outcome=answer,
        options=options,
        chosen=chosen,
    )
