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

import hashlib
from dataclasses import dataclass, field
from typing import Any, Self

from slowcode.core.text_delta import text_delta
from slowcode.journal.apply_events import (
    AFTER_THE_FACT,
    ApplyIntentRecorded,
    ApplyRecovered,
    ApplyRolledBack,
    CheckRun,
    CheckSkipped,
    CommitChoiceMade,
    CommitMade,
    CommitRefused,
    DecisionWritten,
    FileMerged,
    FileWritten,
    MergeAttempted,
    MergeConflict,
    OwnEditsIncluded,
    StepApplied,
    UndoMade,
    UndoStarted,
)
from slowcode.journal.model_events import (
    ContextShrunk,
    ModelFailed,
    ModelRequest,
    ModelResponse,
    ProtocolError,
    TurnPaused,
    TurnWithdrawn,
)
from slowcode.journal.schema import (
    EVENT_TYPES,
    OMIT_WHEN_NONE,
    VERBATIM,
    EventFormatError,
    JournalEvent,
    UnknownEvent,
    event_kind,
    event_type,
    parse_event,
)

__all__ = [
    "AFTER_THE_FACT",
    "EVENT_TYPES",
    "ApplyIntentRecorded",
    "ApplyRecovered",
    "ApplyRolledBack",
    "CheckRun",
    "CheckSkipped",
    "CommitChoiceMade",
    "CommitMade",
    "CommitRefused",
    "ContextShrunk",
    "DecisionWritten",
    "EventFormatError",
    "FileMerged",
    "FileWritten",
    "JournalEvent",
    "MergeAttempted",
    "MergeConflict",
    "ModelFailed",
    "ModelRequest",
    "ModelResponse",
    "OwnEditsIncluded",
    "ProtocolError",
    "StepApplied",
    "TurnPaused",
    "TurnWithdrawn",
    "UndoMade",
    "UndoStarted",
    "UnknownEvent",
    "event_type",
    "parse_event",
    "text_sha256",
]

Json = dict[str, Any]
_OMIT = {OMIT_WHEN_NONE: True}
_VERBATIM = {VERBATIM: True}


def text_sha256(text: str | None) -> str | None:
    """The SHA-256 hex digest of a text's UTF-8 bytes (None for None)."""
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- the session ------------------------------------------------------------------------


@event_kind("session_started")
@dataclass(frozen=True)
class SessionStarted(JournalEvent):
    """A session began: its task, the model, the work tree it runs in, and where the
    model is reached (`provider`, `region`: what its cost depends on; never a credential).

    Journals written before the endpoint was recorded have neither: None.
    """

    task: str = ""
    model: str = ""
    root: str = ""
    provider: str | None = field(default=None, metadata=_OMIT)
    region: str | None = field(default=None, metadata=_OMIT)


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


@event_kind("session_error")
@dataclass(frozen=True)
class SessionError(JournalEvent):
    """Something nothing else handled stopped the session: the exception's type and message."""

    error: str
    message: str


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
    """A file's staged text after an edit, and the text the step started from (None: new).

    Both texts are journaled verbatim, never redacted, with their SHA-256, so a
    resume rebuilds exactly what was staged or refuses (decision 0024). A journal
    from before the hashes has none: its texts are taken unchecked.

    The staged text is journaled as `delta`, its change from the file's previous
    staged text in the step (from `base` on the file's first event), so many small
    edits to a large file stay small; only the base, once per file and step, and a
    new file's first text are journaled whole (decision 0030).

    Attributes:
        path: The file, relative to the work tree.
        text: Its staged text (None when `delta` stands for it).
        base: Its text when the step started, on the file's first event of the step
            (None: a new file, or a later event).
        sha256: `text_sha256` of the staged text.
        base_sha256: `text_sha256` of the text the step started from.
        delta: `TextDelta.to_json()` from the previous staged text (or `base`) to this one.
    """

    path: str
    text: str | None = field(metadata=_VERBATIM)
    base: str | None = field(default=None, metadata=_VERBATIM)
    sha256: str | None = field(default=None, metadata=_OMIT)
    base_sha256: str | None = field(default=None, metadata=_OMIT)
    delta: list[Any] | None = field(default=None, metadata={OMIT_WHEN_NONE: True, VERBATIM: True})

    @classmethod
    def of(cls, path: str, text: str, base: str | None, previous: str | None = None) -> Self:
        """The event for a staged file, with the hashes of both its texts.

        Args:
            path: The file.
            text: Its staged text now.
            base: Its text when the step started.
            previous: Its staged text as the step's last `staged` event of it gave
                (None: this is its first, journaled whole).
        """
        origin = base if previous is None else previous
        if origin is None:
            return cls(path, text, base, text_sha256(text), text_sha256(base))
        delta = list(text_delta(origin, text).to_json())
        first_base = base if previous is None else None
        return cls(path, None, first_base, text_sha256(text), text_sha256(base), delta)


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
    hunks: list[Json] = field(metadata=_VERBATIM)


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
    # What is written and committed after a resume: kept exact, never redacted.
    decision: Json | None = field(default=None, metadata=_VERBATIM)
    round: list[Json] | None = field(default=None, metadata={OMIT_WHEN_NONE: True, VERBATIM: True})


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
