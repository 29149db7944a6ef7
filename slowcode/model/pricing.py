"""What a request costs: an estimate from its token use and the list prices of its model.

Every figure is an estimate (list prices, no discounts, batch, fast mode or data
residency), and is shown as one (`format_cost`). Each model has its own row of five
prices, as the pricing page lists them (decision 0032): cache prices are not one
fixed factor of the input price for every model. A model slowcode has no price for
(a local server's, a new id) has no cost: its tokens are counted and the cost is
shown as unknown rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slowcode.model.cost_text import COST_UNKNOWN as COST_UNKNOWN
from slowcode.model.cost_text import format_cost as format_cost
from slowcode.model.types import Usage

REGIONAL_FACTOR = 1.1
"""Regional endpoints cost 10% more than global ones, for the models of the 4.5
generation and later: Bedrock's geography-bound inference profiles (`us.`, `eu.`, …)
and Vertex AI's regions other than `global`."""


@dataclass(frozen=True)
class Price:
    """List prices in US dollars per million tokens, one for each kind of token.

    Attributes:
        input_per_mtok: Base input tokens.
        cache_write_per_mtok: Cache writes with the five-minute lifetime.
        cache_write_1h_per_mtok: Cache writes with the one-hour lifetime.
        cache_read_per_mtok: Cache hits and refreshes.
        output_per_mtok: Output tokens (thinking included).
        long_prompt: The prices of every token of a request whose prompt (input,
            cache reads and writes) is over `long_prompt_above` tokens; None: one
            price whatever the prompt's length.
        long_prompt_above: The longest prompt still priced at the first row.
    """

    input_per_mtok: float
    cache_write_per_mtok: float
    cache_write_1h_per_mtok: float
    cache_read_per_mtok: float
    output_per_mtok: float
    long_prompt: Price | None = None
    long_prompt_above: int = 0

    def for_prompt(self, prompt_tokens: int) -> Price:
        """The row that prices a request whose prompt has `prompt_tokens` tokens."""
        if self.long_prompt is not None and prompt_tokens > self.long_prompt_above:
            return self.long_prompt
        return self


_FABLE_5_2 = Price(8.0, 10.0, 16.0, 0.20, 40.0)
_FABLE_5_1 = Price(10.0, 12.50, 20.0, 0.25, 50.0)
_FABLE_5 = Price(10.0, 12.50, 20.0, 1.0, 50.0)
_OPUS_5_5 = Price(4.0, 5.0, 8.0, 0.20, 20.0)
_OPUS = Price(5.0, 6.25, 10.0, 0.50, 25.0)
_OPUS_OLD = Price(15.0, 18.75, 30.0, 1.50, 75.0)
_SONNET_5_5 = Price(2.0, 2.50, 4.0, 0.10, 10.0)
_SONNET_5 = Price(2.0, 2.50, 4.0, 0.20, 10.0)
_SONNET = Price(3.0, 3.75, 6.0, 0.30, 15.0)
HAIKU_5_5_LONG_PROMPT = 100_000
"""Haiku 5.5's prompts up to this many tokens are priced at its first row."""
_HAIKU_5_5 = Price(
    0.10,
    0.125,
    0.20,
    0.01,
    0.50,
    long_prompt=Price(0.50, 0.625, 1.0, 0.05, 2.50),
    long_prompt_above=HAIKU_5_5_LONG_PROMPT,
)
_HAIKU_4_5 = Price(1.0, 1.25, 2.0, 0.10, 5.0)

PRICES: dict[str, Price] = {
    # The ids the SDK lists (anthropic/types/model_param.py) whose list price is
    # published; claude-mythos-preview has none.
    "claude-fable-5-2": _FABLE_5_2,
    "claude-mythos-5-2": _FABLE_5_2,
    "claude-fable-5-1": _FABLE_5_1,
    "claude-mythos-5-1": _FABLE_5_1,
    "claude-fable-5": _FABLE_5,
    "claude-mythos-5": _FABLE_5,
    "claude-opus-5-5": _OPUS_5_5,
    "claude-opus-5": _OPUS,
    "claude-opus-4-8": _OPUS,
    "claude-opus-4-7": _OPUS,
    "claude-opus-4-6": _OPUS,
    "claude-opus-4-5": _OPUS,
    "claude-sonnet-5-5": _SONNET_5_5,
    "claude-sonnet-5": _SONNET_5,
    "claude-sonnet-4-6": _SONNET,
    "claude-sonnet-4-5": _SONNET,
    "claude-haiku-5-5": _HAIKU_5_5,
    "claude-haiku-4-5": _HAIKU_4_5,
    # Earlier generations, still served under these ids.
    "claude-opus-4-1": _OPUS_OLD,
    "claude-opus-4-0": _OPUS_OLD,
    "claude-opus-4": _OPUS_OLD,
    "claude-sonnet-4-0": _SONNET,
    "claude-sonnet-4": _SONNET,
    "claude-3-7-sonnet": _SONNET,
    "claude-3-5-sonnet": _SONNET,
    "claude-3-5-haiku": Price(0.80, 1.0, 1.6, 0.08, 4.0),
    "claude-3-opus": _OPUS_OLD,
    "claude-3-haiku": Price(0.25, 0.30, 0.50, 0.03, 1.25),
}
"""Prices by model id without its date; ids not listed (local models, names slowcode
has no price for) have no cost."""

