"""Extended thinking: the setting, the streamed thinking, and blocks sent back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.core.config import load_config
from slowcode.core.errors import ConfigError
from slowcode.model.client import ModelClient
from slowcode.model.settings import ModelSettings
from slowcode.model.types import (
    JsonDict,
    ModelError,
    ModelTurn,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    TurnRequest,
)
from tests.fakeapi import (
    FakeMessagesAPI,
    fake_settings,
    redacted_thinking_block,
    reply,
    thinking_block,
    tool_use_block,
)

THOUGHT = "The user wants a docstring. I should read a.py first; Bearer abcdefghijklmnop."
TASK: list[JsonDict] = [{"role": "user", "content": "Add a docstring to a.py"}]


async def complete(
    settings: ModelSettings, messages: list[JsonDict], events: list[StreamEvent] | None = None
) -> ModelTurn:
    client = ModelClient(settings)
    try:
        request = TurnRequest(system=[], tools=[], messages=messages, max_tokens=1000)
        return await client.complete(request, (events if events is not None else []).append)
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    ("thinking", "sent", "max_tokens"),
    [
        ("off", None, 1000),
        ("2048", {"type": "enabled", "budget_tokens": 2048}, 3048),
        ("adaptive", {"type": "adaptive"}, 1000),
    ],
)
async def test_the_thinking_setting_shapes_the_request(
    fake_api: FakeMessagesAPI, thinking: str, sent: JsonDict | None, max_tokens: int
) -> None:
    fake_api.script(reply("ok"))
    await complete(fake_settings(fake_api, thinking=thinking), TASK)
    body = fake_api.message_requests[0].body
    assert body.get("thinking") == sent
    assert body["max_tokens"] == max_tokens


async def test_thinking_streams_apart_and_comes_back_with_its_signature(
    fake_api: FakeMessagesAPI,
) -> None:
    blocks = [
        thinking_block(THOUGHT),
        redacted_thinking_block("EuYBCkQYAiJA-opaque-encrypted=="),
        tool_use_block("view_it", {"path": "a.py"}, id="t1"),
    ]
    fake_api.script(reply(*blocks))
    events: list[StreamEvent] = []

    turn = await complete(fake_settings(fake_api, thinking="4096"), TASK, events)

    assert turn.content == blocks
    assert "".join(e.text for e in events if isinstance(e, ThinkingDelta)) == THOUGHT
    assert not [e for e in events if isinstance(e, TextDelta)]


async def test_the_fake_refuses_a_tool_loop_that_alters_or_drops_thinking(
    fake_api: FakeMessagesAPI,
) -> None:
    blocks = [thinking_block(THOUGHT), tool_use_block("view_it", {"path": "a.py"}, id="t1")]
    fake_api.script(reply(*blocks), reply("kept"), reply("never served"))
    settings = fake_settings(fake_api, thinking="4096", max_retries=0, stream_retries=0)
    turn = await complete(settings, TASK)
    result: JsonDict = {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "x"}],
    }
    altered = [dict(blocks[0], thinking=THOUGHT + " "), blocks[1]]

    kept = await complete(settings, [*TASK, {"role": "assistant", "content": turn.content}, result])
    for content in (altered, blocks[1:]):
        with pytest.raises(ModelError) as raised:
            await complete(settings, [*TASK, {"role": "assistant", "content": content}, result])
        assert raised.value.kind == "bad_request" and "thinking blocks" in str(raised.value)
    assert kept.text == "kept"


def test_thinking_is_off_a_budget_or_adaptive(tmp_path: Path) -> None:
    user = tmp_path / "user.toml"
    for value, expected in (("4096", "4096"), ("'adaptive'", "adaptive"), ("'OFF'", "off")):
        (tmp_path / ".slowcode.toml").write_text(f"thinking = {value}\n")
        assert load_config(tmp_path, {}, user_config=user).thinking == expected
    for value, message in (("512", "at least 1024"), ("'lots'", "off, adaptive or a token")):
        (tmp_path / ".slowcode.toml").write_text(f"thinking = {value}\n")
        with pytest.raises(ConfigError, match=message):
            load_config(tmp_path, {}, user_config=user)
    (tmp_path / ".slowcode.toml").unlink()
    env = {"SLOWCODE_THINKING": "2048"}
    assert load_config(tmp_path, env, user_config=user).thinking == "2048"
