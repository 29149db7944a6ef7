"""PageRank over the file → definers → file graph, in a few C-level passes per iteration.

A file passes its rank to the names it uses and a name to the files defining
it; names with the same set of definers pass rank alike, so the iterations run
over those sets ("targets"), each file's edges to one set merged into one edge
(`rank_edges`). The graph is handed over as flat lists in a canonical order
(targets sorted, each target's sources by file), so the same graph gives the
same numbers bit for bit however it was reached. Each iteration gathers each
target's sources' ranks (`itemgetter`), multiplies them by the shares and sums
them (`map`, `sum`), then each file's intake by prefix sums (`accumulate`): no
Python loop per edge. The rank flowing into each name, which scores its
definitions, is summed once at the end the same way.
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
    definers: list[tuple[int, ...]],
    dangling: list[int],
    named: frozenset[int],
) -> list[float]:
    """Each file's rank.

    Args:
        count: Number of files.
        sources: For each target (a set of files defining some used names),
            the files with an edge to it (ascending).
        shares: For each target, the share of each source's rank it gets.
        definers: Each target's files (ascending): they share what it gets.
        dangling: Files using no defined name (their rank restarts everywhere).
        named: Files the query names (they weigh more in the restart).

    Returns:
        The rank by file, in the order given.
    """
    mul = operator.mul
    counts = list(map(len, definers))
    # Each source's share of its rank reaching each of the target's files, split
    # beforehand: an iteration then sums each target's run directly (`sum` adds floats
    # in C without a prefix list, and more exactly than differences of prefix sums; its
    # rounding may differ between Python versions, which the saved graph records).
    terms = [
        (gather(target_sources), list(map(mul, target_shares, repeat(DAMPING / files))))
        for target_sources, target_shares, files in zip(sources, shares, counts, strict=True)
    ]
    # (owner, target position) pairs, grouped by owner: a stable sort keeps positions ascending.
    owners = list(chain.from_iterable(definers))
    positions = list(chain.from_iterable(map(repeat, range(len(definers)), counts)))
    by_owner = sorted(range(len(owners)), key=owners.__getitem__)
    gather_owned = gather(list(map(positions.__getitem__, by_owner)))
    per_file = Counter(owners)
    by_file = Segments([per_file[index] for index in range(count)])
    gather_dangling = gather(dangling)
    restart = [MENTIONED_FILE_WEIGHT if index in named else 1.0 for index in range(count)]
    norm = sum(restart)
    restart = [weight / norm for weight in restart]
    rank_of = list(restart)
    for _ in range(MAX_ITERATIONS):
        each = [sum(map(mul, get(rank_of), target_shares)) for get, target_shares in terms]
        received = by_file.sums(iter(gather_owned(each)))
        base = 1.0 - DAMPING + DAMPING * sum(gather_dangling(rank_of))
        new = list(map(operator.add, map(mul, restart, repeat(base)), received))
        change = sum(map(abs, map(operator.sub, new, rank_of)))
        rank_of = new
        if change < TOLERANCE:
            break
    return rank_of


def name_flows(
    rank_of: list[float], sources: list[list[int]], shares: list[list[float]]
) -> list[float]:
    """The rank flowing into each name, from the files' ranks.

    Args:
        rank_of: Each file's rank.
        sources: For each used name, the files using it (ascending).
        shares: For each used name, the share of each source's rank it gets.
    """
    gather_sources = gather(list(chain.from_iterable(sources)))
    by_name = Segments(list(map(len, sources)))
    return by_name.sums(map(operator.mul, gather_sources(rank_of), chain.from_iterable(shares)))
