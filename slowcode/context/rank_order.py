"""The scored names in order of score, handed out in batches of growing size.

A map of 1,024 tokens on sympy takes about 1,000 of its 17,000 scored
definitions (the fill tries a thousand more after the first that does not
fit). Building and sorting a sort key for all of them after every re-rank cost
more than the ranking's last step, so `RankGraph` sorts only the definitions
of the best-scoring names first (the first `FIRST_NAMES` names), then of
the next four times as many, and so on. Batches are split by score
value, never between equal scores, so the definitions come out exactly in the
order of one sort on (score, file rank, path, line).
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Iterator, Mapping

FIRST_NAMES = 1024
"""Names in the first batch: on sympy their 1,700 definitions cover a map of 1,024 or 8,192
tokens with its fill, and are found by scanning the definitions of about 430 files."""

GROWTH = 4
"""Each batch after the first holds this many times as many names as the one before."""


def negated_scores(
    used: list[str],
    flows: list[float],
    definers: Mapping[str, tuple[int, ...]],
    mentioned: frozenset[str],
) -> dict[str, float]:
    """Minus each scored name's score outside named files (ascending sorts best first).

    A name scores the rank flowing into it shared among the files defining it,
    plus 1 when the query mentions it; mentioned names nothing uses score just that.

    Args:
        used: The names some other file uses, ascending.
        flows: The rank flowing into each of them.
        definers: The files defining each name.
        mentioned: The names the query mentions.
    """
    counts = map(len, map(definers.__getitem__, used))
    scores = list(map(operator.truediv, flows, counts))
    negated = dict(zip(used, map(operator.neg, scores), strict=True))
    for name in mentioned & definers.keys():
        negated[name] = negated.get(name, -0.0) - 1.0
    return negated


class ScoreLadder:
    """Scored names by ascending negated score, and the batches they are taken in.

    Args:
        negated: Minus each scored name's score.
    """

    def __init__(self, negated: dict[str, float]) -> None:
        self.negated = negated
        self._names = sorted(negated, key=negated.__getitem__)
        self._ladder = list(map(negated.__getitem__, self._names))

    def batches(self) -> Iterator[tuple[float, float, list[str]]]:
        """(low, high, names): the names whose negated score is above low and at most high.

        The first batch starts at minus infinity and the last ends at infinity,
        so every score, also one of a definition in a file the query names,
        falls in exactly one batch.
        """
        low, start, size = -math.inf, 0, FIRST_NAMES
        while start + size < len(self._ladder):
            high = self._ladder[start + size - 1]
            end = bisect.bisect_right(self._ladder, high)
            yield low, high, self._names[start:end]
            low, start, size = high, end, size * GROWTH
        yield low, math.inf, self._names[start:]
