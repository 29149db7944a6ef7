"""What a request costs, from its token use and a small table of list prices."""

from __future__ import annotations

from dataclasses import dataclass

from slowcode.model.types import Usage

CACHE_WRITE_FACTOR = 1.25
"""A five-minute cache write costs 1.25 times the input price."""

CACHE_READ_FACTOR = 0.1
"""A cache read costs a tenth of the input price."""


@dataclass(frozen=True)
class Price:
    """List prices in US dollars per million tokens."""

    input_per_mtok: float
    output_per_mtok: float


# Longest matching prefix wins, so older generations with other prices are listed
# beside the family-wide entry.
PRICES: dict[str, Price] = {
    "claude-opus": Price(5.0, 25.0),
    "claude-opus-4-0": Price(15.0, 75.0),
    "claude-opus-4-1": Price(15.0, 75.0),
    "claude-opus-4-2025": Price(15.0, 75.0),
    "claude-3-opus": Price(15.0, 75.0),
    "claude-sonnet": Price(3.0, 15.0),
    "claude-3-5-sonnet": Price(3.0, 15.0),
    "claude-3-7-sonnet": Price(3.0, 15.0),
    "claude-haiku": Price(1.0, 5.0),
    "claude-3-5-haiku": Price(0.8, 4.0),
    "claude-3-haiku": Price(0.25, 1.25),
}

FAMILY_PRICES: dict[str, Price] = {
    "opus": PRICES["claude-opus"],
    "sonnet": PRICES["claude-sonnet"],
    "haiku": PRICES["claude-haiku"],
}
"""For ids a gateway decorates (`anthropic/claude-sonnet-…`, `us.anthropic.…`)."""

DEFAULT_PRICE = PRICES["claude-sonnet"]
"""Unknown models (local servers, new ids) are priced like Sonnet: the estimate is
then never silently zero, and it is the default model's price."""


def price_of(model: str) -> Price:
    """The list price of `model`: longest known prefix, then family name, then default."""
    name = model.lower()
    matches = [prefix for prefix in PRICES if name.startswith(prefix)]
    if matches:
        return PRICES[max(matches, key=len)]
    for family, price in FAMILY_PRICES.items():
        if family in name:
            return price
    return DEFAULT_PRICE


def cost_usd(model: str, usage: Usage) -> float:
    """The cost of one request in US dollars.

    Args:
        model: The model id the request used.
        usage: Its token use, cache writes and reads included.

    Returns:
        The estimated cost at list prices.
    """
    price = price_of(model)
    per_input = price.input_per_mtok / 1_000_000
    return (
        usage.input_tokens * per_input
        + usage.cache_creation_input_tokens * per_input * CACHE_WRITE_FACTOR
        + usage.cache_read_input_tokens * per_input * CACHE_READ_FACTOR
        + usage.output_tokens * price.output_per_mtok / 1_000_000
    )
