"""Rebuilding an unfinished session from its journal, without asking the model again."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from slowcode.core.errors import SlowcodeError
from slowcode.core.layout import SESSIONS_DIR
from slowcode.core.plan import Plan, StepState
from slowcode.core.step_review import StepReview
from slowcode.core.text_delta import TextDelta, apply_delta
from slowcode.engine.model_loop.conversation import Conversation
from slowcode.engine.progress import SessionState
from slowcode.engine.review.state import OpenReview, SentBackRound
from slowcode.engine.staging.tree import JOURNAL_VERSION
from slowcode.journal import events as ev
from slowcode.journal.log import REDACTED, Event, entries_of
from slowcode.model.usage import Usage

S = SessionState


MASKED_CALL_RESULT = (
    "This call was not carried out before slowcode stopped, and its input holds a string "
    "the session's journal masks as a credential, so it cannot be run as you sent it; "
    "nothing was run: send the call again."
)


class StagedTextAltered(SlowcodeError):
    """A staged file's journaled text no longer matches the SHA-256 journaled with it."""


@dataclass
class ResumePoint:
    """Where an unfinished session stopped.

    `done_calls` maps the tool_use ids of the last, unanswered model turn that were
    already carried out to their results, so they are not run twice; the others
    are run again (a question or review the developer had not answered yet).
    `sent_back` is the current step's last round when the session stopped after
    sending it back and before the revised review opened: its verdicts carry over.
    """

    session_id: str
    task: str
    conversation: Conversation
    plan: Plan | None
    current_step: int | None
    state: SessionState
    staged: dict[str, Any]
    done_calls: dict[str, tuple[str, bool]] = field(default_factory=dict)
    review: OpenReview | None = None
    sent_back: StepReview | None = None
    responses: list[Usage] = field(default_factory=list)
    """Each answer's usage, oldest first; the last `step_responses` are the current step's."""
    step_responses: int = 0

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The current step's messages, the last one last."""
        return self.conversation.messages

    @property
    def ends_with_answer(self) -> bool:
        """The model answered last (and did not pause): nothing was sent after it."""
        messages = self.messages
        return bool(messages) and messages[-1]["role"] == "assistant" and not self.paused

    @property
    def paused(self) -> bool:
        """The last answer paused (`pause_turn`): the next request lets the model go on."""
        return self.conversation.paused

    def masked_calls(self) -> dict[str, tuple[str, bool]]:
        """Error results for the pending calls whose input the journal masked.

        The journal redacts credential-like strings in the model's messages, so a
        call that was never carried out would run with `[redacted]` in place of
        what the model wrote (a `Bearer …` example in a file, say). It is not run:
        the model is asked to send it again.
        """
        masked: dict[str, tuple[str, bool]] = {}
        for use in self.pending_uses:
            call_id = str(use.get("id"))
            if call_id not in self.done_calls and REDACTED in json.dumps(use.get("input")):
                masked[call_id] = (MASKED_CALL_RESULT, True)
        return masked

    def where(self) -> SessionState:
        """Where the session stood for the developer: a review still open counts as one."""
        if self.review is not None:
            return S.STEP_REVIEW
        if any(use.get("name") == "propose_plan" for use in self.pending_uses):
            return S.PLAN_REVIEW
        return self.state

    @property
    def pending_uses(self) -> list[dict[str, Any]]:
        """The tool calls of the last model turn when it was never answered."""
        if not self.ends_with_answer:
            return []
        content = self.messages[-1]["content"]
        return [b for b in content if isinstance(b, dict) and b.get("type") == "tool_use"]


