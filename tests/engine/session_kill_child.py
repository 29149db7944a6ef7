"""Runs (or resumes) a scripted two-step session and SIGKILLs itself after event N.

Usage: python session_kill_child.py ROOT BASE_URL MODE KILL_AFTER [THINKING]

MODE is `run` or `resume`. KILL_AFTER is the journal sequence number after whose
write the process sends itself SIGKILL (0: never). The developer is scripted: the
plan is approved, step 1's second hunk rejected, everything else accepted, the
decision recorded. THINKING, when given, is the `thinking` setting (`off` by default).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from slowcode.core.config import Config
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
from slowcode.engine.session.workflow import Workflow
from slowcode.journal import log as journal
from slowcode.model.settings import ModelSettings


class Developer:
    """Decides hunk by hunk, so each verdict is its own journal event."""

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        return PlanVerdict(approved=True, steps=list(plan.steps))

    async def review_step(self, review: StepReview) -> StepVerdict:
        for position, hunk in enumerate(review.hunks):
            if hunk.is_decided:
                continue
            reject = review.step_number == 1 and position == 1
            review.set_verdict(position, Verdict.REJECTED if reject else Verdict.ACCEPTED)
        action = DecisionAction.RECORD if review.decision else None
        return StepVerdict(StepAction.APPLY, decision_action=action, decision=review.decision)

    async def answer_question(self, question: Question) -> Answer:
        return Answer("yes")

    async def resolve_refused_commit(self, refused: RefusedCommit) -> CommitChoice:
        raise AssertionError(f"no refused commit expected: {refused.output}")


def main() -> None:
    root, base_url, mode, kill_after = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    thinking = sys.argv[5] if len(sys.argv) > 5 else "off"
    append = journal.Journal.append

    def append_then_maybe_die(self: journal.Journal, *args: Any, **kwargs: Any) -> Any:
        event = append(self, *args, **kwargs)
        if event["seq"] == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return event

    journal.Journal.append = append_then_maybe_die  # type: ignore[method-assign]
    settings = ModelSettings(
        base_url=base_url,
        api_key="test-key",
        retry_backoff_seconds=0.01,
        timeout_seconds=10,
        stream_retries=1,
        max_retries=0,
        thinking=thinking,
    )
    workflow = Workflow(
        root=Path(root),
        config=Config(),
        settings=settings,
        human=Developer(),
        on_progress=lambda _event: None,
    )
    if mode == "run":
        asyncio.run(workflow.run("Make greetings nicer"))
    else:
        asyncio.run(workflow.resume())
    print(journal.Journal.open(workflow.journal.path).last_seq if workflow.journal else 0)


if __name__ == "__main__":
    main()
