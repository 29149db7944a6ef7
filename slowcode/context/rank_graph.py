"""The reference graph kept in memory, updated one file at a time, and ranked quickly.

`RankGraph` holds what `ranking` describes (files pass their rank to the names
they use, names to the files defining them) for one set of tags and one query.
When a file's content changes, `update` redoes only that file's edges and those
of the files using a name whose definers changed; the PageRank iterations then
run over flat lists with a few C-level passes each (`itemgetter` gathers,
`accumulate` prefix sums), not a Python loop per edge.

Every structure is kept in a canonical order (files by path, names sorted,
each name's sources by file), so a graph updated in place and one built from
scratch hold the same numbers in the same order, and give the same ranking bit
for bit: the map stays byte-identical in every process.
"""

from __future__ import annotations

import bisect
import heapq
import math
import operator
from collections.abc import Callable, Iterator, Mapping
from itertools import accumulate, chain, repeat

from slowcode.context.ranking import (
    DAMPING,
    MAX_ITERATIONS,
    MENTIONED_FILE_WEIGHT,
    TOLERANCE,
    mentioned_files,
    mentioned_names,
    name_weight,
)
from slowcode.context.tags import Definition, FileTags

Element = tuple[str, Definition | None]
"""One candidate line of the map: a definition of a file, or (file, None) for its path alone."""

_Key = tuple[float, float, str, int, int, Definition]


def _gather(indices: list[int]) -> Callable[[list[float]], tuple[float, ...]]:
    """A function returning the items of a list at `indices`, as a tuple, in one C call."""
    if not indices:
        return lambda values: ()
    if len(indices) == 1:
        only = indices[0]
        return lambda values: (values[only],)
    return operator.itemgetter(*indices)


class _Segments:
    """Sums of consecutive runs of a flat list, by prefix sums (all in C)."""

    def __init__(self, lengths: list[int]) -> None:
        ends = list(accumulate(lengths))
        self._ends = _gather(ends)
        self._starts = _gather(list(map(operator.sub, ends, lengths)))

    def sums(self, values: Iterator[float]) -> list[float]:
        prefix = list(accumulate(values, initial=0.0))
        return list(map(operator.sub, self._ends(prefix), self._starts(prefix)))


class LazyElements:
    """The map's candidates in rank order, produced as they are asked for and remembered."""

    def __init__(self, source: Iterator[Element]) -> None:
        self._source = source
        self._seen: list[Element] = []

    def __iter__(self) -> Iterator[Element]:
        index = 0
        while True:
            if index < len(self._seen):
                yield self._seen[index]
            else:
                item = next(self._source, None)
                if item is None:
                    return
                self._seen.append(item)
                yield item
            index += 1


