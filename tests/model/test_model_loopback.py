"""The replay server and the SSE encoding, through plain HTTP and through the client."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from slowcode.model.client import ModelClient
from slowcode.model.loopback import SESSION_ENDED_TEXT, ReplayServer
from slowcode.model.sse import encode, message_events
from slowcode.model.types import JsonDict, TurnRequest
from tests.fakeapi import fake_settings

RECORDED: list[JsonDict] = [
    {
        "id": "msg_rec_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-5-5",
        "content": [
            {"type": "text", "text": "Let me look."},
            {
                "type": "tool_use",
                "id": "toolu_rec_1",
                "name": "str_replace_based_edit_tool",
                "input": {"command": "view", "path": "README.md"},
            },
        ],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 900, "output_tokens": 40, "cache_read_input_tokens": 800},
    },
    {
        "id": "msg_rec_2",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-5-5",
        "content": [{"type": "text", "text": "All done."}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 950, "output_tokens": 5},
    },
]


def post(url: str, body: JsonDict, headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_message_events_follow_the_streaming_format() -> None:
    events = message_events(RECORDED[0])
    names = [name for name, _ in events]

    assert names[0] == "message_start"
    assert names[-2:] == ["message_delta", "message_stop"]
    assert events[0][1]["message"]["usage"]["input_tokens"] == 900
    assert events[0][1]["message"]["usage"]["cache_read_input_tokens"] == 800
    assert events[-2][1]["delta"]["stop_reason"] == "tool_use"
    assert events[-2][1]["usage"]["output_tokens"] == 40
    starts = [data for name, data in events if name == "content_block_start"]
    assert [s["index"] for s in starts] == [0, 1]
    assert starts[1]["content_block"] == {
        "type": "tool_use",
        "id": "toolu_rec_1",
        "name": "str_replace_based_edit_tool",
        "input": {},
    }
    fragments = [
        data["delta"]["partial_json"]
        for name, data in events
        if name == "content_block_delta" and data["index"] == 1
    ]
    assert fragments[0] == ""
    assert json.loads("".join(fragments)) == {"command": "view", "path": "README.md"}
    texts = [
        data["delta"]["text"]
        for name, data in events
        if name == "content_block_delta" and data["index"] == 0
    ]
    assert "".join(texts) == "Let me look."


def test_encode_writes_event_and_data_lines() -> None:
    wire = encode([("message_stop", {"type": "message_stop"}), ("ping", {"type": "ping"})])

    assert wire == (
        b'event: message_stop\ndata: {"type": "message_stop"}\n\n'
        b'event: ping\ndata: {"type": "ping"}\n\n'
    )


def test_replay_server_answers_json_in_order_then_says_the_session_ended() -> None:
    with ReplayServer(RECORDED) as server:
        url = f"{server.base_url}/v1/messages"
        body = {"model": "claude-sonnet-5-5", "max_tokens": 10, "messages": []}
        first = post(url, body, {"x-api-key": "k"})
        second = post(url, body, {"authorization": "Bearer t"})
        third = post(url, body, {"x-api-key": "k"})
        unauthenticated = post(url, body, {})

    assert first == (200, RECORDED[0])
    assert second == (200, RECORDED[1])
    status, ended = third
    assert status == 200
    assert ended["stop_reason"] == "end_turn"
    assert ended["content"] == [{"type": "text", "text": SESSION_ENDED_TEXT}]
    assert unauthenticated[0] == 401
    assert unauthenticated[1]["error"]["type"] == "authentication_error"
    assert [r.credential for r in server.requests] == ["k", "t", "k", None]


def test_count_tokens_estimates_a_quarter_token_per_character() -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": "x" * 400}]}
    with ReplayServer([]) as server:
        status, answer = post(
            f"{server.base_url}/v1/messages/count_tokens", body, {"x-api-key": "k"}
        )

    assert status == 200
    assert answer == {"input_tokens": len(json.dumps(body)) // 4}


async def test_replay_server_streams_through_the_real_client() -> None:
    with ReplayServer(RECORDED) as server:
        client = ModelClient(fake_settings(server))
        request = TurnRequest(system=[], tools=[], messages=[{"role": "user", "content": "go"}])
        try:
            turns = [await client.complete(request, lambda e: None) for _ in range(3)]
        finally:
            await client.aclose()
        assert server.remaining == 0

    assert turns[0].content == RECORDED[0]["content"]
    assert turns[0].usage.cache_read_input_tokens == 800
    assert turns[1].content == RECORDED[1]["content"]
    assert turns[2].text == SESSION_ENDED_TEXT
    assert turns[2].stop_reason == "end_turn"


def test_base_url_needs_a_started_server() -> None:
    with pytest.raises(RuntimeError):
        _ = ReplayServer([]).base_url
