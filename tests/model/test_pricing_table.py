"""The price of every model id the SDK lists, row by row as the pricing page gives it."""

from __future__ import annotations

import typing

import pytest
from anthropic.types import ModelParam

from slowcode.model.pricing import HAIKU_5_5_LONG_PROMPT, cost_usd, price_of
from slowcode.model.types import Usage

# USD per million tokens: base input, 5-minute cache write, 1-hour cache write,
# cache read, output (platform.claude.com/docs/en/about-claude/pricing, 2026-12).
PUBLISHED: dict[str, tuple[float, float, float, float, float]] = {
    "claude-fable-5-2": (8, 10, 16, 0.20, 40),
    "claude-mythos-5-2": (8, 10, 16, 0.20, 40),
    "claude-fable-5-1": (10, 12.50, 20, 0.25, 50),
    "claude-mythos-5-1": (10, 12.50, 20, 0.25, 50),
    "claude-fable-5": (10, 12.50, 20, 1, 50),
    "claude-mythos-5": (10, 12.50, 20, 1, 50),
    "claude-opus-5-5": (4, 5, 8, 0.20, 20),
    "claude-opus-5": (5, 6.25, 10, 0.50, 25),
    "claude-opus-4-8": (5, 6.25, 10, 0.50, 25),
    "claude-opus-4-7": (5, 6.25, 10, 0.50, 25),
    "claude-opus-4-6": (5, 6.25, 10, 0.50, 25),
    "claude-opus-4-5": (5, 6.25, 10, 0.50, 25),
    "claude-opus-4-5-20251101": (5, 6.25, 10, 0.50, 25),
    "claude-sonnet-5-5": (2, 2.50, 4, 0.10, 10),
    "claude-sonnet-5": (2, 2.50, 4, 0.20, 10),
    "claude-sonnet-4-6": (3, 3.75, 6, 0.30, 15),
    "claude-sonnet-4-5": (3, 3.75, 6, 0.30, 15),
    "claude-sonnet-4-5-20250929": (3, 3.75, 6, 0.30, 15),
    # Haiku 5.5 up to 100,000 prompt tokens (the longer band is tested below).
    "claude-haiku-5-5": (0.10, 0.125, 0.20, 0.01, 0.50),
    "claude-haiku-4-5": (1, 1.25, 2, 0.10, 5),
    "claude-haiku-4-5-20251001": (1, 1.25, 2, 0.10, 5),
}
UNPRICED = {"claude-mythos-preview"}
"""Ids the SDK lists without a published price: shown as "cost unknown"."""

EARLIER: dict[str, tuple[float, float, float, float, float]] = {
    "claude-opus-4-1-20250805": (15, 18.75, 30, 1.50, 75),
    "claude-opus-4-20250514": (15, 18.75, 30, 1.50, 75),
    "claude-3-opus-latest": (15, 18.75, 30, 1.50, 75),
    "claude-sonnet-4-20250514": (3, 3.75, 6, 0.30, 15),
    "claude-3-7-sonnet-20250219": (3, 3.75, 6, 0.30, 15),
    "claude-3-5-sonnet-latest": (3, 3.75, 6, 0.30, 15),
    "claude-3-5-haiku-20241022": (0.80, 1, 1.6, 0.08, 4),
    "claude-3-haiku-20240307": (0.25, 0.30, 0.50, 0.03, 1.25),
}


def sdk_model_ids() -> set[str]:
    """The model ids the installed SDK's `ModelParam` lists."""
    literal = typing.get_args(ModelParam)[0]
    return {str(name) for name in typing.get_args(literal)}


def per_kind_costs(model: str) -> tuple[float | None, ...]:
    """The cost of 1,000 tokens of each kind alone, times 1,000: the rate per million."""
    kinds = (
        Usage(input_tokens=1000),
        Usage(cache_creation_input_tokens=1000),
        Usage(cache_creation_input_tokens=1000, cache_creation_1h_input_tokens=1000),
        Usage(cache_read_input_tokens=1000),
        Usage(output_tokens=1000),
    )
    costs = [cost_usd(model, usage) for usage in kinds]
    return tuple(None if cost is None else round(cost * 1000, 6) for cost in costs)


def test_the_table_covers_every_id_the_sdk_lists() -> None:
    assert sdk_model_ids() == set(PUBLISHED) | UNPRICED


@pytest.mark.parametrize(("model", "rates"), sorted({**PUBLISHED, **EARLIER}.items()))
def test_each_id_costs_its_published_row(
    model: str, rates: tuple[float, float, float, float, float]
) -> None:
    price = price_of(model)
    assert price is not None
    listed = (
        price.input_per_mtok,
        price.cache_write_per_mtok,
        price.cache_write_1h_per_mtok,
        price.cache_read_per_mtok,
        price.output_per_mtok,
    )
    assert listed == pytest.approx(rates)
    assert per_kind_costs(model) == pytest.approx(rates)


@pytest.mark.parametrize("model", sorted(UNPRICED))
def test_an_id_without_a_published_price_has_no_cost(model: str) -> None:
    assert price_of(model) is None
    assert per_kind_costs(model) == (None,) * 5


