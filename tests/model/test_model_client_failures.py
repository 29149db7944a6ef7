"""The model client against the fake Messages API: failures, retries and their kinds."""

from __future__ import annotations

import time

import pytest

from slowcode.model.client import ModelClient
from slowcode.model.settings import ModelSettings
from slowcode.model.types import (
    ModelError,
    ModelTurn,
    Retrying,
    StreamEvent,
    TextDelta,
    TurnRequest,
)
from tests.fakeapi import FakeMessagesAPI, fake_settings, http_error, reply, tool_use_block

REQUEST = TurnRequest(system=[], tools=[], messages=[{"role": "user", "content": "hello"}])


async def run(settings: ModelSettings, events: list[StreamEvent] | None = None) -> ModelTurn:
    client = ModelClient(settings)
    sink: list[StreamEvent] = events if events is not None else []
    try:
        return await client.complete(REQUEST, sink.append)
    finally:
        await client.aclose()


async def fail(settings: ModelSettings, events: list[StreamEvent] | None = None) -> ModelError:
    with pytest.raises(ModelError) as caught:
        await run(settings, events)
    assert "\n" not in str(caught.value)
    return caught.value


def retrying(events: list[StreamEvent]) -> list[Retrying]:
    return [e for e in events if isinstance(e, Retrying)]


