"""An estimate of what Anthropic's prompt cache bills for a run of Messages API requests.

Written from Anthropic's documented rules for prompt caching:

- A request is read as one sequence of blocks: the tools, then the system blocks,
  then each message's content blocks, in that order.
- A `cache_control` breakpoint caches the whole prefix up to and including its
  block. A later request reads that entry only if its own prefix up to there is
  byte-identical (the `cache_control` markers themselves are not part of it).
- At each breakpoint the cache looks for an entry at that block and at the blocks
  before it, at most `LOOKBACK_BLOCKS` positions in all; the longest entry found
  is read. Entries exist only where an earlier request had a breakpoint.
- A prefix shorter than the model's minimum (`MIN_CACHEABLE_TOKENS`, 1,024 for
  Sonnet) is not cached, silently.
- An entry lives 5 minutes, or 1 hour with `"ttl": "1h"`, from its last write or
  read (a read refreshes it for free). A request holds at most 4 breakpoints, and
  1-hour breakpoints must come before 5-minute ones.
- Prices: the model's own row of list prices (`slowcode.model.pricing`), one per
  kind of token: uncached input, cache read, 5-minute and 1-hour cache writes.

Tokens are whatever the given counter says; the model is exact about the rules,
not about a tokenizer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slowcode.model.pricing import Price

LOOKBACK_BLOCKS = 20
MAX_BREAKPOINTS = 4
MIN_CACHEABLE_TOKENS = 1024
TTL_SECONDS = {"5m": 300.0, "1h": 3600.0}

BUILTIN_TOOL_TOKENS = {"text_editor_20250728": 700}
"""Input tokens the API adds for a built-in tool (Anthropic's tool-use pricing table)."""

TOOL_USE_SYSTEM_TOKENS = 346
"""The system prompt the API adds to a request that offers tools (`tool_choice` auto)."""

Counter = Callable[[str], int]


@dataclass(frozen=True)
class Block:
    """One block of a request as the cache sees it.

    Attributes:
        where: `tools`, `system` or the message's role.
        text: What the block says, as counted (its JSON without `cache_control`).
        tokens: Its tokens by the counter (plus what the API adds for built-in tools).
        ttl: The lifetime of its breakpoint, or None when it has none.
    """

    where: str
    text: str
    tokens: int
    ttl: str | None


@dataclass(frozen=True)
class Billing:
    """How the input of one request is billed.

    Attributes:
        input_tokens: Every input token of the request.
        cache_read: Tokens read from the cache.
        cache_write_5m: Tokens written with a 5-minute lifetime.
        cache_write_1h: Tokens written with a 1-hour lifetime.
        uncached: Tokens billed at the plain input price.
        breakpoints: How many `cache_control` breakpoints the request carried.
        problems: Rules the request broke (too many breakpoints, TTLs out of order).
    """

    input_tokens: int
    cache_read: int
    cache_write_5m: int
    cache_write_1h: int
    uncached: int
    breakpoints: int
    problems: tuple[str, ...] = ()

    @property
    def cache_write(self) -> int:
        """Tokens written to the cache, either lifetime."""
        return self.cache_write_5m + self.cache_write_1h

    def input_cost(self, price: Price) -> float:
        """The input's cost in US dollars at `price`, the model's own row of list prices.

        Each kind of input token has the model's own price (a cache read is not a
        tenth of the input price for every model); a long prompt takes the row its
        length calls for.
        """
        row = price.for_prompt(self.input_tokens)
        dollars = (
            self.uncached * row.input_per_mtok
            + self.cache_read * row.cache_read_per_mtok
            + self.cache_write_5m * row.cache_write_per_mtok
            + self.cache_write_1h * row.cache_write_1h_per_mtok
        )
        return dollars / 1_000_000


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _ttl_of(item: Any) -> str | None:
    if not isinstance(item, dict) or not isinstance(item.get("cache_control"), dict):
        return None
    return str(item["cache_control"].get("ttl") or "5m")


def _without_marker(item: Any) -> Any:
    if isinstance(item, dict):
        return {key: value for key, value in item.items() if key != "cache_control"}
    return item


def _block_text(item: Any) -> str:
    """What a block costs in tokens: its words, not the JSON punctuation around them."""
    if isinstance(item, str):
        return item
    kind = item.get("type")
    if kind == "text":
        return str(item.get("text", ""))
    if kind == "tool_use":
        return f"{item.get('name', '')} {_canonical(item.get('input', {}))}"
    if kind == "tool_result":
        content = item.get("content", "")
        if isinstance(content, list):
            return "\n".join(_block_text(part) for part in content)
        return str(content)
    return _canonical(_without_marker(item))


def request_blocks(body: dict[str, Any], count: Counter) -> list[Block]:
    """The blocks of a Messages API request body, in the cache's order."""
    blocks: list[Block] = []
    tools = body.get("tools") or []
    for tool in tools:
        extra = BUILTIN_TOOL_TOKENS.get(str(tool.get("type")), 0)
        text = _canonical(_without_marker(tool))
        blocks.append(Block("tools", text, count(text) + extra, _ttl_of(tool)))
    if tools and blocks:
        first = blocks[0]
        blocks[0] = Block(first.where, first.text, first.tokens + TOOL_USE_SYSTEM_TOKENS, first.ttl)
    system = body.get("system")
    if isinstance(system, str) and system:
        blocks.append(Block("system", system, count(system), None))
    elif isinstance(system, list):
        for item in system:
            text = _block_text(item)
            blocks.append(Block("system", text, count(text), _ttl_of(item)))
    for message in body.get("messages") or []:
        content = message.get("content")
        items = [content] if isinstance(content, str) else list(content or [])
        for item in items:
            text = _block_text(item)
            # The JSON of a non-text block tells blocks apart that count alike.
            identity = text if isinstance(item, str) else _canonical(_without_marker(item))
            blocks.append(Block(str(message.get("role")), identity, count(text), _ttl_of(item)))
    return blocks


def _prefix_keys(blocks: list[Block]) -> list[bytes]:
    keys: list[bytes] = []
    digest = hashlib.sha256()
    previous = ""
    for block in blocks:
        # A role change is part of the prefix: the same text as another role is not a hit.
        marker = block.where if block.where != previous else ""
        digest.update(f"\x00{marker}\x01{block.text}".encode())
        keys.append(digest.copy().digest())
        previous = block.where
    return keys


@dataclass
class PromptCache:
    """The cache of one API key and model, as requests read and write it.

    Args:
        min_tokens: The model's minimum cacheable prefix.
    """

    min_tokens: int = MIN_CACHEABLE_TOKENS
    entries: dict[bytes, tuple[float, str]] = field(default_factory=dict)

    def send(self, blocks: list[Block], at: float) -> Billing:
        """Bills one request sent at `at` seconds, and updates the cache as the API would."""
        live = {key: value for key, value in self.entries.items() if value[0] > at}
        self.entries = live
        keys = _prefix_keys(blocks)
        cumulative: list[int] = []
        total = 0
        for block in blocks:
            total += block.tokens
            cumulative.append(total)
        marks = [index for index, block in enumerate(blocks) if block.ttl is not None]
        problems = []
        if len(marks) > MAX_BREAKPOINTS:
            problems.append(f"{len(marks)} breakpoints (at most {MAX_BREAKPOINTS})")
        ttls = [blocks[index].ttl for index in marks]
        if "5m" in ttls and "1h" in ttls[ttls.index("5m") :]:
            problems.append("a 1-hour breakpoint after a 5-minute one")
        read_upto = -1
        for mark in marks:
            for index in range(mark, max(-1, mark - LOOKBACK_BLOCKS), -1):
                if keys[index] in live:
                    read_upto = max(read_upto, index)
                    break
        if read_upto >= 0:
            # A read refreshes the entry's lifetime.
            _, ttl = live[keys[read_upto]]
            self.entries[keys[read_upto]] = (at + TTL_SECONDS[ttl], ttl)
        written = {"5m": 0, "1h": 0}
        covered = read_upto
        for mark in marks:
            if cumulative[mark] < self.min_tokens:
                continue
            ttl = str(blocks[mark].ttl)
            if mark > covered:
                written[ttl] += cumulative[mark] - (cumulative[covered] if covered >= 0 else 0)
                covered = mark
            self.entries[keys[mark]] = (at + TTL_SECONDS[ttl], ttl)
        read = cumulative[read_upto] if read_upto >= 0 else 0
        return Billing(
            input_tokens=total,
            cache_read=read,
            cache_write_5m=written["5m"],
            cache_write_1h=written["1h"],
            uncached=total - read - written["5m"] - written["1h"],
            breakpoints=len(marks),
            problems=tuple(problems),
        )
