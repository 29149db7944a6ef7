"""The tools that wait for the developer: the plan, questions, and each step's review."""

from __future__ import annotations

import asyncio
import json
import subprocess
from typing import TYPE_CHECKING, Any

from slowcode.decisions.record import ConsideredOption, DecisionRecord
from slowcode.engine.apply import StaleFileError
from slowcode.engine.diffs import diff_step
from slowcode.engine.editor_tool import ToolOutcome
from slowcode.engine.human import (
    DecisionAction,
    Question,
    QuestionOption,
    StepAction,
    StepVerdict,
)
from slowcode.engine.plan import Plan, StepState
from slowcode.engine.progress import NoticeRaised, PlanUpdated, SessionState, StepApplied
from slowcode.engine.review import StepReview
from slowcode.engine.step_commit import StepCommitter

if TYPE_CHECKING:
    from slowcode.engine.workflow import Workflow

S = SessionState

# The check command's output is cut to its last lines before it goes to the model.
CHECK_TAIL_CHARS = 4000
CHECK_TIMEOUT_SECONDS = 900


def _json(data: dict[str, Any]) -> ToolOutcome:
    return ToolOutcome(json.dumps(data, ensure_ascii=False))


class StepFlow:
    """Answers `propose_plan`, `ask_human` and `finish_step` by asking the developer."""

    def __init__(self, workflow: Workflow) -> None:
        self.flow = workflow
        # An architectural `ask_human` answer waits here for the next applied step.
        self.pending_decision: DecisionRecord | None = None

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
        flow.record("plan_proposed", {"plan": plan.to_json()})
        session.plan = plan
        session.emit(PlanUpdated(plan))
        session.transition(S.PLAN_REVIEW, "waiting for the plan's approval")
        verdict = await flow.human.review_plan(plan)
        if not verdict.approved or not verdict.steps:
            flow.record("plan_sent_back", {"feedback": verdict.feedback}, sync=True)
            session.transition(S.PLANNING, "revising the plan")
            return _json({"approved": False, "feedback": verdict.feedback})
        approved = Plan(goal=plan.goal, steps=list(verdict.steps))
        flow.record("plan_approved", {"plan": approved.to_json()}, sync=True)
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
            "question_answered",
            {"question": question.question, "answer": answer.answer, "option": answer.option},
            sync=True,
        )
        flow.session.transition(back_to)
        if question.architectural:
            self.pending_decision = _draft_from_question(question, answer.answer, answer.option)
        return _json({"answer": answer.answer, "option": answer.option})

    # -- finish_step ---------------------------------------------------------------------

    async def finish_step(self, tool_input: dict[str, Any]) -> ToolOutcome:
        """Checks the step, has the developer review it, and applies what they accepted."""
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
        if review.architectural:
            review.architectural_reasons.append("the model marked this step architectural")
        if tool_input.get("decision"):
            review.decision = DecisionRecord.from_finish_step(tool_input["decision"])
        elif self.pending_decision is not None:
            review.decision = self.pending_decision
            review.architectural = True
            review.architectural_reasons.append("an architectural question was answered")
        flow.record(
            "step_review_opened",
            {"step": number, "summary": review.summary, "hunks": len(review.hunks)},
        )
        session.transition(S.STEP_REVIEW, f"reviewing step {number}")
        verdict = await self._review_until_applicable(review)
        flow.record(
            "step_verdict",
            {
                "step": number,
                "action": str(verdict.action),
                "hunks": review.verdicts_json(),
                "feedback": verdict.feedback,
                "decision_action": str(verdict.decision_action or ""),
                "reason": verdict.reason,
            },
            sync=True,
        )
        if verdict.action is StepAction.SEND_BACK:
            session.transition(S.STEP_WORKING, f"revising step {number}")
            return _json(
                {"applied": False, "feedback": verdict.feedback, "hunks": review.verdicts_json()}
            )
        return await self._apply(review, verdict)

    async def _review_until_applicable(self, review: StepReview) -> StepVerdict:
        """Asks for the review again while a step cannot be applied (no git identity)."""
        flow = self.flow
        while True:
            verdict = await flow.human.review_step(review)
            if verdict.action is StepAction.APPLY and flow.repo.identity() is None:
                flow.emit(NoticeRaised("error", flow.repo.identity_hint()))
                continue
            return verdict

    async def _apply(self, review: StepReview, verdict: StepVerdict) -> ToolOutcome:
        flow = self.flow
        session = flow.session
        session.transition(S.APPLYING, f"applying step {review.step_number}")
        decision = verdict.decision or review.decision
        if verdict.decision_action is not DecisionAction.RECORD:
            decision = None
        if verdict.decision_action is DecisionAction.NOT_ARCHITECTURAL:
            flow.record("not_architectural", {"reason": verdict.reason}, sync=True)
        committer = StepCommitter(
            flow.repo, flow.decisions, session.session_id, flow.settings.model, flow.record
        )
        try:
            applied = await asyncio.to_thread(committer.apply, review, decision)
        except StaleFileError as error:
            flow.emit(NoticeRaised("error", str(error)))
            session.transition(S.STEP_WORKING, "files changed during review")
            flow.discard_staged()
            return ToolOutcome(
                f"{error} Nothing was written. View the files again and stage the step anew.",
                is_error=True,
            )
        if decision is not None:
            self.pending_decision = None
        flow.record(
            "step_applied",
            {"step": review.step_number, "commit": applied.commit, "paths": applied.written},
            sync=True,
        )
        flow.tree.discard()
        flow.emit(
            StepApplied(
                review.step_number, review.title, applied.commit or "", applied.decision_path
            )
        )
        result: dict[str, Any] = {
            "applied": True,
            "commit": applied.commit,
            "hunks": review.verdicts_json(),
            "decision": _decision_result(verdict, applied.decision_path),
        }
        check = await self._run_check()
        if check is not None:
            result["check"] = check
        state = StepState.APPLIED if applied.commit else StepState.SKIPPED
        result["next_step"] = session.finish_current_step(state)
        session.transition(S.STEP_WORKING, "next step" if result["next_step"] else "summing up")
        return _json(result)

    async def _run_check(self) -> dict[str, Any] | None:
        command = self.flow.config.check_command
        if not command:
            return None
        flow = self.flow
        flow.emit(NoticeRaised("info", f"running check: {command}"))
        try:
            completed = await asyncio.to_thread(
                subprocess.run,
                command,
                shell=True,  # the project's own configured command, never the model's
                cwd=flow.root,
                capture_output=True,
                text=True,
                timeout=CHECK_TIMEOUT_SECONDS,
            )
            code, output = completed.returncode, completed.stdout + completed.stderr
        except subprocess.TimeoutExpired:
            code, output = -1, f"timed out after {CHECK_TIMEOUT_SECONDS} s"
        tail = output[-CHECK_TAIL_CHARS:]
        flow.record("check_run", {"command": command, "exit_code": code, "output_tail": tail})
        level = "info" if code == 0 else "error"
        flow.emit(NoticeRaised(level, f"check {'passed' if code == 0 else 'FAILED'}: {command}"))
        return {"command": command, "exit_code": code, "output_tail": tail}


def _decision_result(verdict: StepVerdict, path: str | None) -> str:
    if path:
        return f"recorded: {path}"
    if verdict.decision_action is DecisionAction.REJECT:
        return "rejected"
    return "none"


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
