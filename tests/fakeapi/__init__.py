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

__all__ = [
    "FakeMessagesAPI",
    "Turn",
    "fake_settings",
    "http_error",
    "reply",
    "text_block",
    "tool_use_block",
]
