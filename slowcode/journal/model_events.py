"""The journal's events of the conversation with the model: requests, answers, deviations.

Registered like every other kind; `slowcode.journal.events` re-exports them, so
readers match on `ev.ModelResponse` wherever the class is defined. The last three
kinds record how slowcode answered a model that did not follow the protocol: a
paused turn sent back, an answer taken out of the conversation, and the context
shrunk after it outgrew the model's window (decision 0029). A journal from before
them has none, and a version of slowcode that does not know them reads them back
as `UnknownEvent`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slowcode.journal.schema import JournalEvent, event_kind

Json = dict[str, Any]


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


@event_kind("protocol_error")
@dataclass(frozen=True)
class ProtocolError(JournalEvent):
    """The model broke the protocol; `problem` is what it was told."""

    problem: str


@event_kind("turn_paused")
@dataclass(frozen=True)
class TurnPaused(JournalEvent):
    """The answer stopped with `pause_turn`: it is sent back as it is, for the model to go on.

    Attributes:
        pauses: How many answers in a row paused, this one included.
    """

    pauses: int


@event_kind("turn_withdrawn")
@dataclass(frozen=True)
class TurnWithdrawn(JournalEvent):
    """The model's last answer was taken out of the conversation and is never sent again.

    Nothing in it was run. A refused answer is withdrawn (the API asks for the
    context to be reset after a refusal), and so is one cut off because the
    context window filled up.

    Attributes:
        stop_reason: The answer's stop reason (`refusal`, `model_context_window_exceeded`).
    """

    stop_reason: str


@event_kind("context_shrunk")
@dataclass(frozen=True)
class ContextShrunk(JournalEvent):
    """The prompt outgrew the model's context window, so the next requests carry less.

    Attributes:
        reason: What said so: the stop reason, or the API's error message.
        map_tokens: The repository map's token budget from now on.
        folded_steps: Finished steps whose exchanges or details left the requests.
        dropped_messages: Messages of earlier steps (or of planning) left out.
        detailed_steps: How many finished steps the progress summary still describes.
        shrinks: Shrinks in a row without an answer in between, this one included.
    """

    reason: str
    map_tokens: int
    folded_steps: int
    dropped_messages: int
    detailed_steps: int
    shrinks: int
