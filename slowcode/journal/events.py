"""Every kind of journal event, one frozen dataclass each, and reading them back typed.

A field's name is its key in the event's `data` on disk, and each class is
registered under the `type` string journals have always used, so journals written
before events were typed read back unchanged (decision 0011). Nested structures the
journal holds as JSON (a plan, a message, hunks, usage) stay JSON here; the
modules that own them turn them into objects.

Write one with `Journal.record(CommitMade(...))`; read them back with
`read_entries` (or `Journal.entries`) and `match` on the classes. An event of a
kind this version does not know reads back as `UnknownEvent`, carrying its raw data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slowcode.journal.schema import (
    EVENT_TYPES,
    OMIT_WHEN_NONE,
    EventFormatError,
    JournalEvent,
    UnknownEvent,
    event_kind,
    event_type,
    parse_event,
)

__all__ = [
    "EVENT_TYPES",
    "EventFormatError",
    "JournalEvent",
    "UnknownEvent",
    "event_type",
    "parse_event",
]

Json = dict[str, Any]
_OMIT = {OMIT_WHEN_NONE: True}

# -- the session ------------------------------------------------------------------------


@event_kind("session_started")
@dataclass(frozen=True)
class SessionStarted(JournalEvent):
    """A session began: its task, the model, and the work tree it runs in."""

    task: str = ""
    model: str = ""
    root: str = ""


@event_kind("session_resumed")
@dataclass(frozen=True)
class SessionResumed(JournalEvent):
    """An unfinished session was continued, in `state`."""

    state: str


@event_kind("session_finished")
@dataclass(frozen=True)
class SessionFinished(JournalEvent):
    """The session ended with the model's summary (a resume looks for this event)."""

    summary: str


@event_kind("state_changed")
@dataclass(frozen=True)
class StateChanged(JournalEvent):
    """The session's state machine moved to `state`."""

    state: str
    detail: str = ""


@event_kind("conversation_message")
@dataclass(frozen=True)
class ConversationMessage(JournalEvent):
    """One message of the conversation with the model (`role`, `content`)."""

    message: Json


@event_kind("model_request")
@dataclass(frozen=True)
class ModelRequest(JournalEvent):
    """A request to the model: how many messages it carried, to which model."""

    messages: int
    model: str


@event_kind("model_response")
@dataclass(frozen=True)
class ModelResponse(JournalEvent):
    """The model answered (its message is the `conversation_message` just before).

    Attributes:
        stop_reason: Why the answer ended.
        usage: Its token usage (absent for an answer that could not be parsed).
        model: The model that answered.
        request_id: The API's request id.
        error: Why the answer could not be parsed (only then present).
    """

    stop_reason: str | None = None
    usage: Json | None = None
    model: str | None = None
    request_id: str | None = None
    error: str | None = None

    def to_data(self) -> Json:
        """An unparsable answer journals its error; any other its usage, model and id."""
        if self.error is not None:
            return {"stop_reason": self.stop_reason, "error": self.error}
        return {
            "stop_reason": self.stop_reason,
            "usage": self.usage,
            "model": self.model,
            "request_id": self.request_id,
        }


@event_kind("model_failed")
@dataclass(frozen=True)
class ModelFailed(JournalEvent):
    """A request to the model failed for good; `kind` names the failure."""

    kind: str
    message: str


@event_kind("session_error")
@dataclass(frozen=True)
class SessionError(JournalEvent):
    """Something nothing else handled stopped the session: the exception's type and message."""

    error: str
    message: str


@event_kind("protocol_error")
@dataclass(frozen=True)
class ProtocolError(JournalEvent):
    """The model broke the protocol; `problem` is what it was told."""

    problem: str


@event_kind("tool_call")
@dataclass(frozen=True)
class ToolCall(JournalEvent):
    """One tool call of the model, carried out (or refused), with its result.

    `id` and `input` are as the model sent them, which may be anything.
    """

    id: Any
    name: str
    input: Any
    is_error: bool
    result: str = ""


@event_kind("staged")
@dataclass(frozen=True)
class Staged(JournalEvent):
    """A file's staged text after an edit, and the text the step started from (None: new)."""

    path: str
    text: str | None
    base: str | None = None


@event_kind("staged_discarded")
@dataclass(frozen=True)
class StagedDiscarded(JournalEvent):
    """The current step's staged edits were dropped."""


