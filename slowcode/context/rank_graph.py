"""The reference graph kept in memory, updated one file at a time, and ranked quickly.

`RankGraph` holds what `ranking` describes (files pass their rank to the names
they use, names to the files defining them) for one set of tags and one query.
When a file's content changes, `update` redoes only that file's edges and those
of the files using a name whose definers changed; `pagerank` then runs the
iterations over flat lists. `state` and `restore` carry a ranked graph to
another process (`rank_snapshot`), which updates it like one it built.

Every structure is kept in a canonical order (files by path, names sorted,
each name's sources by file), so a graph updated in place, one restored and
updated, and one built from scratch hold the same numbers in the same order,
and give the same ranking bit for bit: the map stays byte-identical in every
process.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Iterator, Mapping
from typing import Any

from slowcode.context.pagerank import gc_paused, pagerank
from slowcode.context.ranking import mentioned_files, mentioned_names, name_weight
from slowcode.context.tags import Definition, FileTags

Element = tuple[str, Definition | None]
"""One candidate line of the map: a definition of a file, or (file, None) for its path alone."""

_Key = tuple[float, float, str, int, int, Definition]

SCAN_NAMES = 16
"""Up to this many names whose definers changed, their users are found by scanning each
file's sorted references; beyond, an index of every name's users is built once and kept."""

GraphState = tuple[Any, ...]
"""What `RankGraph.state` returns: plain built-in values, as `marshal` stores them."""


def _defined(file_tags: FileTags) -> frozenset[str]:
    return frozenset([definition[0] for definition in file_tags[0]])


def _uses(refs: tuple[tuple[str, int], ...], name: str) -> bool:
    """Whether sorted references include `name` (a bisect, no index needed)."""
    where = bisect.bisect_left(refs, (name,))
    return where < len(refs) and refs[where][0] == name


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
        self._setup(tags, query)
        with gc_paused():
            self._definers: dict[str, list[int]] = {}
            for index, file_tags in enumerate(self._tags):
                for name in _defined(file_tags):
                    self._definers.setdefault(name, []).append(index)
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

    def _setup(self, tags: Mapping[str, FileTags], query: str) -> None:
        """What every graph holds besides the edges: paths, tags, what the query names."""
        self.query = query
        self.paths = sorted(tags)
        self._index = {path: index for index, path in enumerate(self.paths)}
        self._mentioned = mentioned_names(query)
        self._named = frozenset(self._index[path] for path in mentioned_files(query, self.paths))
        self._tags = [tags[path] for path in self.paths]
        self._users: dict[str, set[int]] | None = None
        # Each file's scored definitions as sort keys, valid while the ranking is.
        self._keys: list[list[_Key] | None] = [None] * len(self.paths)
        self._negated: dict[str, float] | None = None
        self._order: list[int] | None = None

    def state(self) -> GraphState:
        """The graph and its ranking as plain values, for `restore` in another process."""
        rank_of, flow_of = self._rank()
        flow = [flow_of[name] for name in self._used]
        return (
            self._definers,
            self._weights,
            self._edges,
            self._sources,
            self._shares,
            self._used,
            rank_of,
            flow,
        )

    @classmethod
    def restore(cls, tags: Mapping[str, FileTags], query: str, state: GraphState) -> RankGraph:
        """The graph `state` was taken from, given the same tags and query.

        Args:
            tags: The tags the graph had when its state was taken.
            query: Its query.
            state: What `state` returned (as `marshal` gave it back).
        """
        graph = cls.__new__(cls)
        graph._setup(tags, query)
        definers, weights, edges, sources, shares, used, rank_of, flow = state
        graph._definers, graph._weights, graph._edges = definers, weights, edges
        graph._sources, graph._shares, graph._used = sources, shares, used
        graph._ranked = (rank_of, dict(zip(used, flow, strict=True)))
        return graph

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

    def _users_of(self, name: str) -> set[int]:
        if self._users is not None:
            return self._users.get(name, set())
        return {index for index, file_tags in enumerate(self._tags) if _uses(file_tags[1], name)}

    def _user_index(self) -> dict[str, set[int]]:
        """Which files use each name: built once many names changed definers, then kept."""
        if self._users is None:
            users: dict[str, set[int]] = {}
            with gc_paused():
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
        users = self._users
        redo: set[int] = set()
        touched: set[str] = set()
        for path, new in changed.items():
            index = self._index[path]
            old = self._tags[index]
            if old == new:
                continue
            old_names, new_names = _defined(old), _defined(new)
            for name in old_names - new_names:
                owners = self._definers[name]
                owners.remove(index)
                if not owners:
                    del self._definers[name]
            for name in new_names - old_names:
                bisect.insort(self._definers.setdefault(name, []), index)
            touched |= old_names ^ new_names
            if users is not None:
                old_refs, new_refs = {n for n, _ in old[1]}, {n for n, _ in new[1]}
                for name in old_refs - new_refs:
                    users[name].discard(index)
                for name in new_refs - old_refs:
                    users.setdefault(name, set()).add(index)
            self._tags[index] = new
            redo.add(index)
        if len(touched) > SCAN_NAMES:
            self._user_index()  # from the new tags: nothing left to patch
        for name in sorted(touched):
            # A name's weight and who may pass rank through it depend on its definers.
            self._weights.pop(name, None)
            redo |= self._users_of(name)
        edges_changed = False
        for index in sorted(redo):
            edges_changed |= self._replace_edges(index)
        # The ranking reads only the edges and the definers of used names: when neither
        # changed (a function added that nothing calls yet, a body edited), it still holds.
        if edges_changed or any(name in self._sources for name in touched):
            self._ranked = None
            self._keys = [None] * len(self.paths)
            self._negated = self._order = None
        elif touched & self._mentioned:
            self._keys = [None] * len(self.paths)
            self._negated = None
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
        if self._ranked is None:
            used = self._used
            with gc_paused():
                rank_of, flow = pagerank(
                    len(self.paths),
                    list(map(self._sources.__getitem__, used)),
                    list(map(self._shares.__getitem__, used)),
                    list(map(self._definers.__getitem__, used)),
                    [index for index, edges in enumerate(self._edges) if not edges],
                    self._named,
                )
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
        if any(keys is None for keys in self._keys):
            if self._negated is None:
                self._negated = self._negated_scores(flow_of, scored)
            negated = self._negated
            with gc_paused():
                for index, keys in enumerate(self._keys):
                    if keys is None:
                        self._keys[index] = self._file_keys(index, rank_of, negated)
        if self._order is None:
            self._order = sorted(
                range(len(self.paths)), key=lambda index: (-rank_of[index], self.paths[index])
            )
        all_keys = [key for keys in self._keys if keys for key in keys]
        return LazyElements(self._produce(all_keys, self._order, scored, other_files))

    def _scored(self) -> set[str]:
        """Names whose definitions score above zero: used by other files, or mentioned."""
        return set(self._used) | (self._mentioned & self._definers.keys())

    def _negated_scores(self, flow_of: dict[str, float], scored: set[str]) -> dict[str, float]:
        """Minus each scored name's score outside named files (ascending sorts best first)."""
        negated: dict[str, float] = {}
        for name in scored:
            score = flow_of.get(name, 0.0) / len(self._definers[name])
            negated[name] = -(score + 1.0) if name in self._mentioned else -score
        return negated

    def _file_keys(self, index: int, rank_of: list[float], negated: dict[str, float]) -> list[_Key]:
        path, file_rank = self.paths[index], -rank_of[index]
        definitions = self._tags[index][0]
        if index not in self._named:
            return [
                (negated[definition[0]], file_rank, path, definition[1], position, definition)
                for position, definition in enumerate(definitions)
                if definition[0] in negated
            ]
        keys: list[_Key] = []
        for position, definition in enumerate(definitions):
            name = definition[0]
            score = -negated[name] if name in negated else 0.0
            if name not in self._mentioned:
                score += 0.5
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
