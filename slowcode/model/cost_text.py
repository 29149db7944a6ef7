"""How a cost is written for the developer: always as an estimate, or as unknown.

Apart from `pricing` so that the status line, part of the first frame, imports
nothing else of the model client.
"""

from __future__ import annotations

COST_UNKNOWN = "cost unknown"


def format_cost(cost: float | None) -> str:
    """A cost as shown to the developer: marked as an estimate, or unknown (None)."""
    if cost is None:
        return COST_UNKNOWN
    return f"est. ${cost:.4f}"