# -- the plan and questions -------------------------------------------------------------


@event_kind("plan_proposed")
@dataclass(frozen=True)
class PlanProposed(JournalEvent):
    """The model proposed a plan (`Plan.to_json`)."""

    plan: Json


@event_kind("plan_sent_back")
@dataclass(frozen=True)
class PlanSentBack(JournalEvent):
    """The developer sent the plan back with feedback."""

    feedback: str = ""


@event_kind("plan_approved")
@dataclass(frozen=True)
class PlanApproved(JournalEvent):
    """The developer approved the plan, as they edited it (`Plan.to_json`)."""

    plan: Json


@event_kind("question_answered")
@dataclass(frozen=True)
class QuestionAnswered(JournalEvent):
    """The developer answered the model's question (`option`: the chosen one's index)."""

    question: str = ""
    answer: str = ""
    option: int | None = None


# -- a step's review --------------------------------------------------------------------


@event_kind("step_refused")
@dataclass(frozen=True)
class StepRefused(JournalEvent):
    """`finish_step` was refused: the staged edits break the syntax of `files`."""

    step: int
    files: list[str]


@event_kind("step_review_opened")
@dataclass(frozen=True)
class StepReviewOpened(JournalEvent):
    """A step's review opened with `hunks` hunks."""

    step: int
    summary: str = ""
    hunks: int = 0


@event_kind("step_review_resumed")
@dataclass(frozen=True)
class StepReviewResumed(JournalEvent):
    """A review left open when the session stopped was opened again."""

    step: int


@event_kind("review_progress")
@dataclass(frozen=True)
class ReviewProgress(JournalEvent):
    """The review's hunks after a change (verdict, split, edit), in full."""

    step: int
    hunks: list[Json]


@event_kind("verdicts_carried_over")
@dataclass(frozen=True)
class VerdictsCarriedOver(JournalEvent):
    """`hunks` hunks unchanged since the step was sent back kept their verdicts."""

    step: int
    hunks: int


@event_kind("why_asked")
@dataclass(frozen=True)
class WhyAsked(JournalEvent):
    """The developer asked the model why about one hunk."""

    step: int
    file: str
    index: int


@event_kind("why_answered")
@dataclass(frozen=True)
class WhyAnswered(JournalEvent):
    """The model's answer about a hunk, and what the side request used."""

    step: int
    file: str
    index: int
    answer: str
    usage: Json | None = field(default=None, metadata=_OMIT)


@event_kind("step_verdict")
@dataclass(frozen=True)
class StepVerdictGiven(JournalEvent):
    """The developer's verdict on a step, in full.

    Attributes:
        step: The step's number.
        action: `apply` or `send_back`.
        hunks: Each hunk's file, index, verdict and comment.
        feedback: What a send-back tells the model.
        decision_action: What became of the decision (`""`: nothing asked).
        reason: Why the step is not architectural, when the developer said so.
        decision: The decision record as edited, if any.
        round: A send-back's hunks in full, so the next round can carry them over.
    """

    step: int
    action: str
    hunks: list[Json] = field(default_factory=list)
    feedback: str = ""
    decision_action: str = ""
    reason: str = ""
    decision: Json | None = None
    round: list[Json] | None = field(default=None, metadata=_OMIT)


@event_kind("apply_refused")
@dataclass(frozen=True)
class ApplyRefused(JournalEvent):
    """An applying verdict was not carried out (a merge in progress, say); nothing written."""

    step: int
    problem: str


@event_kind("not_architectural")
@dataclass(frozen=True)
class NotArchitectural(JournalEvent):
    """The developer said why a flagged step is not architectural."""

    reason: str


# -- applying a step --------------------------------------------------------------------


@event_kind("merge_attempted")
@dataclass(frozen=True)
class MergeAttempted(JournalEvent):
    """Files of the step changed on disk during the review; their edits are merged."""

    step: int
    paths: list[str]


@event_kind("merge_conflict")
@dataclass(frozen=True)
class MergeConflict(JournalEvent):
    """The developer's edits conflict with the step, handed back with its round's hunks."""

    step: int
    paths: list[str]
    round: list[Json] | None = None


@event_kind("file_merged")
@dataclass(frozen=True)
class FileMerged(JournalEvent):
    """A file's accepted hunks were merged with the developer's own edits."""

    path: str


