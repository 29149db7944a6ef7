"""Where the conversation's cache breakpoints go, and the one-hour lifetime setting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from slowcode.context.policy import ContextPolicy
from slowcode.context.system_prompt import system_blocks
from slowcode.core.config import load_config
from slowcode.core.errors import ConfigError
from slowcode.model.cache_breakpoints import cache_marker, with_conversation_breakpoints


def conversation() -> list[dict[str, Any]]:
    use = {"type": "tool_use", "id": "t1", "name": "search_code", "input": {"pattern": "x"}}
    return [
        {"role": "user", "content": "the task"},
        {"role": "assistant", "content": [{"type": "text", "text": "Looking."}, use]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "a"}]},
    ]


def marked(messages: list[dict[str, Any]]) -> list[tuple[int, int, dict[str, str]]]:
    return [
        (m, b, block["cache_control"])
        for m, message in enumerate(messages)
        for b, block in enumerate(message["content"])
        if "cache_control" in block
    ]


def test_the_last_two_user_turns_end_with_a_breakpoint_and_nothing_else_does() -> None:
    messages = conversation()
    sent = with_conversation_breakpoints(messages)
    assert marked(sent) == [(0, 0, {"type": "ephemeral"}), (2, 0, {"type": "ephemeral"})]
    # A copy: the conversation itself is left as it was.
    assert messages == conversation()
    # Strings become one text block, so a message's bytes never depend on the marks.
    assert sent[0]["content"][0]["text"] == "the task"
    one_turn = with_conversation_breakpoints(messages[:1])
    assert marked(one_turn) == [(0, 0, {"type": "ephemeral"})]


def test_a_message_marked_in_one_request_is_the_same_bytes_unmarked_in_the_next() -> None:
    first = with_conversation_breakpoints(conversation()[:1])
    longer = [*conversation(), *conversation()[1:]]
    later = with_conversation_breakpoints(longer)
    assert "cache_control" not in later[0]["content"][0]
    assert {k: v for k, v in first[0]["content"][0].items() if k != "cache_control"} == (
        later[0]["content"][0]
    )


def test_the_one_hour_lifetime_is_on_every_breakpoint(tmp_path: Path) -> None:
    assert cache_marker("5m") == {"type": "ephemeral"}
    sent = with_conversation_breakpoints(conversation(), "1h")
    assert {str(mark) for _, _, mark in marked(sent)} == {"{'type': 'ephemeral', 'ttl': '1h'}"}
    blocks = system_blocks(tmp_path, ContextPolicy(tmp_path), "", "pkg/a.py", "1h")
    assert "cache_control" not in blocks[0]
    assert [block["cache_control"] for block in blocks[1:]] == [cache_marker("1h")] * 2


def test_cache_ttl_is_read_from_the_configuration_and_checked(tmp_path: Path) -> None:
    user = tmp_path / "none.toml"
    (tmp_path / ".slowcode.toml").write_text('cache_ttl = "1h"\n', encoding="utf-8")
    assert load_config(tmp_path, {}, user_config=user).cache_ttl == "1h"
    assert load_config(tmp_path, {"SLOWCODE_CACHE_TTL": "5m"}, user_config=user).cache_ttl == "5m"
    (tmp_path / ".slowcode.toml").write_text('cache_ttl = "2h"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, {}, user_config=user)
    assert str(raised.value) == 'cache_ttl in .slowcode.toml must be "5m" or "1h", got \'2h\''