class RankGraph:
    """Files and names, who uses and who defines what, for one query.

    Args:
        tags: Each file's tags, by repository-relative path.
        query: The task and step text; names and paths in it weigh more.
    """

    def __init__(self, tags: Mapping[str, FileTags], query: str) -> None:
        self.query = query
        self.paths = sorted(tags)
        self._index = {path: index for index, path in enumerate(self.paths)}
        self._mentioned = mentioned_names(query)
        self._named = frozenset(self._index[path] for path in mentioned_files(query, self.paths))
        self._tags = [tags[path] for path in self.paths]
        self._def_names = [frozenset(d[0] for d in file_tags[0]) for file_tags in self._tags]
        self._definers: dict[str, list[int]] = {}
        for index, names in enumerate(self._def_names):
            for name in names:
                self._definers.setdefault(name, []).append(index)
        self._users: dict[str, set[int]] | None = None
        self._weights: dict[str, float] = {}
        self._edges = [self._file_edges(index) for index in range(len(self.paths))]
        self._sources: dict[str, list[int]] = {}
        self._shares: dict[str, list[float]] = {}
        for index, edges in enumerate(self._edges):
            for name, share in edges:
                self._sources.setdefault(name, []).append(index)
                self._shares.setdefault(name, []).append(share)
        self._used = sorted(self._sources)
        self._ranked: tuple[list[float], dict[str, float]] | None = None
        # Each file's scored definitions as sort keys, valid while the ranking is.
        self._keys: list[list[_Key] | None] = [None] * len(self.paths)
        self._order: list[int] | None = None

    def _file_edges(self, index: int) -> tuple[tuple[str, float], ...]:
        """A file's outgoing edges, normalised so that it passes on exactly its rank."""
        names: list[str] = []
        raw: list[float] = []
        for name, uses in self._tags[index][1]:
            owners = self._definers.get(name)
            if owners is None or (len(owners) == 1 and owners[0] == index):
                continue  # a file calling its own helpers says nothing about other files
            weight = self._weights.get(name)
            if weight is None:
                weight = self._weights[name] = name_weight(name, len(owners), self._mentioned)
            names.append(name)
            raw.append((uses if uses == 1 else math.sqrt(uses)) * weight)
        if not raw:
            return ()
        total = sum(raw)
        return tuple(zip(names, [value / total for value in raw], strict=True))

    def _user_index(self) -> dict[str, set[int]]:
        """Which files use each name; built on the first update (a one-off map never needs it)."""
        if self._users is None:
            users: dict[str, set[int]] = {}
            for index, file_tags in enumerate(self._tags):
                for name, _ in file_tags[1]:
                    users.setdefault(name, set()).add(index)
            self._users = users
        return self._users

    def update(self, changed: Mapping[str, FileTags]) -> bool:
        """Takes new tags for some files; False (nothing changed) if the set of files differs.

        Args:
            changed: New tags by path; every path must already be in the graph.

        Returns:
            False when a path is unknown: build a new graph instead.
        """
        if any(path not in self._index for path in changed):
            return False
        users = self._user_index()
        redo: set[int] = set()
        touched: set[str] = set()
        for path, new in changed.items():
            index = self._index[path]
            old = self._tags[index]
            if old == new:
                continue
            old_names, new_names = self._def_names[index], frozenset(d[0] for d in new[0])
            for name in old_names - new_names:
                owners = self._definers[name]
                owners.remove(index)
                if not owners:
                    del self._definers[name]
            for name in new_names - old_names:
                bisect.insort(self._definers.setdefault(name, []), index)
            touched |= old_names ^ new_names
            old_refs, new_refs = {n for n, _ in old[1]}, {n for n, _ in new[1]}
            for name in old_refs - new_refs:
                users[name].discard(index)
            for name in new_refs - old_refs:
                users.setdefault(name, set()).add(index)
            self._tags[index] = new
            self._def_names[index] = new_names
            redo.add(index)
        for name in touched:
            # A name's weight and who may pass rank through it depend on its definers.
            self._weights.pop(name, None)
            redo |= users.get(name, set())
        edges_changed = False
        for index in sorted(redo):
            edges_changed |= self._replace_edges(index)
        # The ranking reads only the edges and the definers of used names: when neither
        # changed (a function added that nothing calls yet, a body edited), it still holds.
        used = set(self._used)
        if edges_changed or any(name in used for name in touched):
            self._ranked = None
            self._keys = [None] * len(self.paths)
            self._order = None
        elif touched & self._mentioned:
            self._keys = [None] * len(self.paths)
        else:
            for path in changed:
                self._keys[self._index[path]] = None
        return True

    def _replace_edges(self, index: int) -> bool:
        """Recomputes a file's edges; False when they came out the same."""
        edges = self._file_edges(index)
        if edges == self._edges[index]:
            return False
        for name, _ in self._edges[index]:
            sources = self._sources[name]
            where = bisect.bisect_left(sources, index)
            del sources[where]
            del self._shares[name][where]
            if not sources:
                del self._sources[name], self._shares[name]
                del self._used[bisect.bisect_left(self._used, name)]
        self._edges[index] = edges
        for name, share in edges:
            existing = self._sources.get(name)
            if existing is None:
                self._sources[name] = [index]
                self._shares[name] = [share]
                bisect.insort(self._used, name)
                continue
            where = bisect.bisect_left(existing, index)
            existing.insert(where, index)
            self._shares[name].insert(where, share)
        return True

    def _rank(self) -> tuple[list[float], dict[str, float]]:
        """Each file's PageRank and the rank flowing into each used name."""
        if self._ranked is not None:
            return self._ranked
        count = len(self.paths)
        used = self._used
        lengths = [len(self._sources[name]) for name in used]
        gather_sources = _gather(list(chain.from_iterable(map(self._sources.__getitem__, used))))
        shares = list(chain.from_iterable(map(self._shares.__getitem__, used)))
        by_name = _Segments(lengths)
        spread = [DAMPING / len(self._definers[name]) for name in used]
        owned: list[list[int]] = [[] for _ in range(count)]
        for position, name in enumerate(used):
            for owner in self._definers[name]:
                owned[owner].append(position)
        gather_owned = _gather(list(chain.from_iterable(owned)))
        owned_spread = gather_owned(spread)
        by_file = _Segments([len(positions) for positions in owned])
        gather_dangling = _gather([index for index, edges in enumerate(self._edges) if not edges])
        restart = [MENTIONED_FILE_WEIGHT if index in self._named else 1.0 for index in range(count)]
        norm = sum(restart)
        restart = [weight / norm for weight in restart]
        rank_of = list(restart)
        flow: list[float] = [0.0] * len(used)
        for _ in range(MAX_ITERATIONS):
            flow = by_name.sums(map(operator.mul, gather_sources(rank_of), shares))
            received = by_file.sums(map(operator.mul, gather_owned(flow), owned_spread))
            base = 1.0 - DAMPING + DAMPING * sum(gather_dangling(rank_of))
            new = list(map(operator.add, map(operator.mul, restart, repeat(base)), received))
            change = sum(map(abs, map(operator.sub, new, rank_of)))
            rank_of = new
            if change < TOLERANCE:
                break
        self._ranked = (rank_of, dict(zip(used, flow, strict=True)))
        return self._ranked

    def file_rank(self) -> dict[str, float]:
        """Each file's PageRank (they sum to about 1)."""
        return dict(zip(self.paths, self._rank()[0], strict=True))

    def elements(self, other_files: list[str]) -> LazyElements:
        """Definitions most important first, then files alone by rank, then `other_files`.

        A definition scores the rank flowing into its name (shared among the
        files defining it), plus 1 when the query names it or 0.5 when the query
        names its file. Only definitions scoring above zero are sorted (a heap,
        popped as far as the budget reaches); the rest follow file by file in
        rank order, as a full sort on (score, file rank, path, line) would give.
        """
        rank_of, flow_of = self._rank()
        scored = self._scored()
        for index, keys in enumerate(self._keys):
            if keys is None:
                self._keys[index] = self._file_keys(index, rank_of, flow_of, scored)
        if self._order is None:
            self._order = sorted(
                range(len(self.paths)), key=lambda index: (-rank_of[index], self.paths[index])
            )
        all_keys = list(chain.from_iterable(keys for keys in self._keys if keys))
        return LazyElements(self._produce(all_keys, self._order, scored, other_files))

    def _scored(self) -> set[str]:
        """Names whose definitions score above zero: used by other files, or mentioned."""
        return set(self._used) | (self._mentioned & self._definers.keys())

    def _file_keys(
        self, index: int, rank_of: list[float], flow_of: dict[str, float], scored: set[str]
    ) -> list[_Key]:
        path, file_rank, named = self.paths[index], -rank_of[index], index in self._named
        keys: list[_Key] = []
        for position, definition in enumerate(self._tags[index][0]):
            name = definition[0]
            if name in scored:
                score = flow_of.get(name, 0.0) / len(self._definers[name])
                if name in self._mentioned:
                    score += 1.0
                elif named:
                    score += 0.5
            elif named:
                score = 0.5
            else:
                continue
            keys.append((-score, file_rank, path, definition[1], position, definition))
        return keys

    def _produce(
        self, keys: list[_Key], order: list[int], scored: set[str], other_files: list[str]
    ) -> Iterator[Element]:
        heapq.heapify(keys)
        while keys:
            key = heapq.heappop(keys)
            yield key[2], key[5]
        for index in order:
            if index in self._named:
                continue
            path = self.paths[index]
            for definition in self._tags[index][0]:
                if definition[0] not in scored:
                    yield path, definition
        for index in order:
            yield self.paths[index], None
        for path in other_files:
            yield path, None