async def test_overloaded_then_success_is_retried_by_the_sdk(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    fake_api.script(http_error(529, "Overloaded"), reply("Recovered."))
    events: list[StreamEvent] = []

    turn = await run(model_settings, events)

    assert turn.text == "Recovered."
    assert len(fake_api.message_requests) == 2
    assert retrying(events) == []


async def test_rate_limit_with_retry_after_ms_then_success(fake_api: FakeMessagesAPI) -> None:
    fake_api.script(http_error(429, retry_after_ms=150), reply("After the wait."))
    started = time.monotonic()

    turn = await run(fake_settings(fake_api))

    assert turn.text == "After the wait."
    assert time.monotonic() - started >= 0.15  # a lower bound: a loaded machine only adds to it
    assert len(fake_api.message_requests) == 2


async def test_rate_limit_retried_by_slowcode_honours_retry_after(
    fake_api: FakeMessagesAPI,
) -> None:
    fake_api.script(http_error(429, retry_after_ms=70), reply("Second attempt."))
    events: list[StreamEvent] = []

    turn = await run(fake_settings(fake_api, max_retries=0), events)

    assert turn.text == "Second attempt."
    (wait,) = retrying(events)
    assert wait.attempt == 1
    assert wait.delay_seconds == pytest.approx(0.07)
    assert wait.reason.startswith("rate_limited")


async def test_server_errors_every_time_end_as_server_error(fake_api: FakeMessagesAPI) -> None:
    fake_api.script(http_error(500), http_error(500), http_error(500))
    events: list[StreamEvent] = []

    error = await fail(fake_settings(fake_api, max_retries=0, stream_retries=2), events)

    assert error.kind == "server"
    assert error.retryable
    assert "500" in str(error)
    assert len(fake_api.message_requests) == 3
    assert [e.attempt for e in retrying(events)] == [1, 2]


async def test_error_event_mid_stream_is_retried_then_succeeds(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    fake_api.script(reply("Partial answer that fails.").error_mid_stream(3), reply("Whole answer."))
    events: list[StreamEvent] = []

    turn = await run(model_settings, events)

    assert turn.text == "Whole answer."
    (wait,) = retrying(events)
    assert wait.attempt == 1
    assert wait.delay_seconds == pytest.approx(model_settings.retry_backoff_seconds)
    assert wait.reason.startswith("stream_error")
    assert len(fake_api.message_requests) == 2
    # The client forwards what arrived before the failure; the caller sees the retry.
    assert events.index(wait) < len(events) - 1
    assert isinstance(events[-1], TextDelta)


async def test_error_event_every_time_ends_as_stream_error(fake_api: FakeMessagesAPI) -> None:
    fake_api.script(*[reply("never whole").error_mid_stream(2) for _ in range(3)])
    events: list[StreamEvent] = []
    settings = fake_settings(fake_api, stream_retries=2, retry_backoff_seconds=0.01)

    error = await fail(settings, events)

    assert error.kind == "stream_error"
    assert "overloaded_error" in str(error)
    waits = retrying(events)
    assert [w.attempt for w in waits] == [1, 2]
    assert [w.delay_seconds for w in waits] == pytest.approx([0.01, 0.02])
    assert len(fake_api.message_requests) == 3


async def test_dropped_connection_is_stream_cut(fake_api: FakeMessagesAPI) -> None:
    fake_api.script(
        reply("cut short", tool_use_block("search_code", {"pattern": "x"})).drop_connection(4)
    )

    error = await fail(fake_settings(fake_api, stream_retries=0))

    assert error.kind == "stream_cut"
    assert error.retryable
    assert len(fake_api.message_requests) == 1


async def test_stream_without_message_stop_never_returns_a_partial_answer(
    fake_api: FakeMessagesAPI,
) -> None:
    fake_api.script(reply("looks complete").without_message_stop())
    events: list[StreamEvent] = []

    error = await fail(fake_settings(fake_api, stream_retries=0), events)

    assert error.kind == "stream_cut"
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "looks complete"


async def test_cut_stream_is_retried_by_slowcode(fake_api: FakeMessagesAPI) -> None:
    fake_api.script(reply("first try").drop_connection(2), reply("second try"))
    events: list[StreamEvent] = []

    turn = await run(fake_settings(fake_api), events)

    assert turn.text == "second try"
    assert [w.reason.split(":")[0] for w in retrying(events)] == ["stream_cut"]


async def test_slow_server_ends_as_timeout(fake_api: FakeMessagesAPI) -> None:
    fake_api.script(reply("too late").delayed(2.0))
    settings = fake_settings(fake_api, timeout_seconds=0.2, max_retries=0, stream_retries=0)

    error = await fail(settings)

    # The reply would have arrived, and succeeded, had the client waited for it.
    assert error.kind == "timeout"
    assert error.retryable


async def test_stall_mid_stream_ends_as_timeout(fake_api: FakeMessagesAPI) -> None:
    fake_api.script(reply("stalls").delayed(2.0, after_events=2))
    settings = fake_settings(fake_api, timeout_seconds=0.2, max_retries=0, stream_retries=0)

    error = await fail(settings)

    assert error.kind == "timeout"


async def test_unauthorized_is_auth_and_never_retried(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    fake_api.script(http_error(401, "invalid x-api-key"), reply("must not be served"))
    events: list[StreamEvent] = []

    error = await fail(model_settings, events)

    assert error.kind == "auth"
    assert not error.retryable
    assert "invalid x-api-key" in str(error)
    # Where it was refused, and which setting to look at.
    assert str(error).endswith(f"({model_settings.base_url}; check ANTHROPIC_API_KEY)")
    assert len(fake_api.message_requests) == 1
    assert retrying(events) == []
    assert fake_api.pending == 1


async def test_bad_request_is_not_retried(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    fake_api.script(http_error(400, "messages: field required"))

    error = await fail(model_settings)

    assert error.kind == "bad_request"
    assert not error.retryable
    assert len(fake_api.message_requests) == 1


async def test_unreachable_server_is_connection(fake_api: FakeMessagesAPI) -> None:
    settings = fake_settings(fake_api, max_retries=0, stream_retries=1)
    fake_api.stop()
    events: list[StreamEvent] = []

    error = await fail(settings, events)

    assert error.kind == "connection"
    assert len(retrying(events)) == 1
    assert str(error).endswith(
        f"({settings.base_url}; set ANTHROPIC_BASE_URL (or base_url in the configuration) "
        "to change it)"
    )


async def test_not_configured_fails_before_any_request() -> None:
    error = await fail(ModelSettings())

    assert error.kind == "not_configured"
    assert not error.retryable
    assert "ANTHROPIC_API_KEY" in str(error)


async def test_callback_errors_propagate_unchanged(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    fake_api.script(reply("some text"))

    def broken(event: StreamEvent) -> None:
        raise LookupError("ui bug")

    client = ModelClient(model_settings)
    try:
        with pytest.raises(LookupError, match="ui bug"):
            await client.complete(REQUEST, broken)
    finally:
        await client.aclose()
    assert len(fake_api.message_requests) == 1
