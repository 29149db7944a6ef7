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
from tests.fakeapi.turns import redacted_thinking_block, thinking_block

__all__ = [
    "FakeMessagesAPI",
    "Turn",
    "fake_settings",
    "http_error",
    "redacted_thinking_block",
    "reply",
    "text_block",
    "thinking_block",
    "tool_use_block",
]