_BEFORE_4_5 = frozenset(
    {"claude-opus-4-1", "claude-opus-4-0", "claude-opus-4", "claude-sonnet-4-0", "claude-sonnet-4"}
)
_BEDROCK_GEO = re.compile(r"^(?P<geo>[a-z]{2,6})\.anthropic\.")
_DATE = re.compile(r"-\d{8}$")
_SUFFIX = re.compile(r"-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest)$")
"""What may follow a listed id in a longer one: a date or `latest`, nothing else (a
new version, `claude-sonnet-5-7`, is not Sonnet 5)."""


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


def priced_model(answered: str | None, requested: str) -> str:
    """The id to price an answer by: the model that answered, in the form it was asked for.

    An answer names its model in the first-party form (`claude-sonnet-5-5`) even when
    it was asked for as a Bedrock geography profile (`us.anthropic.claude-sonnet-5-5-v1:0`),
    whose prefix is what makes it cost more; the requested id is kept when both are
    the same model.
    """
    if not answered or canonical_model(answered) == canonical_model(requested):
        return requested
    return answered


def price_of(model: str) -> Price | None:
    """The list price of `model` (any provider's form of its id), or None when unknown."""
    key = _price_key(model)
    return None if key is None else PRICES[key]


def _price_key(model: str) -> str | None:
    name = canonical_model(model)
    if name in PRICES:
        return name
    # A suffixed form (`claude-3-5-sonnet-latest`): the listed id it is, followed by a
    # date or `latest` only; the longest such id wins.
    listed = [key for key in PRICES if name.startswith(key) and _SUFFIX.fullmatch(name[len(key) :])]
    return max(listed, key=len) if listed else None


def regional_premium(model: str, provider: str | None = None, region: str | None = None) -> bool:
    """Whether a request to `model` pays the 10% of a regional endpoint.

    Args:
        model: The model id, in its provider's form.
        provider: `anthropic`, `bedrock` or `vertex`; None when unknown (a journal
            written before sessions recorded it).
        region: The cloud region requests go to; None when unknown.

    Returns:
        True for a model of the 4.5 generation or later reached through a Bedrock
        geography profile (the id's `us.`, `eu.`, … prefix; not `global.`) or a
        Vertex AI region other than `global`.
    """
    key = _price_key(model)
    if key is None or key in _BEFORE_4_5 or key.startswith("claude-3-"):
        return False
    found = _BEDROCK_GEO.match(model.strip().lower())
    if found is not None:
        return found["geo"] != "global"
    if provider == "vertex" and region is not None:
        return region.strip().lower() != "global"
    return False


def cost_usd(
    model: str, usage: Usage, provider: str | None = None, region: str | None = None
) -> float | None:
    """The estimated cost of one request in US dollars, or None for an unpriced model.

    Args:
        model: The model id the request used, in its provider's form.
        usage: Its token use, cache writes and reads included.
        provider: Where the request went (`anthropic`, `bedrock`, `vertex`); None:
            unknown, priced from the model id alone.
        region: The cloud region it went to (Vertex AI's matters); None: unknown.

    Returns:
        The estimate at the model's list prices for each kind of token (for Haiku
        5.5, the row of the request's prompt length), 10% more on a regional
        endpoint (`regional_premium`).
    """
    base = price_of(model)
    if base is None:
        return None
    prompt = usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens
    price = base.for_prompt(prompt)
    five_minute_writes = max(
        0, usage.cache_creation_input_tokens - usage.cache_creation_1h_input_tokens
    )
    cost = (
        usage.input_tokens * price.input_per_mtok
        + five_minute_writes * price.cache_write_per_mtok
        + usage.cache_creation_1h_input_tokens * price.cache_write_1h_per_mtok
        + usage.cache_read_input_tokens * price.cache_read_per_mtok
        + usage.output_tokens * price.output_per_mtok
    ) / 1_000_000
    return cost * REGIONAL_FACTOR if regional_premium(model, provider, region) else cost


def add_costs(total: float | None, more: float | None) -> float | None:
    """A running total: unknown as soon as one part is unknown."""
    if total is None or more is None:
        return None
    return total + more
