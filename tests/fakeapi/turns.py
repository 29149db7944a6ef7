"""Scripted turns of the fake Messages API: replies, HTTP errors and stream faults."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from slowcode.model.types import JsonDict

FAKE_MODEL = "claude-sonnet-5-5"
DEFAULT_USAGE: JsonDict = {"input_tokens": 12, "output_tokens": 7}

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass(frozen=True)
class Turn:
    """What the fake answers to one `POST /v1/messages`.

    Attributes:
        message: The complete response message (None for an HTTP error turn).
        status: An HTTP error status to answer with instead of a message.
        error_type: The error body's `error.type`.
        error_message: The error body's `error.message`.
        retry_after_ms: The `retry-after-ms` header of an error response; small, so
            that the SDK's own retries do not stall the tests.
        error_after_events: Send an SSE `error` event after this many events.
        drop_after_events: Close the socket after this many events.
        omit_message_stop: End the stream properly but without `message_stop`.
        delay_seconds: Wait this long before answering (or, with
            `delay_after_events`, after that many events).
        delay_after_events: Where in the stream the delay happens.
        tool_input_chars: Stream only this many characters of the last tool call's
            input JSON, as an answer cut off by `max_tokens` mid-call arrives.
    """

    message: JsonDict | None = None
    status: int | None = None
    error_type: str = "api_error"
    error_message: str = "fake error"
    retry_after_ms: int = 10
    error_after_events: int | None = None
    drop_after_events: int | None = None
    omit_message_stop: bool = False
    delay_seconds: float = 0.0
    delay_after_events: int | None = None
    tool_input_chars: int | None = None

    def error_mid_stream(self, after_events: int, error_type: str = "overloaded_error") -> Turn:
        """This turn, with an SSE `error` event instead of event number `after_events`."""
        return dataclasses.replace(
            self, error_after_events=after_events, error_type=error_type, error_message="Overloaded"
        )

    def drop_connection(self, after_events: int) -> Turn:
        """This turn, with the connection closed after `after_events` events."""
        return dataclasses.replace(self, drop_after_events=after_events)

    def without_message_stop(self) -> Turn:
        """This turn, with the stream finished cleanly but `message_stop` left out."""
        return dataclasses.replace(self, omit_message_stop=True)

    def delayed(self, seconds: float, after_events: int | None = None) -> Turn:
        """This turn, answered `seconds` late (or stalled after `after_events` events)."""
        return dataclasses.replace(self, delay_seconds=seconds, delay_after_events=after_events)


def cut_mid_tool_input(turn: Turn, chars: int) -> Turn:
    """`turn` stopped by `max_tokens` after `chars` characters of its last tool input."""
    assert turn.message is not None
    message = {**turn.message, "stop_reason": "max_tokens"}
    return dataclasses.replace(turn, message=message, tool_input_chars=chars)


def text_block(text: str) -> JsonDict:
    """A text content block."""
    return {"type": "text", "text": text}


def thinking_signature(thinking: str) -> str:
    """The fake's signature of a thinking text: any change to the text breaks it."""
    return "sig_" + hashlib.sha256(thinking.encode()).hexdigest()[:32]


def thinking_block(thinking: str) -> JsonDict:
    """A thinking block with the fake's signature of its text."""
    return {"type": "thinking", "thinking": thinking, "signature": thinking_signature(thinking)}


def redacted_thinking_block(data: str) -> JsonDict:
    """A redacted thinking block (its content encrypted: opaque data to send back)."""
    return {"type": "redacted_thinking", "data": data}


def tool_use_block(name: str, input: dict[str, Any], id: str | None = None) -> JsonDict:
    """A tool_use content block; without `id`, one derived from the name and input."""
    if id is None:
        digest = hashlib.sha256(json.dumps([name, input], sort_keys=True).encode()).hexdigest()
        id = f"toolu_fake_{digest[:16]}"
    return {"type": "tool_use", "id": id, "name": name, "input": input}


def reply(
    *blocks: JsonDict | str,
    stop_reason: str | None = None,
    usage: JsonDict | None = None,
    model: str = FAKE_MODEL,
    message_id: str | None = None,
) -> Turn:
    """A turn answering with a complete message.

    Args:
        *blocks: Content blocks; plain strings become text blocks.
        stop_reason: Defaults to `tool_use` when a block is a tool call, else `end_turn`.
        usage: The message's usage (`input_tokens`, `output_tokens`, cache fields).
        model: The model id the message reports.
        message_id: The message id; the server numbers messages without one.

    Returns:
        The turn.
    """
    content: list[JsonDict] = []
    seen_ids: set[str] = set()
    for index, block in enumerate(blocks):
        item = text_block(block) if isinstance(block, str) else dict(block)
        # Identical calls in one reply would otherwise share a derived id.
        if item.get("type") == "tool_use" and item["id"] in seen_ids:
            item["id"] = f"{item['id']}_{index}"
        if item.get("type") == "tool_use":
            seen_ids.add(item["id"])
        content.append(item)
    if stop_reason is None:
        has_tool = any(item.get("type") == "tool_use" for item in content)
        stop_reason = "tool_use" if has_tool else "end_turn"
    message: JsonDict = {
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": dict(usage if usage is not None else DEFAULT_USAGE),
    }
    if message_id is not None:
        message["id"] = message_id
    return Turn(message=message)


def refusal_reply(
    *blocks: JsonDict | str, category: str | None = "cyber", explanation: str | None = None
) -> Turn:
    """An answer the API's classifiers stopped: `stop_reason: refusal` with its `stop_details`.

    As the API sends it, the answer may hold the text streamed before the refusal,
    and `stop_details` arrives in the `message_delta` event beside the stop reason.
    """
    turn = reply(*blocks, stop_reason="refusal")
    assert turn.message is not None
    details = {"type": "refusal", "category": category, "explanation": explanation}
    return dataclasses.replace(turn, message={**turn.message, "stop_details": details})


def web_search_blocks(query: str, tool_id: str = "srvtoolu_fake_01") -> list[JsonDict]:
    """A server tool's call and result, as an answer paused on `pause_turn` holds them."""
    result = {
        "type": "web_search_result",
        "url": "https://example.org/retry",
        "title": "Retrying with backoff",
        "encrypted_content": "EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5",
        "page_age": "2 days ago",
    }
    return [
        {"type": "server_tool_use", "id": tool_id, "name": "web_search", "input": {"query": query}},
        {"type": "web_search_tool_result", "tool_use_id": tool_id, "content": [result]},
    ]


def paused_reply(*blocks: JsonDict | str) -> Turn:
    """A turn a long-running server tool paused: `stop_reason: pause_turn`."""
    return reply(*blocks, stop_reason="pause_turn")


def window_exceeded_reply(*blocks: JsonDict | str) -> Turn:
    """An answer cut off because the context window filled up."""
    return reply(*blocks, stop_reason="model_context_window_exceeded")


def prompt_too_long(tokens: int = 212_480, maximum: int = 200_000) -> Turn:
    """The API's 400 for a prompt over the model's context window, in its own words."""
    return http_error(400, f"prompt is too long: {tokens} tokens > {maximum} maximum")


def http_error(status: int, message: str | None = None, *, retry_after_ms: int = 10) -> Turn:
    """A turn answering with an HTTP error status and the API's JSON error body."""
    error_type = _ERROR_TYPES.get(status, "api_error")
    return Turn(
        status=status,
        error_type=error_type,
        error_message=message or f"fake {error_type}",
        retry_after_ms=retry_after_ms,
    )
