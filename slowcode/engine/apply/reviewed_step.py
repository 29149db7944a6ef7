"""Applying a reviewed step: its files written and committed, its check run.

When the developer's own edits to a file of the step conflict with it, nothing
is written and the step goes back to the model with the files as they are now.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slowcode.core.plan import StepState
from slowcode.core.step_review import StepReview
from slowcode.engine.apply.check import check_environment, run_check
from slowcode.engine.apply.check_trust import CheckGate
from slowcode.engine.apply.commit import AppliedStep, ApplyIntent, StepCommitter, committed_step
from slowcode.engine.apply.provenance import try_record_provenance
from slowcode.engine.apply.refused import settle_refusal
from slowcode.engine.apply.writes import StaleFileError, stale_paths
from slowcode.engine.human import DecisionAction, StepVerdict
from slowcode.engine.progress import (
    CheckFinished,
    CheckOutput,
    CheckStarted,
    NoticeRaised,
    SessionState,
    StepApplied,
)
from slowcode.engine.review.state import hunks_to_json
from slowcode.engine.staging.editor_tool import ToolOutcome
from slowcode.git.commit import CommitRefused
from slowcode.journal import events as ev

if TYPE_CHECKING:
    from slowcode.engine.ports import SessionPorts
    from slowcode.engine.review.step_round import StepRound

S = SessionState


class StepApplier:
    """Applies the steps a `StepFlow` had reviewed.

    Args:
        flow: The session the steps belong to.
        step_round: The state of the step under review; an apply clears its sent-back
            round and its pending decision.
    """

    def __init__(self, flow: SessionPorts, step_round: StepRound) -> None:
        self.flow = flow
        self.round = step_round
        self._check_gate: CheckGate | None = None

    @property
    def check_gate(self) -> CheckGate:
        """Whether the configured check may run (asked once per session and command)."""
        if self._check_gate is None:
            flow = self.flow
            self._check_gate = CheckGate(flow.root, flow.config, flow.human)
        return self._check_gate

    async def apply(
        self, review: StepReview, verdict: StepVerdict, done: dict[str, Any] | None = None
    ) -> ToolOutcome:
        """Applies the step, or takes over the commit a recovered apply already made (`done`)."""
        flow = self.flow
        step_round = self.round
        session = flow.session
        session.transition(S.APPLYING, f"applying step {review.step_number}")
        decision = verdict.decision or review.decision
        if verdict.decision_action is not DecisionAction.RECORD:
            decision = None
        if verdict.decision_action is DecisionAction.NOT_ARCHITECTURAL:
            flow.record(ev.NotArchitectural(reason=verdict.reason), sync=True)
        committer = StepCommitter(
            flow.repo, flow.decisions, session.session_id, flow.settings.model, flow.record
        )
        changed = [] if done else await asyncio.to_thread(stale_paths, flow.root, review.files)
        if changed:
            flow.record(ev.MergeAttempted(step=review.step_number, paths=changed))
        try:
            if done is not None:
                applied = committed_step(done)
            else:
                prepared = functools.partial(
                    committer.prepare,
                    review,
                    decision,
                    flow.today,
                    include_own_edits=step_round.include_own_edits,
                )
                outcome = await asyncio.to_thread(_apply_once, committer, prepared)
                if isinstance(outcome, AppliedStep):
                    applied = outcome
                else:
                    settled = await settle_refusal(flow, committer, *outcome, review.title)
                    if isinstance(settled, str):
                        return self._sent_back(review, settled)
                    applied = settled
        except StaleFileError as error:
            return self._conflicted(review, error)
        finally:
            step_round.include_own_edits = False
            step_round.own_edits_told = []
        if changed:
            flow.emit(
                NoticeRaised(
                    "info", "your own edits were merged with the step in " + ", ".join(changed)
                )
            )
        step_round.last_review = None
        if decision is not None:
            step_round.pending_decision = None
        usage, cost = session.step_usage_and_cost()
        flow.record(
            ev.StepApplied(
                step=review.step_number,
                commit=applied.commit,
                paths=applied.written,
                # The model's summary of done steps names the record by its title too.
                decision_title=decision.title if applied.decision_path and decision else None,
                usage=usage,
                cost_usd=cost,
            ),
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
            "decision": decision_result(verdict, applied.decision_path),
        }
        check = await self._run_check()
        if check is not None:
            result["check"] = check
        if applied.commit and flow.journal is not None:
            problem = await asyncio.to_thread(
                try_record_provenance,
                flow.root,
                flow.journal.path,
                session.session_id,
                review.step_number,
                applied.commit,
            )
            if problem:
                flow.emit(NoticeRaised("warning", problem))
        state = StepState.APPLIED if applied.commit else StepState.SKIPPED
        result["next_step"] = session.finish_current_step(state)
        session.transition(S.STEP_WORKING, "next step" if result["next_step"] else "summing up")
        return ToolOutcome(json.dumps(result, ensure_ascii=False))

    def _sent_back(self, review: StepReview, feedback: str) -> ToolOutcome:
        """The developer sent a step whose commit was refused back, with the hook's output."""
        self.round.last_review = review
        self.flow.session.transition(S.STEP_WORKING, f"revising step {review.step_number}")
        result = {"applied": False, "feedback": feedback, "hunks": review.verdicts_json()}
        return ToolOutcome(json.dumps(result, ensure_ascii=False))

    def _conflicted(self, review: StepReview, error: StaleFileError) -> ToolOutcome:
        """Nothing was written: tells the developer, and sends the step back with the new text."""
        flow = self.flow
        flow.emit(NoticeRaised("error", str(error)))
        flow.record(
            # The round in full, as a send-back journals it: a resume carries it over.
            ev.MergeConflict(
                step=review.step_number, paths=error.paths, round=hunks_to_json(review)
            ),
            sync=True,
        )
        self.round.last_review = review
        flow.session.transition(S.STEP_WORKING, "files changed during review")
        flow.discard_staged()
        parts = [
            f"{error}. The developer edited these files during the review and their edits "
            "conflict with the step, so the step is back with you. Your staged edits were "
            "discarded. Stage the step again against the files as they are now, keeping the "
            "developer's edits, then call finish_step.",
            "Verdicts of this round: " + json.dumps(review.verdicts_json(), ensure_ascii=False),
        ]
        for path in error.paths:
            text = error.current.get(path)
            shown = "(missing, or not text)" if text is None else f"```\n{text}```"
            parts.append(f"{path} on disk now:\n{shown}")
        return ToolOutcome("\n\n".join(parts), is_error=True)

    async def _run_check(self) -> dict[str, Any] | None:
        command = self.flow.config.check_command
        if not command:
            return None
        flow = self.flow
        if not await self.check_gate.allowed(command):
            source = flow.config.check_command_source or "the configuration"
            flow.record(ev.CheckSkipped(command=command, source=source, reason="not trusted"))
            problem = f" ({self.check_gate.problem})" if self.check_gate.problem else ""
            flow.emit(
                NoticeRaised(
                    "warning",
                    f"check not run: {command} (from {source}) is not trusted{problem}; "
                    "it is asked again next session",
                )
            )
            return {"ran": False, "reason": "not trusted"}
        settings = flow.settings
        env, secrets = check_environment(
            os.environ, settings.provider, (settings.api_key, settings.auth_token)
        )
        flow.emit(CheckStarted(command))
        result = await run_check(
            command,
            flow.root,
            lambda line: flow.emit(CheckOutput(line)),
            env=env,
            secrets=secrets,
        )
        flow.record(
            ev.CheckRun(command=command, exit_code=result.exit_code, output_tail=result.output_tail)
        )
        # Its outcome is announced once, by this event: a notice as well would say it twice.
        flow.emit(CheckFinished(command, result.exit_code))
        return result.to_json()


def decision_result(verdict: StepVerdict, path: str | None) -> str:
    """What became of the step's decision, as the `finish_step` result says it."""
    if path:
        return f"recorded: {path}"
    if verdict.decision_action is DecisionAction.REJECT:
        return "rejected"
    return "none"


def _apply_once(
    committer: StepCommitter, prepare: Callable[[], ApplyIntent | None]
) -> AppliedStep | tuple[ApplyIntent, CommitRefused]:
    """Journals the intent, writes, commits; a refused commit comes back with its intent."""
    intent = prepare()
    if intent is None:
        return AppliedStep(None, [], None)
    committer.record(intent.to_event(), sync=True)
    try:
        return committer.execute(intent)
    except CommitRefused as refusal:
        return intent, refusal
