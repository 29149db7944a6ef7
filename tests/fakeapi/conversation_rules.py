"""The Messages API's rules for a conversation, which the fake enforces as the real API does.

The real API answers 400 when a `tool_use` is not answered by a `tool_result` in the
very next `user` message, when a `tool_result` answers no `tool_use` of the message
before it, when a message has no content, or when the conversation does not start
with the user. The fake also insists that roles alternate, which slowcode always
keeps (the real API would merge two `user` messages in a row).
"""

from __future__ import annotations

from typing import Any

THINKING_TYPES = ("thinking", "redacted_thinking")


def _blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    return [block for block in content or [] if isinstance(block, dict)]


def conversation_problem(messages: list[dict[str, Any]]) -> str | None:
    """What makes `messages` an invalid conversation, in one sentence; None when valid."""
    if not messages:
        return "messages: at least one message is required"
    if messages[0].get("role") != "user":
        return "messages.0: the first message must use the user role"
    expected_results: list[str] = []
    for number, message in enumerate(messages):
        role = message.get("role")
        blocks = _blocks(message)
        if not blocks:
            return f"messages.{number}: all messages must have non-empty content"
        if number and role == messages[number - 1].get("role"):
            return f"messages.{number}: roles must alternate between user and assistant"
        if role == "user":
            results = [b.get("tool_use_id") for b in blocks if b.get("type") == "tool_result"]
            leading = [b.get("tool_use_id") for b in blocks[: len(results)]]
            if results != leading:
                return f"messages.{number}: tool_result blocks must come first"
            if results != expected_results:
                return (
                    f"messages.{number}: tool_result ids {results} do not answer the "
                    f"tool_use ids {expected_results} of the previous message"
                )
            expected_results = []
        else:
            expected_results = [str(b.get("id")) for b in blocks if b.get("type") == "tool_use"]
    return None


def thinking_problem(
    messages: list[dict[str, Any]], served: dict[str, list[dict[str, Any]]]
) -> str | None:
    """What breaks the thinking rules, in the API's words; None when they hold.

    With extended thinking, an assistant turn that called tools must come back with
    its thinking and redacted-thinking blocks exactly as they were served, before
    its other blocks. `served` maps each tool_use id the fake served to the thinking
    blocks of its message.
    """
    for number, message in enumerate(messages):
        if message.get("role") != "assistant":
            continue
        blocks = _blocks(message)
        ids = [str(b.get("id")) for b in blocks if b.get("type") == "tool_use"]
        expected = next((served[i] for i in ids if i in served), None)
        if not expected:
            continue
        sent = [b for b in blocks if b.get("type") in THINKING_TYPES]
        leading = blocks[: len(sent)]
        if sent != expected or leading != sent:
            return (
                f"messages.{number}.content: thinking blocks in an assistant turn that "
                "called tools cannot be modified or dropped; they must remain as they "
                "were in the original response"
            )
    return None


def paused_problem(
    messages: list[dict[str, Any]], paused: list[dict[str, Any]] | None
) -> str | None:
    """What breaks the continuation of a paused turn; None when it holds (or none paused).

    After `stop_reason: pause_turn` the API continues the turn only when the paused
    answer comes back as it was, as the conversation's last (assistant) message.
    """
    if paused is None:
        return None
    last = messages[-1] if messages else {}
    blocks = _blocks(last)
    if last.get("role") != "assistant" or blocks[len(blocks) - len(paused) :] != paused:
        return (
            "messages: a turn that stopped with pause_turn must be sent back unchanged "
            "as the last message to be continued"
        )
    return None