def resume_point(session_id: str, events: list[Event]) -> ResumePoint:
    """Replays the journal's events into the state the session had when it stopped."""
    task = ""
    # The same fold of the same events as the live session's: the same requests.
    conversation = Conversation()
    plan: Plan | None = None
    approved = False
    finished: list[StepState] = []
    base: dict[str, str | None] = {}
    staged: dict[str, str] = {}
    # Each text's journaled hash, (text's, base's); None for a journal from before them.
    hashes: dict[str, tuple[str | None, str | None]] = {}
    done_calls: dict[str, tuple[str, bool]] = {}
    review: OpenReview | None = None
    sent_back: SentBackRound | None = None
    responses: list[Usage] = []
    since_step = 0
    for entry in entries_of(events):
        event = entry.event
        review = OpenReview.follow(review, event)
        sent_back = SentBackRound.follow(sent_back, event)
        conversation.follow(event)
        match event:
            case ev.SessionStarted():
                task = event.task
            case ev.ConversationMessage():
                done_calls = {}
            case ev.ToolCall(id=call_id) if call_id:
                done_calls[str(call_id)] = (event.result, event.is_error)
            case ev.PlanProposed():
                plan, approved = Plan.from_tool_input(event.plan), False
            case ev.PlanApproved():
                plan, approved, finished = Plan.from_tool_input(event.plan), True, []
            case ev.Staged(path=path):
                text = _staged_text(session_id, event, staged.get(path))
                if text is None:
                    continue
                if path not in base:
                    base[path] = event.base
                    hashes[path] = (None, event.base_sha256)
                staged[path] = text
                hashes[path] = (event.sha256, hashes[path][1])
            case ev.ModelResponse(usage=dict() as usage):
                responses.append(Usage.from_json(usage))
                since_step += 1
            case ev.StagedDiscarded():
                base, staged, hashes = {}, {}, {}
            case ev.StepApplied():
                base, staged, hashes, since_step = {}, {}, {}, 0
                finished.append(StepState.APPLIED if event.commit else StepState.SKIPPED)
    _check_staged(session_id, staged, base, hashes)
    current: int | None = None
    if plan is not None and approved:
        for number, step in enumerate(plan.steps, start=1):
            if number <= len(finished):
                step.state = finished[number - 1]
            elif current is None:
                current, step.state = number, StepState.IN_PROGRESS
    state = S.STEP_WORKING if approved else S.PLANNING
    return ResumePoint(
        session_id=session_id,
        task=task,
        conversation=conversation,
        plan=plan if approved else None,
        current_step=current,
        state=state,
        staged={"version": JOURNAL_VERSION, "base": base, "staged": staged},
        done_calls=done_calls,
        review=review,
        # A review still open is answered again, and a send-back from it sets the round.
        sent_back=sent_back.review() if sent_back is not None and review is None else None,
        responses=responses,
        step_responses=since_step,
    )


def _staged_text(session_id: str, event: ev.Staged, previous: str | None) -> str | None:
    """The staged text an event gives: its own, or its delta applied to the one before.

    The one before is the file's previous staged text in the step, or the event's
    base on the file's first event.

    Raises:
        StagedTextAltered: A delta with no staged text before it, or one that does not fit it.
    """
    if event.delta is None:
        return event.text
    origin = event.base if previous is None else previous
    try:
        if origin is None:
            raise ValueError("no text came before it")
        return apply_delta(origin, TextDelta.from_json(event.delta))
    except ValueError as error:
        what = f"edit of {event.path} does not fit the staged text before it ({error})"
        raise _altered(session_id, what) from None


def _altered(session_id: str, what: str) -> StagedTextAltered:
    return StagedTextAltered(
        f"session {session_id} cannot be resumed: the journal's {what} (the journal was "
        "changed), so none of it was written or committed; "
        f"remove {SESSIONS_DIR}/{session_id} to start afresh"
    )


def _check_staged(
    session_id: str,
    staged: dict[str, str],
    base: dict[str, str | None],
    hashes: dict[str, tuple[str | None, str | None]],
) -> None:
    """Refuses staged texts that differ from what was staged, before anything uses them.

    Raises:
        StagedTextAltered: A staged or base text's SHA-256 is not the one journaled
            with it (a journal without hashes is taken unchecked).
    """
    for path, (text_hash, base_hash) in sorted(hashes.items()):
        if text_hash is not None and ev.text_sha256(staged[path]) != text_hash:
            which = "staged text"
        elif base_hash is not None and ev.text_sha256(base[path]) != base_hash:
            which = "starting text"
        else:
            continue
        raise _altered(
            session_id, f"{which} of {path} does not match the SHA-256 it was staged with"
        )
