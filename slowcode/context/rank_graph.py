"""The reference graph kept in memory, updated one file at a time, and ranked quickly.

`RankGraph` holds what `ranking` describes (files pass their rank to the names
they use, names to the files defining them) for one set of tags and one query,
twice over: each file's edges by name, and the same edges merged by the set of
files defining their names (`rank_edges`), over which `pagerank` runs the
iterations. When a file's content changes, `update` redoes only that file's
edges and those of the files using a name whose definers changed. `state` and
`restore` carry a ranked graph to another process (`rank_snapshot`), which
updates it like one it built.

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

from slowcode.context.pagerank import gc_paused, name_flows, pagerank
from slowcode.context.rank_edges import EdgeIndex
from slowcode.context.rank_order import ScoreLadder, negated_scores
from slowcode.context.ranking import mentioned_files, mentioned_names, name_weight
from slowcode.context.tags import Definition, FileTags

Element = tuple[str, Definition | None]
"""One candidate line of the map: a definition of a file, or (file, None) for its path alone."""

_Key = tuple[float, float, str, int, int, Definition]

Edges = tuple[tuple[str, ...], tuple[float, ...]]
"""A file's edges by name: the names it uses (ascending) and each one's share of its rank.
Two tuples rather than a pair per edge: tens of thousands fewer objects to build, save,
load and have the garbage collector walk."""

Links = tuple[tuple[tuple[int, ...], ...], tuple[float, ...]]
"""A file's edges merged by the names' definers: each set of defining files (in the order
they first appear among its names) and the summed share going to it."""

_NO_EDGES: Edges = ((), ())
_NO_LINKS: Links = ((), ())

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
            definers: dict[str, list[int]] = {}
            for index, file_tags in enumerate(self._tags):
                for name in _defined(file_tags):
                    definers.setdefault(name, []).append(index)
            # Tuples: a name's definers are also the key its merged edges go to.
            self._definers = {name: tuple(files) for name, files in definers.items()}
            self._weights: dict[str, float] = {}
            both = [self._file_edges(index) for index in range(len(self.paths))]
            self._edges = [edges for edges, _ in both]
            self._links = [links for _, links in both]
            self._names: EdgeIndex[str] = EdgeIndex(self._edges)
            self._targets: EdgeIndex[tuple[int, ...]] = EdgeIndex(self._links)
        self._ranked: tuple[list[float], list[float]] | None = None

    def _setup(self, tags: Mapping[str, FileTags], query: str) -> None:
        """What every graph holds besides the edges: paths, tags, what the query names."""
        self.query = query
        self.paths = sorted(tags)
        self._index = {path: index for index, path in enumerate(self.paths)}
        self._mentioned = mentioned_names(query)
        self._named = frozenset(self._index[path] for path in mentioned_files(query, self.paths))
        self._tags = [tags[path] for path in self.paths]
        self._users: dict[str, set[int]] | None = None
        # The scored names in order and the files in rank order, valid while the ranking is.
        self._ladder: ScoreLadder | None = None
        self._order: list[int] | None = None

    def state(self) -> GraphState:
        """The graph and its ranking as plain values, for `restore` in another process."""
        rank_of, flow = self._rank()
        return (
            self._definers,
            self._weights,
            self._edges,
            self._links,
            self._names.state(),
            self._targets.state(),
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
        definers, weights, edges, links, names, targets, rank_of, flow = state
        graph._definers, graph._weights, graph._edges = definers, weights, edges
        graph._links = links
        graph._names = EdgeIndex.restore(names)
        graph._targets = EdgeIndex.restore(targets)
        used = graph._names.targets
        if len(edges) != len(graph.paths) or len(links) != len(graph.paths):
            raise ValueError("the state is not of a graph of these files")
        if len(flow) != len(used) or len(rank_of) != len(graph.paths):
            raise ValueError("the state's ranking is not of its graph")
        graph._ranked = (rank_of, flow)
        return graph

    def _file_edges(self, index: int) -> tuple[Edges, Links]:
        """A file's outgoing edges by name, and merged by definers (summed before dividing).

        Both are normalised so that the file passes on exactly its rank. The merged
        edges come in the order their definers first appear in the (sorted) names:
        a canonical order, with no sort.
        """
        names: list[str] = []
        raw: list[float] = []
        merged: dict[tuple[int, ...], float] = {}
        for name, uses in self._tags[index][1]:
            owners = self._definers.get(name)
            if owners is None or (len(owners) == 1 and owners[0] == index):
                continue  # a file calling its own helpers says nothing about other files
            weight = self._weights.get(name)
            if weight is None:
                weight = self._weights[name] = name_weight(name, len(owners), self._mentioned)
            value = (uses if uses == 1 else math.sqrt(uses)) * weight
            names.append(name)
            raw.append(value)
            merged[owners] = merged.get(owners, 0.0) + value
        if not raw:
            return _NO_EDGES, _NO_LINKS
        total = sum(raw)
        return (tuple(names), tuple([value / total for value in raw])), (
            tuple(merged),
            tuple([value / total for value in merged.values()]),
        )

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
                owners = tuple([owner for owner in self._definers[name] if owner != index])
                if owners:
                    self._definers[name] = owners
                else:
                    del self._definers[name]
            for name in new_names - old_names:
                grown = list(self._definers.get(name, ()))
                bisect.insort(grown, index)
                self._definers[name] = tuple(grown)
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
        if edges_changed or any(name in self._names.sources for name in touched):
            self._ranked = None
            self._ladder = self._order = None
        elif touched & self._mentioned:
            self._ladder = None  # a mentioned name nothing uses came or went
        return True

    def _replace_edges(self, index: int) -> bool:
        """Recomputes a file's edges; False when they came out the same."""
        # The merged edges also follow the definers, which may change under equal shares.
        edges, links = self._file_edges(index)
        if edges == self._edges[index] and links == self._links[index]:
            return False
        self._names.remove(index, self._edges[index][0])
        self._names.add(index, *edges)
        self._targets.remove(index, self._links[index][0])
        self._targets.add(index, *links)
        self._edges[index], self._links[index] = edges, links
        return True

    def _rank(self) -> tuple[list[float], list[float]]:
        """Each file's PageRank, and the rank flowing into each used name (ascending)."""
        if self._ranked is None:
            with gc_paused():
                sources, shares = self._targets.in_order()
                rank_of = pagerank(
                    len(self.paths),
                    sources,
                    shares,
                    self._targets.targets,
                    [index for index, edges in enumerate(self._edges) if not edges[0]],
                    self._named,
                )
                flow = name_flows(rank_of, *self._names.in_order())
            self._ranked = (rank_of, flow)
        return self._ranked

    def file_rank(self) -> dict[str, float]:
        """Each file's PageRank (they sum to about 1)."""
        return dict(zip(self.paths, self._rank()[0], strict=True))

    def name_flow(self) -> dict[str, float]:
        """The rank flowing into each name some other file uses."""
        return dict(zip(self._names.targets, self._rank()[1], strict=True))

    def elements(self, other_files: list[str]) -> LazyElements:
        """Definitions most important first, then files alone by rank, then `other_files`.

        A definition scores the rank flowing into its name (shared among the
        files defining it), plus 1 when the query names it or 0.5 when the query
        names its file. Only definitions scoring above zero are sorted, a batch
        of names at a time (`rank_order`), each batch a heap popped as far as the
        budget reaches; the rest follow file by file in rank order, as a full
        sort on (score, file rank, path, line) would give.
        """
        rank_of, flow = self._rank()
        if self._ladder is None:
            self._ladder = ScoreLadder(
                negated_scores(self._names.targets, flow, self._definers, self._mentioned)
            )
        if self._order is None:
            self._order = sorted(
                range(len(self.paths)), key=lambda index: (-rank_of[index], self.paths[index])
            )
        return LazyElements(self._produce(rank_of, self._ladder, self._order, other_files))

    def _named_keys(self, rank_of: list[float], negated: dict[str, float]) -> list[_Key]:
        """Sort keys of every definition in the files the query names (0.5 more each)."""
        keys: list[_Key] = []
        for index in sorted(self._named):
            path, file_rank = self.paths[index], -rank_of[index]
            for position, definition in enumerate(self._tags[index][0]):
                name = definition[0]
                score = -negated[name] if name in negated else 0.0
                if name not in self._mentioned:
                    score += 0.5
                keys.append((-score, file_rank, path, definition[1], position, definition))
        return keys

    def _batch_keys(
        self,
        low: float,
        high: float,
        names: list[str],
        rank_of: list[float],
        negated: dict[str, float],
    ) -> list[_Key]:
        """Sort keys of the definitions outside named files scoring in (low, high]."""
        files: set[int] = set()
        for owners in map(self._definers.__getitem__, names):
            files.update(owners)
        score_of = negated.get
        keys: list[_Key] = []
        for index in files - self._named:
            path, file_rank = self.paths[index], -rank_of[index]
            # An unscored name gets NaN, which no comparison lets through.
            keys += [
                (score, file_rank, path, definition[1], position, definition)
                for position, definition in enumerate(self._tags[index][0])
                if low < (score := score_of(definition[0], math.nan)) <= high
            ]
        return keys

    def _produce(
        self, rank_of: list[float], ladder: ScoreLadder, order: list[int], other_files: list[str]
    ) -> Iterator[Element]:
        negated = ladder.negated
        named_keys = self._named_keys(rank_of, negated)
        for low, high, names in ladder.batches():
            keys = self._batch_keys(low, high, names, rank_of, negated)
            keys += [key for key in named_keys if low < key[0] <= high]
            heapq.heapify(keys)
            while keys:
                key = heapq.heappop(keys)
                yield key[2], key[5]
        for index in order:
            if index in self._named:
                continue
            path = self.paths[index]
            for definition in self._tags[index][0]:
                if definition[0] not in negated:
                    yield path, definition
        for index in order:
            yield self.paths[index], None
        for path in other_files:
            yield path, None