@event_kind("apply_intent")
@dataclass(frozen=True)
class ApplyIntentRecorded(JournalEvent):
    """Everything an apply will write and commit, before its first write (`ApplyIntent`)."""

    step: int
    parent: str | None
    files: list[Json]
    subject: str
    body: str
    trailers: list[list[str]]


@event_kind("file_written")
@dataclass(frozen=True)
class FileWritten(JournalEvent):
    """A file of the step was written; `sha256` of its new bytes."""

    path: str
    sha256: str


@event_kind("decision_written")
@dataclass(frozen=True)
class DecisionWritten(JournalEvent):
    """The step's decision record was written; `sha256` of its bytes."""

    path: str
    sha256: str


@event_kind("own_edits_included")
@dataclass(frozen=True)
class OwnEditsIncluded(JournalEvent):
    """The developer chose to commit their own overlapping uncommitted edits with the step."""

    step: int
    paths: list[str] = field(default_factory=list)


@event_kind("commit_refused")
@dataclass(frozen=True)
class CommitRefused(JournalEvent):
    """`git commit` or one of its hooks refused the step's commit; nothing was committed.

    Attributes:
        step: The step's number.
        output: What git and the hooks printed.
        changes: The diff of what a hook changed in the step's files ("" when none).
    """

    step: int
    output: str = ""
    changes: str = ""


@event_kind("commit_choice")
@dataclass(frozen=True)
class CommitChoiceMade(JournalEvent):
    """What the developer did about a refused commit: `retry`, `send_back` or `without_hooks`."""

    step: int
    choice: str


@event_kind("commit_made")
@dataclass(frozen=True)
class CommitMade(JournalEvent):
    """The step's commit.

    Attributes:
        step: The step's number.
        commit: The commit's id.
        paths: Every path it holds, the decision record last.
        written: The step's own files.
        decision_path: The decision record's path, if any.
        recovered: Made (or adopted) while recovering an interrupted apply.
    """

    step: int
    commit: str
    paths: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    decision_path: str | None = None
    recovered: bool = False


@event_kind("step_applied")
@dataclass(frozen=True)
class StepApplied(JournalEvent):
    """A step is done: its commit (None: nothing accepted), files, decision and usage."""

    step: int
    commit: str | None = None
    paths: list[str] = field(default_factory=list)
    decision_title: str | None = None
    usage: Json | None = field(default=None, metadata=_OMIT)
    cost_usd: float | None = field(default=None, metadata=_OMIT)


@event_kind("check_run")
@dataclass(frozen=True)
class CheckRun(JournalEvent):
    """The check command ran after a step: its exit code and output's tail."""

    command: str = ""
    exit_code: int = 0
    output_tail: str = ""


@event_kind("check_skipped")
@dataclass(frozen=True)
class CheckSkipped(JournalEvent):
    """The check command was not run: `reason` says why (``not trusted``)."""

    command: str = ""
    source: str = ""
    reason: str = ""


@event_kind("apply_rolled_back")
@dataclass(frozen=True)
class ApplyRolledBack(JournalEvent):
    """An interrupted apply was undone: `conflicts` changed since; `restored` got old bytes."""

    step: int
    conflicts: list[str]
    restored: list[str]


@event_kind("apply_recovered")
@dataclass(frozen=True)
class ApplyRecovered(JournalEvent):
    """An interrupted apply was completed on restart."""

    step: int
    commit: str | None


# -- after the session ------------------------------------------------------------------


@event_kind("undo_started")
@dataclass(frozen=True)
class UndoStarted(JournalEvent):
    """`slowcode undo` began reverting a step's commit (`step` as its trailer spells it)."""

    commit: str
    session: str = ""
    step: str = ""
    paths: list[str] = field(default_factory=list)


@event_kind("undo_made")
@dataclass(frozen=True)
class UndoMade(JournalEvent):
    """`slowcode undo` reverted a step's commit with `undo_commit`."""

    commit: str
    undo_commit: str
    session: str = ""
    step: str = ""
    paths: list[str] = field(default_factory=list)


AFTER_THE_FACT: tuple[type[JournalEvent], ...] = (UndoStarted, UndoMade)
"""Events that may follow a session's end (an undo of one of its steps): they leave a
finished session finished, and a journal holding nothing else is no session to resume."""
