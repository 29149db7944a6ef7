"""What a request costs: an estimate from its token use and list prices per model id.

Every figure is an estimate (list prices, no discounts, batch or priority tiers), and
is shown as one (`format_cost`). A model slowcode has no price for (a local
server's, a new id) has no cost: its tokens are counted and the cost is shown as
unknown rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slowcode.model.cost_text import COST_UNKNOWN as COST_UNKNOWN
from slowcode.model.cost_text import format_cost as format_cost
from slowcode.model.types import Usage

CACHE_WRITE_FACTOR = 1.25
"""A five-minute cache write costs 1.25 times the input price."""

CACHE_WRITE_1H_FACTOR = 2.0
"""A one-hour cache write costs twice the input price."""

CACHE_READ_FACTOR = 0.1
"""A cache read costs a tenth of the input price."""

REGIONAL_FACTOR = 1.1
"""Bedrock's regional (geography-bound) inference profiles cost 10% more than its
global ones, for the models of the 4.5 generation and later."""


@dataclass(frozen=True)
class Price:
    """List prices in US dollars per million tokens."""

    input_per_mtok: float
    output_per_mtok: float


_OPUS = Price(5.0, 25.0)
_OPUS_OLD = Price(15.0, 75.0)
_SONNET = Price(3.0, 15.0)
_HAIKU = Price(1.0, 5.0)

PRICES: dict[str, Price] = {
    # The ids the SDK lists (anthropic/types/model_param.py) whose list price is known.
    "claude-opus-5-5": _OPUS,
    "claude-opus-5": _OPUS,
    "claude-opus-4-8": _OPUS,
    "claude-opus-4-7": _OPUS,
    "claude-opus-4-6": _OPUS,
    "claude-opus-4-5": _OPUS,
    "claude-sonnet-5-5": _SONNET,
    "claude-sonnet-5": _SONNET,
    "claude-sonnet-4-6": _SONNET,
    "claude-sonnet-4-5": _SONNET,
    "claude-haiku-5-5": _HAIKU,
    "claude-haiku-4-5": _HAIKU,
    # Earlier generations, still served under these ids.
    "claude-opus-4-1": _OPUS_OLD,
    "claude-opus-4-0": _OPUS_OLD,
    "claude-opus-4": _OPUS_OLD,
    "claude-sonnet-4-0": _SONNET,
    "claude-sonnet-4": _SONNET,
    "claude-3-7-sonnet": _SONNET,
    "claude-3-5-sonnet": _SONNET,
    "claude-3-5-haiku": Price(0.8, 4.0),
    "claude-3-opus": _OPUS_OLD,
    "claude-3-haiku": Price(0.25, 1.25),
}
"""Prices by model id without its date; ids not listed (local models, names slowcode
has no price for) have no cost."""

_BEFORE_4_5 = frozenset(
    {"claude-opus-4-1", "claude-opus-4-0", "claude-opus-4", "claude-sonnet-4-0", "claude-sonnet-4"}
)
_BEDROCK_GEO = re.compile(r"^(?P<geo>[a-z]{2,6})\.anthropic\.")
_DATE = re.compile(r"-\d{8}$")


def canonical_model(model: str) -> str:
    """The first-party id behind a provider's or gateway's model id.

    `us.anthropic.claude-sonnet-5-5-v1:0` (Bedrock), `claude-sonnet-5-5@20261001`
    (Vertex AI), `anthropic/claude-sonnet-5-5` (a gateway) and
    `claude-sonnet-4-5-20250929` all become the id without provider parts and date.
    """
    name = model.strip().lower()
    name = name.rsplit("/", 1)[-1]
    name = _BEDROCK_GEO.sub("", name).removeprefix("anthropic.")
    name = name.split("@", 1)[0]
    name = re.sub(r"-v\d+(:\d+)?$", "", name)
    return _DATE.sub("", name)


def price_of(model: str) -> Price | None:
    """The list price of `model` (any provider's form of its id), or None when unknown."""
    key = _price_key(model)
    return None if key is None else PRICES[key]


def _price_key(model: str) -> str | None:
    name = canonical_model(model)
    if name in PRICES:
        return name
    # Suffixed forms (`claude-3-5-sonnet-latest`): the longest listed id they extend.
    prefixes = [prefix for prefix in PRICES if name.startswith(prefix + "-")]
    return max(prefixes, key=len) if prefixes else None


def regional_premium(model: str) -> bool:
    """Whether `model` is a Bedrock regional inference profile of a 4.5-or-later model."""
    found = _BEDROCK_GEO.match(model.strip().lower())
    if found is None or found["geo"] == "global":
        return False
    key = _price_key(model)
    return key is not None and key not in _BEFORE_4_5 and not key.startswith("claude-3-")


def cost_usd(model: str, usage: Usage) -> float | None:
    """The estimated cost of one request in US dollars, or None for an unpriced model.

    Args:
        model: The model id the request used, in its provider's form.
        usage: Its token use, cache writes and reads included.

    Returns:
        The estimate at list prices: input, output, cache writes at 1.25 times (a
        one-hour write twice) and cache reads at a tenth of the input price
        (Bedrock's regional profiles 10% more).
    """
    price = price_of(model)
    if price is None:
        return None
    per_input = price.input_per_mtok / 1_000_000
    five_minute_writes = max(
        0, usage.cache_creation_input_tokens - usage.cache_creation_1h_input_tokens
    )
    cost = (
        usage.input_tokens * per_input
        + five_minute_writes * per_input * CACHE_WRITE_FACTOR
        + usage.cache_creation_1h_input_tokens * per_input * CACHE_WRITE_1H_FACTOR
        + usage.cache_read_input_tokens * per_input * CACHE_READ_FACTOR
        + usage.output_tokens * price.output_per_mtok / 1_000_000
    )
    return cost * REGIONAL_FACTOR if regional_premium(model) else cost


def add_costs(total: float | None, more: float | None) -> float | None:
    """A running total: unknown as soon as one part is unknown."""
    if total is None or more is None:
        return None
    return total + more
