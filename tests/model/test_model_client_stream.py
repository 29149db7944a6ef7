"""The model client against the fake Messages API: the successful paths."""

from __future__ import annotations

from slowcode.engine.model_loop.protocol import tool_definitions
from slowcode.model.client import ModelClient
from slowcode.model.settings import ModelSettings
from slowcode.model.types import (
    JsonDict,
    ModelTurn,
    StreamEvent,
    TextDelta,
    ToolInputDelta,
    ToolUseStarted,
    TurnRequest,
    Usage,
)
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block


def editor_tool(builtin: bool) -> dict[str, object]:
    """The text editor's definition, as every request sends it first among the tools."""
    return tool_definitions(builtin_text_editor=builtin)[0]


SYSTEM: list[JsonDict] = [
    {"type": "text", "text": "You are careful.", "cache_control": {"type": "ephemeral"}}
]
MESSAGES: list[JsonDict] = [{"role": "user", "content": "Add a docstring to a.py"}]


def make_request() -> TurnRequest:
    return TurnRequest(system=SYSTEM, tools=[editor_tool(True)], messages=MESSAGES, max_tokens=1000)


async def complete(settings: ModelSettings, events: list[StreamEvent]) -> ModelTurn:
    client = ModelClient(settings)
    try:
        return await client.complete(make_request(), events.append)
    finally:
        await client.aclose()


async def test_text_and_tool_use_stream_in_order_and_come_back_exact(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    long_text = "I will read the file first, then propose a plan for the change."
    tool_input = {"command": "view", "path": "src/a.py", "view_range": [1, 40]}
    usage = {
        "input_tokens": 321,
        "output_tokens": 45,
        "cache_creation_input_tokens": 2048,
        "cache_read_input_tokens": 512,
        "cache_creation": {"ephemeral_5m_input_tokens": 48, "ephemeral_1h_input_tokens": 2000},
    }
    fake_api.script(
        reply(long_text, tool_use_block("str_replace_based_edit_tool", tool_input), usage=usage)
    )
    events: list[StreamEvent] = []

    turn = await complete(model_settings, events)

    texts = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(texts) > 1, "the text must arrive in several deltas"
    assert "".join(texts) == long_text
    started = [i for i, e in enumerate(events) if isinstance(e, ToolUseStarted)]
    inputs = [e for e in events if isinstance(e, ToolInputDelta)]
    assert len(started) == 1
    assert events[started[0]] == ToolUseStarted("str_replace_based_edit_tool")
    assert max(i for i, e in enumerate(events) if isinstance(e, TextDelta)) < started[0]
    assert all(e.name == "str_replace_based_edit_tool" for e in inputs)
    assert all(events.index(e) > started[0] for e in inputs)
    assert "".join(e.partial_json for e in inputs).replace(" ", "") == (
        '{"command":"view","path":"src/a.py","view_range":[1,40]}'
    )

    tool_id = turn.tool_uses[0]["id"]
    assert turn.content == [
        {"type": "text", "text": long_text},
        {
            "type": "tool_use",
            "id": tool_id,
            "name": "str_replace_based_edit_tool",
            "input": tool_input,
        },
    ]
    assert tool_id.startswith("toolu_")
    assert turn.stop_reason == "tool_use"
    assert turn.usage == Usage(321, 45, 2048, 512, cache_creation_1h_input_tokens=2000)
    assert turn.model == "claude-sonnet-5-5"
    assert turn.request_id is not None and turn.request_id.startswith("req_loopback_")


async def test_the_request_carries_what_was_given_and_no_sampling_parameters(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    fake_api.script(reply("Done."))

    turn = await complete(model_settings, [])

    assert turn.text == "Done."
    assert turn.stop_reason == "end_turn"
    (request,) = fake_api.message_requests
    assert request.body["system"] == SYSTEM
    assert request.body["tools"] == [
        {"type": "text_editor_20250728", "name": "str_replace_based_edit_tool"}
    ]
    assert request.body["messages"] == MESSAGES
    assert request.body["model"] == model_settings.model
    assert request.body["max_tokens"] == 1000
    assert request.body["stream"] is True
    for name in ("temperature", "top_p", "top_k"):
        assert name not in request.body
    assert request.credential == "test-key"
    assert "test-key" in (
        request.headers.get("authorization", "") + request.headers.get("x-api-key", "")
    )


async def test_empty_system_and_tools_are_left_out(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    fake_api.script(reply("Hi."))
    client = ModelClient(model_settings)
    try:
        await client.complete(TurnRequest(system=[], tools=[], messages=MESSAGES), lambda e: None)
    finally:
        await client.aclose()

    (request,) = fake_api.message_requests
    assert "system" not in request.body
    assert "tools" not in request.body


async def test_a_base_url_alone_is_enough_to_send_requests(fake_api: FakeMessagesAPI) -> None:
    fake_api.script(reply("Local model here."))
    settings = ModelSettings(base_url=fake_api.base_url, retry_backoff_seconds=0.01)

    turn = await complete(settings, [])

    assert turn.text == "Local model here."
    assert fake_api.message_requests[0].credential is not None


async def test_auth_token_is_sent_as_bearer(fake_api: FakeMessagesAPI) -> None:
    fake_api.script(reply("Hello."))
    settings = ModelSettings(base_url=fake_api.base_url, auth_token="gateway-token")

    await complete(settings, [])

    assert fake_api.message_requests[0].headers["authorization"] == "Bearer gateway-token"


async def test_one_client_serves_several_turns(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    fake_api.script(reply("first"), reply("second"))
    client = ModelClient(model_settings)
    try:
        first = await client.complete(make_request(), lambda e: None)
        second = await client.complete(make_request(), lambda e: None)
    finally:
        await client.aclose()

    assert (first.text, second.text) == ("first", "second")
    assert first.request_id != second.request_id
