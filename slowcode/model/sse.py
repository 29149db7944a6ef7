"""Turn a finished Messages API response into the server-sent events that stream it.

Used by the loopback servers (`slowcode demo`, `slowcode replay`, the tests) so that
recorded responses travel through the very same SDK streaming code as live ones.
The sequence follows the Messages API streaming format: `message_start` (with
usage), per block `content_block_start` / `content_block_delta`... /
`content_block_stop`, then `message_delta` (stop reason and output tokens) and
`message_stop`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from slowcode.model.types import JsonDict

SseEvent = tuple[str, JsonDict]

TEXT_CHUNK_CHARS = 24
"""Size of the text fragments a recorded text block is streamed in."""

JSON_CHUNK_CHARS = 32
"""Size of the fragments a recorded tool input is streamed in."""


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _usage(message: JsonDict) -> JsonDict:
    usage: Any = message.get("usage") or {}
    result: JsonDict = {
        "input_tokens": int(usage.get("input_tokens", 0)),
        "output_tokens": int(usage.get("output_tokens", 0)),
        "cache_creation_input_tokens": int(usage.get("cache_creation_input_tokens", 0)),
        "cache_read_input_tokens": int(usage.get("cache_read_input_tokens", 0)),
    }
    by_lifetime = usage.get("cache_creation")
    if isinstance(by_lifetime, dict):
        # The split of the writes by lifetime (5-minute and 1-hour), as the API sends it.
        result["cache_creation"] = {
            key: int(by_lifetime.get(key, 0))
            for key in ("ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens")
        }
    return result


def _start(index: int, block: JsonDict) -> SseEvent:
    return (
        "content_block_start",
        {"type": "content_block_start", "index": index, "content_block": block},
    )


def _delta(index: int, delta: JsonDict) -> SseEvent:
    return ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})


def _block_events(index: int, block: JsonDict) -> list[SseEvent]:
    kind = block.get("type")
    events: list[SseEvent] = []
    if kind == "text":
        events.append(_start(index, {"type": "text", "text": ""}))
        for piece in _chunks(str(block.get("text", "")), TEXT_CHUNK_CHARS):
            delta = {"type": "text_delta", "text": piece}
            events.append(_delta(index, delta))
    elif kind in ("tool_use", "server_tool_use"):
        start = {"type": kind, "id": block["id"], "name": block["name"], "input": {}}
        events.append(_start(index, start))
        # The live API's first input fragment is often empty; streaming it the same way
        # keeps replayed sessions faithful to recorded ones.
        encoded = json.dumps(block.get("input", {}), ensure_ascii=False)
        # A lone surrogate in the input is written as its escape, `\ud800`: JSON text
        # cannot carry the character itself.
        encoded = encoded.encode("utf-8", "backslashreplace").decode("utf-8")
        for piece in ["", *_chunks(encoded, JSON_CHUNK_CHARS)]:
            delta = {"type": "input_json_delta", "partial_json": piece}
            events.append(_delta(index, delta))
    elif kind == "thinking":
        events.append(_start(index, {"type": "thinking", "thinking": "", "signature": ""}))
        for piece in _chunks(str(block.get("thinking", "")), TEXT_CHUNK_CHARS):
            delta = {"type": "thinking_delta", "thinking": piece}
            events.append(_delta(index, delta))
        delta = {"type": "signature_delta", "signature": str(block.get("signature", ""))}
        events.append(_delta(index, delta))
    else:
        # Blocks without a delta form (redacted thinking, tool results of server
        # tools) arrive whole in their start event.
        events.append(_start(index, dict(block)))
    events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    return events


def message_events(message: JsonDict) -> list[SseEvent]:
    """The SSE event sequence that streams `message`.

    Args:
        message: A complete Messages API response (`id`, `type`, `role`, `model`,
            `content`, `stop_reason`, `usage`).

    Returns:
        `(event name, data)` pairs, from `message_start` to `message_stop`.
    """
    usage = _usage(message)
    start_usage = dict(usage, output_tokens=min(1, usage["output_tokens"]))
    events: list[SseEvent] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": message.get("id", "msg_loopback"),
                    "type": "message",
                    "role": "assistant",
                    "model": message.get("model", ""),
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": start_usage,
                },
            },
        )
    ]
    for index, block in enumerate(message.get("content", [])):
        events.extend(_block_events(index, block))
    delta: JsonDict = {
        "stop_reason": message.get("stop_reason", "end_turn"),
        "stop_sequence": message.get("stop_sequence"),
    }
    if message.get("stop_details") is not None:
        # A refusal's category and explanation arrive beside its stop reason.
        delta["stop_details"] = message["stop_details"]
    events.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": delta,
                "usage": {"output_tokens": usage["output_tokens"]},
            },
        )
    )
    events.append(("message_stop", {"type": "message_stop"}))
    return events


def encode_event(name: str, data: JsonDict) -> bytes:
    """One event in the wire format: an `event:` line, a `data:` line, a blank line."""
    # A lone surrogate (which UTF-8 cannot carry) goes out as its JSON escape, `\ud800`,
    # as a server written in another language would send it.
    text = f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    return text.encode("utf-8", "backslashreplace")


def encode(events: Iterable[SseEvent]) -> bytes:
    """The wire format of a sequence of events.

    Args:
        events: `(event name, data)` pairs, as `message_events` gives them.

    Returns:
        The UTF-8 bytes of the whole stream.
    """
    return b"".join(encode_event(name, data) for name, data in events)
