"""Folding the raw event stream: large tool inputs in linear time, cut off past the limit."""

from __future__ import annotations

import pytest

from slowcode.model.client import ModelClient
from slowcode.model.failures import MALFORMED_TOOL_INPUT, TOOL_INPUT_TOO_LARGE
from slowcode.model.settings import ModelSettings
from slowcode.model.stream_fold import StreamFold
from slowcode.model.types import JsonDict, ModelError, ModelTurn, TurnRequest
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block

EDITOR = "str_replace_based_edit_tool"
MESSAGES: list[JsonDict] = [{"role": "user", "content": "Write big.py"}]


async def complete(settings: ModelSettings, limit: int | None = None) -> ModelTurn:
    client = ModelClient(settings)
    request = TurnRequest(system=[], tools=[], messages=MESSAGES, max_tool_input_chars=limit)
    try:
        return await client.complete(request, lambda event: None)
    finally:
        await client.aclose()


def create(text: str) -> JsonDict:
    return {"command": "create", "path": "big.py", "file_text": text}


async def test_a_large_tool_input_arrives_whole_and_exact(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    # 256 KiB in 32-character fragments: 8,000 of them, each folded in constant time.
    text = "".join(f"line_{n} = '\\u00e9 \\ud800 {n}'\n" for n in range(9_000))
    fake_api.script(
        reply(
            "Here it is.", tool_use_block(EDITOR, create(text)), tool_use_block(EDITOR, create("x"))
        )
    )

    turn = await complete(model_settings)

    assert [block["type"] for block in turn.content] == ["text", "tool_use", "tool_use"]
    assert turn.content[0]["text"] == "Here it is."
    assert turn.content[1]["input"] == create(text)
    assert turn.content[2]["input"] == create("x")
    assert turn.stop_reason == "tool_use"


async def test_an_input_past_the_limit_stops_reading_the_answer(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    fake_api.script(reply(tool_use_block(EDITOR, create("a" * 50_000))))

    with pytest.raises(ModelError) as raised:
        await complete(model_settings, limit=10_000)

    assert raised.value.kind == TOOL_INPUT_TOO_LARGE and not raised.value.retryable
    assert str(raised.value) == (
        f"the input of {EDITOR} passed 10,000 characters of JSON, so the answer was not "
        "read further"
    )


async def test_an_input_at_the_limit_is_read(
    fake_api: FakeMessagesAPI, model_settings: ModelSettings
) -> None:
    tool_input = create("a" * 1_000)
    fake_api.script(reply(tool_use_block(EDITOR, tool_input)))
    size = len('{"command": "create", "path": "big.py", "file_text": ""}') + 1_000

    turn = await complete(model_settings, limit=size)

    assert turn.content[0]["input"] == tool_input


class Event:
    """A raw stream event as the SDK gives it: attributes, nothing more."""

    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)


def started(block: Event) -> StreamFold:
    fold = StreamFold()
    message = Event(content=[], usage=Event(output_tokens=0), stop_reason=None)
    fold.add(Event(type="message_start", message=message))
    fold.add(Event(type="content_block_start", index=0, content_block=block))
    return fold


def test_invalid_json_is_named_with_where_it_broke() -> None:
    fold = started(Event(type="tool_use", name=EDITOR, input={}))
    for piece in ['{"path": ', '"a.py", "x": tru']:
        delta = Event(type="input_json_delta", partial_json=piece)
        fold.add(Event(type="content_block_delta", index=0, delta=delta))

    fold.add(Event(type="content_block_stop", index=0))
    fold.message.stop_reason = "tool_use"

    with pytest.raises(ModelError) as raised:
        fold.final()

    assert raised.value.kind == MALFORMED_TOOL_INPUT
    assert str(raised.value) == "invalid JSON: expecting value at line 1 column 23"


def test_a_tool_input_cut_off_by_max_tokens_is_not_taken_for_malformed_json() -> None:
    fold = started(Event(type="tool_use", name=EDITOR, input={}))
    delta = Event(type="input_json_delta", partial_json='{"command": "create", "path": "a.')
    fold.add(Event(type="content_block_delta", index=0, delta=delta))
    fold.add(Event(type="content_block_stop", index=0))
    fold.message.stop_reason = "max_tokens"

    assert fold.final().content[0].input == {}


def test_a_delta_for_a_block_never_opened_is_a_stream_error() -> None:
    fold = started(Event(type="text", text=""))
    with pytest.raises(ModelError, match="delta for block 3 unopened") as raised:
        delta = Event(type="text_delta", text="x")
        fold.add(Event(type="content_block_delta", index=3, delta=delta))
    assert raised.value.kind == "stream_error"


def test_an_event_before_message_start_is_a_stream_error() -> None:
    with pytest.raises(ModelError, match="began with content_block_stop"):
        StreamFold().add(Event(type="content_block_stop", index=0))
