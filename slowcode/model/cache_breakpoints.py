"""Where a request's prompt-cache breakpoints go (decision 0017).

A request is tools, then system blocks, then the conversation, and the API
caches a prefix up to a block that carries `cache_control`. Four breakpoints
at most, from the most stable to the least:

1. after the repository map (tools, the system prompt and the map: stable for
   the session);
2. after the decision log (it changes when a decision is recorded);
3. on the last block of the next-to-last `user` message: where the previous
   request of the step ended, so this request reads that whole prefix whatever
   the number of blocks the model's turn added (the API's lookback spans only
   20 blocks);
4. on the last block of the last `user` message (a request ends with one):
   what the next request will read.

Within a step each request therefore pays only for what the previous turn
added; the markers are placed on a copy, never on the conversation itself.
"""

from __future__ import annotations

from typing import Any

from slowcode.model.usage import JsonDict

DEFAULT_TTL = "5m"


def cache_marker(ttl: str = DEFAULT_TTL) -> JsonDict:
    """The `cache_control` value for a breakpoint of lifetime `ttl` (`5m` or `1h`)."""
    marker: JsonDict = {"type": "ephemeral"}
    if ttl != DEFAULT_TTL:
        # Left out for the default: the bytes of a 5-minute request stay as they were.
        marker["ttl"] = ttl
    return marker


def _as_blocks(content: Any) -> list[Any]:
    """A message's content as a list of blocks (a plain string becomes one text block)."""
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return list(content)


def _marked(message: JsonDict, ttl: str) -> JsonDict:
    blocks = _as_blocks(message.get("content", []))
    if not blocks or not isinstance(blocks[-1], dict):
        return message
    # Only user messages are marked: their last block is a text or a tool result,
    # never a thinking block (which cannot carry a marker).
    blocks[-1] = {**blocks[-1], "cache_control": cache_marker(ttl)}
    return {**message, "content": blocks}


def with_conversation_breakpoints(
    messages: list[JsonDict], ttl: str = DEFAULT_TTL
) -> list[JsonDict]:
    """A copy of `messages` with breakpoints 3 and 4 of this module's docstring.

    Every message's string content becomes one text block, marked or not, so a
    message's bytes do not depend on where the breakpoints fall in this request.
    """
    copies: list[JsonDict] = [
        {**message, "content": _as_blocks(message.get("content", []))} for message in messages
    ]
    users = [index for index, message in enumerate(copies) if message.get("role") == "user"]
    for index in users[-2:]:
        copies[index] = _marked(copies[index], ttl)
    return copies
