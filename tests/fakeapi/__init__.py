"""A loopback fake of the Messages API for tests: scripted turns and injected faults."""

from tests.fakeapi.server import (
    FakeMessagesAPI,
    Turn,
    fake_settings,
    http_error,
    reply,
    text_block,
    tool_use_block,
)
from tests.fakeapi.turns import (
    cut_mid_tool_input,
    paused_reply,
    prompt_too_long,
    redacted_thinking_block,
    refusal_reply,
    thinking_block,
    web_search_blocks,
    window_exceeded_reply,
)

__all__ = [
    "FakeMessagesAPI",
    "Turn",
    "cut_mid_tool_input",
    "fake_settings",
    "http_error",
    "paused_reply",
    "prompt_too_long",
    "redacted_thinking_block",
    "refusal_reply",
    "reply",
    "text_block",
    "thinking_block",
    "tool_use_block",
    "web_search_blocks",
    "window_exceeded_reply",
]
