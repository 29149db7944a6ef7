"""The prompt-cache model of the request-cost bench, rule by rule (Anthropic's documented rules)."""

from __future__ import annotations

from typing import Any

import pytest

from bench.cache_model import (
    LOOKBACK_BLOCKS,
    TOOL_USE_SYSTEM_TOKENS,
    PromptCache,
    request_blocks,
)
from slowcode.model.pricing import Price, price_of

MARK = {"type": "ephemeral"}


def listed(model: str) -> Price:
    price = price_of(model)
    assert price is not None
    return price


def words(text: str) -> int:
    """One token per word: easy to reckon with in the assertions."""
    return len(text.split())


def text(n: int, tag: str = "w", *, ttl: str | None = None, mark: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "text", "text": " ".join(f"{tag}{i}" for i in range(n))}
    if mark or ttl:
        block["cache_control"] = {**MARK, **({"ttl": ttl} if ttl else {})}
    return block


def body(system: list[dict[str, Any]], *messages: list[dict[str, Any]]) -> dict[str, Any]:
    roles = ["user", "assistant"]
    return {
        "system": system,
        "messages": [
            {"role": roles[i % 2], "content": content} for i, content in enumerate(messages)
        ],
    }


def send(cache: PromptCache, request: dict[str, Any], at: float = 0.0) -> Any:
    return cache.send(request_blocks(request, words), at)


def test_the_first_request_writes_up_to_its_breakpoint_and_the_next_reads_it() -> None:
    cache = PromptCache()
    request = body([text(1500, mark=True)], [text(10)])
    first = send(cache, request)
    assert (first.cache_read, first.cache_write, first.uncached) == (0, 1500, 10)
    second = send(cache, request, at=60)
    assert (second.cache_read, second.cache_write, second.uncached) == (1500, 0, 10)
    assert second.input_tokens == 1510


def test_one_changed_byte_before_the_breakpoint_misses() -> None:
    cache = PromptCache()
    send(cache, body([text(1500, mark=True)], [text(10)]))
    changed = body([text(1499, mark=True) | {"text": text(1499)["text"] + " x"}], [text(10)])
    again = send(cache, changed, at=1)
    assert again.cache_read == 0
    assert again.cache_write == 1500


def test_the_marker_itself_is_no_part_of_the_prefix() -> None:
    cache = PromptCache()
    send(cache, body([text(1200, mark=True)], [text(10, "q")]))
    # The same system without its marker, and a breakpoint on the message instead: the
    # lookback finds the system's entry one block back, reads it, writes the message.
    later = send(cache, body([text(1200)], [text(10, "q", mark=True)]), at=1)
    assert (later.cache_read, later.cache_write, later.uncached) == (1200, 10, 0)


def test_below_the_minimum_nothing_is_cached() -> None:
    cache = PromptCache()
    request = body([text(1000, mark=True)], [text(10)])
    assert send(cache, request).cache_write == 0
    assert send(cache, request, at=1).cache_read == 0
    assert send(cache, request, at=2).uncached == 1010


def test_the_minimum_counts_the_whole_prefix_not_the_segment() -> None:
    cache = PromptCache()
    request = body([text(900, mark=True), text(200, "m", mark=True)], [text(10)])
    first = send(cache, request)
    # The first breakpoint's prefix (900) is too short; the second's (1,100) is not.
    assert (first.cache_write, first.uncached) == (1100, 10)


def test_the_lookback_finds_an_entry_at_most_twenty_blocks_back() -> None:
    system = [text(1100, mark=True)]
    turns = [[text(1, f"t{i}")] for i in range(40)]
    for extra, hit in ((LOOKBACK_BLOCKS - 1, True), (LOOKBACK_BLOCKS, False)):
        cache = PromptCache()
        first = [[text(1, "a", mark=True)]]
        send(cache, body(system, *first))
        later = [[text(1, "a")], *turns[:extra]]
        later[-1] = [text(1, f"t{extra - 1}", mark=True)]
        result = send(cache, body([text(1100)], *later), at=1)
        assert (result.cache_read == 1101) is hit, extra


def test_an_entry_expires_after_five_minutes_unless_read() -> None:
    cache = PromptCache()
    request = body([text(1500, mark=True)], [text(10)])
    send(cache, request, at=0)
    assert send(cache, request, at=299).cache_read == 1500
    # The read at 299 s refreshed it: still there at 598 s, gone 5 minutes after that.
    assert send(cache, request, at=598).cache_read == 1500
    assert send(cache, request, at=899).cache_read == 0


def test_a_one_hour_entry_survives_a_long_pause_and_costs_double_to_write() -> None:
    cache = PromptCache()
    request = body([text(1500, ttl="1h")], [text(10)])
    first = send(cache, request, at=0)
    assert (first.cache_write_1h, first.cache_write_5m) == (1500, 0)
    assert send(cache, request, at=3000).cache_read == 1500
    # Sonnet 4.5's row: a 1-hour write at $6 per million, plain input at $3.
    assert first.input_cost(listed("claude-sonnet-4-5")) == pytest.approx(
        (1500 * 6.0 + 10 * 3.0) / 1_000_000
    )


def test_each_kind_of_input_token_takes_the_models_own_price() -> None:
    cache = PromptCache()
    request = body([text(2000, mark=True)], [text(100)])
    write = send(cache, request)
    read = send(cache, request, at=1)
    # Sonnet 5.5: input $2, 5-minute write $2.50, cache read $0.10 (0.05x, not 0.1x).
    sonnet = listed("claude-sonnet-5-5")
    assert write.input_cost(sonnet) == pytest.approx((2000 * 2.50 + 100 * 2.0) / 1_000_000)
    assert read.input_cost(sonnet) == pytest.approx((2000 * 0.10 + 100 * 2.0) / 1_000_000)


def test_rules_broken_are_reported() -> None:
    cache = PromptCache()
    five = body([text(300, "a", mark=True), text(300, "b", mark=True)], [text(300, "c", mark=True)])
    five["messages"][0]["content"] += [text(300, "d", mark=True), text(300, "e", mark=True)]
    assert send(cache, five).problems == ("5 breakpoints (at most 4)",)
    order = body([text(1100, mark=True), text(10, "b", ttl="1h")], [text(1)])
    assert send(PromptCache(), order).problems == ("a 1-hour breakpoint after a 5-minute one",)


def test_tools_come_first_and_the_api_adds_its_tool_prompt() -> None:
    tools = [{"name": "t", "description": "d " * 50, "input_schema": {}, "cache_control": MARK}]
    blocks = request_blocks({"tools": tools, "system": [text(5)], "messages": []}, words)
    assert [block.where for block in blocks] == ["tools", "system"]
    assert blocks[0].ttl == "5m" and blocks[1].ttl is None
    assert blocks[0].tokens > TOOL_USE_SYSTEM_TOKENS


def test_the_same_text_in_another_role_is_another_prefix() -> None:
    cache = PromptCache()
    send(cache, body([text(1100)], [text(5, mark=True)]))
    swapped = {"system": [text(1100)], "messages": [{"role": "assistant", "content": [text(5)]}]}
    swapped["messages"][0]["content"][0]["cache_control"] = MARK
    assert send(cache, swapped, at=1).cache_read == 0