@pytest.mark.parametrize(
    ("model", "ratio", "old_factor_cost"),
    [
        # 1M cache reads: $0.25 (0.025 × $10), not the $1 a tenth of the input would be.
        ("claude-fable-5-1", 0.025, 1.0),
        # $0.20 (0.05 × $4), not $0.40.
        ("claude-opus-5-5", 0.05, 0.40),
        # $0.10 (0.05 × $2), not $0.20 (the price before 2026-10-07).
        ("claude-sonnet-5-5", 0.05, 0.20),
    ],
)
def test_cache_reads_that_are_not_a_tenth_of_the_input(
    model: str, ratio: float, old_factor_cost: float
) -> None:
    price = price_of(model)
    assert price is not None
    assert price.cache_read_per_mtok / price.input_per_mtok == pytest.approx(ratio)
    cost = cost_usd(model, Usage(cache_read_input_tokens=1_000_000))
    assert cost == pytest.approx(ratio * price.input_per_mtok)
    assert cost != pytest.approx(old_factor_cost)


def test_haiku_5_5_prices_a_prompt_over_100k_tokens_at_its_long_band() -> None:
    assert HAIKU_5_5_LONG_PROMPT == 100_000
    # A prompt of exactly 100,000 tokens (60,000 input + 30,000 read + 10,000 written)
    # and 1,000 output, at the short band:
    #   60,000 × 0.10 + 30,000 × 0.01 + 10,000 × 0.125 + 1,000 × 0.50
    #   = 6,000 + 300 + 1,250 + 500 = 8,050 per million → $0.00805.
    at_limit = Usage(
        input_tokens=60_000,
        output_tokens=1_000,
        cache_creation_input_tokens=10_000,
        cache_read_input_tokens=30_000,
    )
    assert cost_usd("claude-haiku-5-5", at_limit) == pytest.approx(0.00805)
    # One more input token, 100,001: every token at the long band, output included:
    #   60,001 × 0.50 + 30,000 × 0.05 + 10,000 × 0.625 + 1,000 × 2.50
    #   = 30,000.5 + 1,500 + 6,250 + 2,500 = 40,250.5 per million → $0.0402505.
    over = Usage(
        input_tokens=60_001,
        output_tokens=1_000,
        cache_creation_input_tokens=10_000,
        cache_read_input_tokens=30_000,
    )
    assert cost_usd("claude-haiku-5-5", over) == pytest.approx(0.0402505)


def test_haiku_5_5_counts_output_and_one_hour_writes_correctly_in_the_band() -> None:
    # Output is no part of the prompt: 100,000 input + 50,000 output stays short:
    #   100,000 × 0.10 + 50,000 × 0.50 = 35,000 per million → $0.035.
    long_answer = Usage(input_tokens=100_000, output_tokens=50_000)
    assert cost_usd("claude-haiku-5-5", long_answer) == pytest.approx(0.035)
    # One-hour writes are part of the prompt: 100,001 of them cost 100,001 × 1.00.
    written = Usage(cache_creation_input_tokens=100_001, cache_creation_1h_input_tokens=100_001)
    assert cost_usd("claude-haiku-5-5", written) == pytest.approx(0.100001)
    # On Bedrock's geography profile the long band is 10% more: 100,001 × 0.50 × 1.1.
    bedrock = "us.anthropic.claude-haiku-5-5-v1:0"
    over = cost_usd(bedrock, Usage(input_tokens=100_001))
    assert over == pytest.approx(0.05500055)


@pytest.mark.parametrize(
    ("model", "listed"),
    [
        # A date after a listed id is that id, never a longer or shorter neighbour.
        ("claude-sonnet-5-5-20261001", "claude-sonnet-5-5"),
        ("claude-sonnet-5-20260801", "claude-sonnet-5"),
        ("claude-fable-5-20260609", "claude-fable-5"),
        ("claude-fable-5-2026-06-09", "claude-fable-5"),
        ("claude-fable-5-latest", "claude-fable-5"),
        ("claude-fable-5-2-20261109", "claude-fable-5-2"),
        ("claude-opus-5-5-latest", "claude-opus-5-5"),
        ("us.anthropic.claude-fable-5-20260609-v1:0", "claude-fable-5"),
        ("claude-sonnet-5-5@20261001", "claude-sonnet-5-5"),
    ],
)
def test_a_suffixed_id_lands_on_its_own_row(model: str, listed: str) -> None:
    assert price_of(model) == price_of(listed)


def test_the_rows_the_suffix_rule_keeps_apart_differ() -> None:
    # Otherwise the test above could pass for an id landing on its neighbour.
    assert price_of("claude-sonnet-5-5") != price_of("claude-sonnet-5")
    assert price_of("claude-fable-5") != price_of("claude-fable-5-2")


@pytest.mark.parametrize(
    "model",
    ["claude-sonnet-5-7", "claude-opus-5-6", "claude-fable-5-3", "claude-sonnet-5-5-preview"],
)
def test_an_unlisted_version_is_not_priced_as_its_neighbour(model: str) -> None:
    assert price_of(model) is None
    assert cost_usd(model, Usage(input_tokens=1)) is None
