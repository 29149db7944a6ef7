"""PageRank over the file → name → file graph, in a few C-level passes per iteration.

The graph is handed over as flat lists in a canonical order (used names sorted,
each name's sources by file, each name's definers by file), so the same graph
gives the same numbers bit for bit however it was reached. Each iteration
gathers the sources' ranks (`itemgetter`), multiplies by the edge shares and
sums each name's run by prefix sums (`accumulate`): no Python loop per edge.
"""

from __future__ import annotations

import contextlib
import gc
import operator
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, chain, repeat

from slowcode.context.ranking import DAMPING, MAX_ITERATIONS, MENTIONED_FILE_WEIGHT, TOLERANCE


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pauses the cyclic garbage collector while many small containers are built.

    Building the graph allocates tens of thousands of tuples and lists and
    frees none of them, so each collection the allocations trigger walks the
    whole heap (the tag cache included) for nothing: 20-40 % of a build.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def gather(indices: list[int]) -> Callable[[Sequence[float]], tuple[float, ...]]:
    """A function returning the items of a list at `indices`, as a tuple, in one C call."""
    if not indices:
        return lambda values: ()
    if len(indices) == 1:
        only = indices[0]
        return lambda values: (values[only],)
    return operator.itemgetter(*indices)


class Segments:
    """Sums of consecutive runs of a flat list, by prefix sums (all in C)."""

    def __init__(self, lengths: list[int]) -> None:
        ends = list(accumulate(lengths))
        self._ends = gather(ends)
        self._starts = gather(list(map(operator.sub, ends, lengths)))

    def sums(self, values: Iterator[float]) -> list[float]:
        prefix = list(accumulate(values, initial=0.0))
        return list(map(operator.sub, self._ends(prefix), self._starts(prefix)))


def pagerank(
    count: int,
    sources: list[list[int]],
    shares: list[list[float]],
    definers: list[list[int]],
    dangling: list[int],
    named: frozenset[int],
) -> tuple[list[float], list[float]]:
    """Each file's rank and the rank flowing into each used name.

    Args:
        count: Number of files.
        sources: For each used name, the files using it (ascending).
        shares: For each used name, the share of each source's rank it gets.
        definers: For each used name, the files defining it (ascending).
        dangling: Files using no defined name (their rank restarts everywhere).
        named: Files the query names (they weigh more in the restart).

    Returns:
        (rank by file, flow by used name), in the order given.
    """
    gather_sources = gather(list(chain.from_iterable(sources)))
    flat_shares = list(chain.from_iterable(shares))
    by_name = Segments(list(map(len, sources)))
    counts = list(map(len, definers))
    spread = list(map(operator.truediv, repeat(DAMPING), counts))
    # (owner, name position) pairs, grouped by owner: a stable sort keeps positions ascending.
    owners = list(chain.from_iterable(definers))
    positions = list(chain.from_iterable(map(repeat, range(len(definers)), counts)))
    by_owner = sorted(range(len(owners)), key=owners.__getitem__)
    gather_owned = gather(list(map(positions.__getitem__, by_owner)))
    owned_spread = gather_owned(spread)
    per_file = Counter(owners)
    by_file = Segments([per_file[index] for index in range(count)])
    gather_dangling = gather(dangling)
    restart = [MENTIONED_FILE_WEIGHT if index in named else 1.0 for index in range(count)]
    norm = sum(restart)
    restart = [weight / norm for weight in restart]
    rank_of = list(restart)
    flow: list[float] = [0.0] * len(sources)
    for _ in range(MAX_ITERATIONS):
        flow = by_name.sums(map(operator.mul, gather_sources(rank_of), flat_shares))
        received = by_file.sums(map(operator.mul, gather_owned(flow), owned_spread))
        base = 1.0 - DAMPING + DAMPING * sum(gather_dangling(rank_of))
        new = list(map(operator.add, map(operator.mul, restart, repeat(base)), received))
        change = sum(map(abs, map(operator.sub, new, rank_of)))
        rank_of = new
        if change < TOLERANCE:
            break
    return rank_of, flow
