"""Bedrock and Vertex AI through the SDK's own clients, against fakes of their wire formats."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from slowcode.model.client import ModelClient
from slowcode.model.settings import ModelSettings
from slowcode.model.types import (
    JsonDict,
    ModelError,
    ModelTurn,
    Retrying,
    StreamEvent,
    TextDelta,
    TurnRequest,
)
from tests.fakeapi import (
    FakeMessagesAPI,
    eventstream,
    fake_settings,
    http_error,
    reply,
    tool_use_block,
)
from tests.fakeapi.clouds import AWS_ACCESS_KEY, use_cloud_credentials

PROVIDERS = ["anthropic", "bedrock", "vertex"]
SYSTEM: list[JsonDict] = [
    {"type": "text", "text": "You are careful.", "cache_control": {"type": "ephemeral"}}
]
MESSAGES: list[JsonDict] = [{"role": "user", "content": "Add a docstring to a.py"}]


@pytest.fixture(params=PROVIDERS)
def cloud_api(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[FakeMessagesAPI]:
    """A fake speaking one provider's wire format, with that cloud's credentials set."""
    server = FakeMessagesAPI(provider=request.param).start()
    use_cloud_credentials(monkeypatch, server, tmp_path)
    try:
        yield server
    finally:
        server.stop()


async def complete(settings: ModelSettings, events: list[StreamEvent]) -> ModelTurn:
    client = ModelClient(settings)
    try:
        request = TurnRequest(system=SYSTEM, tools=[], messages=MESSAGES, max_tokens=1000)
        return await client.complete(request, events.append)
    finally:
        await client.aclose()


async def test_each_provider_streams_text_and_tool_use_and_keeps_cache_control(
    cloud_api: FakeMessagesAPI,
) -> None:
    tool_input = {"command": "view", "path": "src/a.py"}
    usage = {"input_tokens": 30, "output_tokens": 9, "cache_read_input_tokens": 2048}
    cloud_api.script(
        reply("Reading it first.", tool_use_block("view_it", tool_input, id="t1"), usage=usage)
    )
    events: list[StreamEvent] = []

    turn = await complete(fake_settings(cloud_api, model="claude-sonnet-5-5"), events)

    assert turn.content == [
        {"type": "text", "text": "Reading it first."},
        {"type": "tool_use", "id": "t1", "name": "view_it", "input": tool_input},
    ]
    assert turn.stop_reason == "tool_use"
    assert turn.usage.cache_read_input_tokens == 2048
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Reading it first."
    sent = cloud_api.message_requests[0].body
    assert sent["model"] == "claude-sonnet-5-5" and sent["stream"] is True
    assert sent["system"] == SYSTEM  # the cache breakpoint travels unchanged


async def test_bedrock_requests_are_signed_with_the_aws_chain_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with FakeMessagesAPI(provider="bedrock") as server:
        use_cloud_credentials(monkeypatch, server, tmp_path)
        server.script(reply("hi"))
        model = "us.anthropic.claude-sonnet-5-5-v1:0"
        await complete(fake_settings(server, model=model, region="eu-west-3"), [])
    assert server.provider_routes == [
        {"model": model, "key": AWS_ACCESS_KEY, "region": "eu-west-3", "service": "bedrock"}
    ]


async def test_vertex_requests_carry_the_project_region_and_an_adc_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with FakeMessagesAPI(provider="vertex") as server:
        use_cloud_credentials(monkeypatch, server, tmp_path)
        server.script(reply("hi"))
        settings = fake_settings(server, model="claude-sonnet-5-5@20261001", project="acme-ml")
        await complete(settings, [])
        # Without a project setting, the credentials file's project is used.
        use_cloud_credentials(monkeypatch, server, tmp_path, adc_project="adc-project")
        server.script(reply("hi"))
        await complete(fake_settings(server, project=None), [])
    token_requests = [r for r in server.requests if r.path == "/token"]
    assert len(token_requests) == 2  # google-auth fetched each client's token over HTTP
    assert server.provider_routes == [
        {"model": "claude-sonnet-5-5@20261001", "project": "acme-ml", "region": "us-east5"},
        {"model": "claude-sonnet-5-5", "project": "adc-project", "region": "us-east5"},
    ]


async def test_each_provider_retries_an_overload_and_a_failure_mid_stream(
    cloud_api: FakeMessagesAPI,
) -> None:
    cloud_api.script(
        http_error(529),
        reply("partial answer that fails").error_mid_stream(after_events=3),
        reply("the answer"),
    )
    events: list[StreamEvent] = []

    turn = await complete(fake_settings(cloud_api, max_retries=0), events)

    assert turn.text == "the answer"
    retries = [e for e in events if isinstance(e, Retrying)]
    assert [r.reason.split(":")[0] for r in retries] == ["overloaded", "stream_error"]


async def test_a_refused_bedrock_request_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with FakeMessagesAPI(provider="bedrock") as server:
        use_cloud_credentials(monkeypatch, server, tmp_path)
        server.script(http_error(400, "messages: text content blocks must be non-empty"))
        with pytest.raises(ModelError) as raised:
            await complete(fake_settings(server), [])
    assert raised.value.kind == "bad_request"
    assert "non-empty" in str(raised.value)


async def test_missing_cloud_settings_and_credentials_fail_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with FakeMessagesAPI(provider="bedrock") as server:
        use_cloud_credentials(monkeypatch, server, tmp_path)
        with pytest.raises(ModelError) as no_region:
            await complete(fake_settings(server, region=None), [])
        monkeypatch.delenv("AWS_ACCESS_KEY_ID")
        monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
        with pytest.raises(ModelError) as no_keys:
            # Another region: the SDK keeps one AWS session (and its credentials) per region.
            await complete(fake_settings(server, region="ap-south-1"), [])
    assert no_region.value.kind == "not_configured"
    assert str(no_region.value) == (
        "No region for bedrock: set region in the configuration or AWS_REGION"
    )
    assert no_keys.value.kind == "auth" and "\n" not in str(no_keys.value), str(no_keys.value)
    assert server.message_requests == []


async def test_vertex_without_a_project_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with FakeMessagesAPI(provider="vertex") as server:
        use_cloud_credentials(monkeypatch, server, tmp_path)
        with pytest.raises(ModelError) as raised:
            await complete(fake_settings(server, project=None), [])
    assert raised.value.kind == "not_configured"
    assert "ANTHROPIC_VERTEX_PROJECT_ID" in str(raised.value)


def test_the_event_stream_frames_decode_with_botocore() -> None:
    from botocore.eventstream import EventStreamBuffer

    data = {"type": "content_block_delta", "index": 0, "delta": {"text": "é…"}}
    buffer = EventStreamBuffer()
    buffer.add_data(eventstream.chunk_frame(data) + eventstream.exception_frame("api_error", "x"))
    first, second = list(buffer)
    assert first.headers[":event-type"] == "chunk"
    assert json.loads(base64.b64decode(json.loads(first.payload)["bytes"])) == data
    assert second.headers[":message-type"] == "exception"
    assert second.headers[":exception-type"] == "internalServerException"
