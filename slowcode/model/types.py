"""The model client's data: requests, streamed events, finished turns, usage, errors.

Plain dataclasses and JSON-shaped dicts, so the engine, the journal and the tests
never need the SDK's own classes (and never pay for importing it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slowcode.model.usage import JsonDict as JsonDict
from slowcode.model.usage import Usage as Usage


@dataclass
class TurnRequest:
    """One Messages API request: system blocks, tool definitions, the conversation."""

    system: list[JsonDict]
    tools: list[JsonDict]
    messages: list[JsonDict]
    max_tokens: int = 8192
    max_tool_input_chars: int | None = None
    """A tool call's input longer than this (in JSON) stops reading the answer."""


@dataclass
class ModelTurn:
    """A finished model response.

    `content` holds the response's blocks as JSON dicts (`{"type": "text", ...}`,
    `{"type": "tool_use", "id", "name", "input"}`), exactly what goes back into the
    conversation as the assistant message. `stop_reason` is None when the stream
    ended early without an error. `stop_details` is the API's detail of the stop
    reason when it gives one (a refusal's `category` and `explanation`).
    """

    content: list[JsonDict]
    stop_reason: str | None
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    request_id: str | None = None
    stop_details: JsonDict | None = None

    @property
    def text(self) -> str:
        """The response's plain text blocks, joined."""
        return "".join(b.get("text", "") for b in self.content if b.get("type") == "text")

    @property
    def tool_uses(self) -> list[JsonDict]:
        """The response's tool_use blocks, in order."""
        return [b for b in self.content if b.get("type") == "tool_use"]

    def to_json(self) -> JsonDict:
        return {
            "content": self.content,
            "stop_reason": self.stop_reason,
            "usage": self.usage.to_json(),
            "model": self.model,
            "request_id": self.request_id,
        }


@dataclass(frozen=True)
class TextDelta:
    """A fragment of the model's text as it streams."""

    text: str


@dataclass(frozen=True)
class ThinkingDelta:
    """A fragment of the model's extended thinking as it streams."""

    text: str


@dataclass(frozen=True)
class ToolUseStarted:
    """The model began a tool call."""

    name: str


@dataclass(frozen=True)
class ToolInputDelta:
    """A fragment of a tool call's JSON input as it streams."""

    name: str
    partial_json: str


@dataclass(frozen=True)
class Retrying:
    """The client waits before sending the same request again."""

    attempt: int
    delay_seconds: float
    reason: str


StreamEvent = TextDelta | ThinkingDelta | ToolUseStarted | ToolInputDelta | Retrying


class ModelError(Exception):
    """A request that failed for good; the session can retry it later.

    `kind` is a short stable name (`overloaded`, `rate_limited`, `server`, `connection`,
    `timeout`, `stream_error`, `stream_cut`, `auth`, `bad_request`, `not_configured`,
    `context_overflow`; the workflow adds `refusal`, `pause_turn` and `context_window`
    for answers it cannot go on from).
    The message is one line for the developer.
    """

    def __init__(self, kind: str, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable
