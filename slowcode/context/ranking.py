"""Which files and definitions matter most: PageRank over who refers to whom.

The graph has two kinds of nodes, files and the names they define. A file
passes its rank to each name it uses (more for names used often, long
distinctive names, and names the task mentions); a name passes what it gets
evenly to the files that define it. This is PageRank over aider's file graph
in effect, but with one edge per (file, name used) instead of one per (using
file, defining file), so it stays linear in the size of the code base.

Everything iterates in sorted or insertion order and sums floats in the same
order, so the same tags and query give the same ranking in every process.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from slowcode.context.tags import Definition, FileTags

DAMPING = 0.85
MAX_ITERATIONS = 12
TOLERANCE = 1e-4

MENTIONED_WEIGHT = 10.0
"""A name the task or step mentions weighs this much more on every edge it is on."""

DISTINCTIVE_WEIGHT = 5.0
"""Long snake_case or CamelCase names say more about a file than `get` or `run`."""

PRIVATE_WEIGHT = 0.1
"""`_private` names are rarely what another part of the code base is about."""

COMMON_DEFINERS = 5
"""A name defined in more files than this (`__init__`, `run`, `String`) is generic."""

MENTIONED_FILE_WEIGHT = 100.0
"""How much more a file the query names weighs in PageRank's restart distribution."""

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
_PATHLIKE = re.compile(r"[\w./-]+")


@dataclass(frozen=True)
class Ranking:
    """The outcome of ranking.

    Attributes:
        file_rank: Each file's PageRank (they sum to about 1).
        defs: Every definition as (path, definition), most important first.
    """

    file_rank: dict[str, float]
    defs: list[tuple[str, Definition]]


def mentioned_names(query: str) -> frozenset[str]:
    """The identifiers a task or step text mentions (three characters or more)."""
    return frozenset(_WORD.findall(query))


def mentioned_files(query: str, paths: list[str]) -> frozenset[str]:
    """The paths a query names, by full path, file name, or a stem of four or more characters."""
    if not query:
        return frozenset()
    words = {word.strip("./-") for word in _PATHLIKE.findall(query)}
    words.discard("")
    found: set[str] = set()
    for path in paths:
        pure = PurePosixPath(path)
        if path in words or pure.name in words or (len(pure.stem) >= 4 and pure.stem in words):
            found.add(path)
    return frozenset(found)


def _gather(indices: list[int]) -> Callable[[list[float]], tuple[float, ...]]:
    """A function returning the items of a list at `indices`, as a tuple, in one C call."""
    if not indices:
        return lambda values: ()
    if len(indices) == 1:
        only = indices[0]
        return lambda values: (values[only],)
    return operator.itemgetter(*indices)


def _name_weight(name: str, definers: int, mentioned: frozenset[str]) -> float:
    weight = 1.0
    if name in mentioned:
        weight *= MENTIONED_WEIGHT
    if name.startswith("_"):
        weight *= PRIVATE_WEIGHT
    if definers > COMMON_DEFINERS:
        weight *= PRIVATE_WEIGHT
    elif len(name) <= 5 and name.islower():
        # `list`, `map`, `pop`: more often a built-in or another type's method than this one.
        weight *= PRIVATE_WEIGHT
    distinctive = "_" in name.strip("_") or (name[:1].isupper() and not name.isupper())
    if len(name) >= 8 and distinctive:
        weight *= DISTINCTIVE_WEIGHT
    return weight


def rank(tags: Mapping[str, FileTags], query: str = "") -> Ranking:
    """Ranks files and definitions by references, leaning towards what `query` mentions.

    Args:
        tags: Each file's tags, by repository-relative path.
        query: The task and step text; names and paths in it weigh more.

    Returns:
        The files' ranks and every definition, most important first.
    """
    paths = sorted(tags)
    count = len(paths)
    if count == 0:
        return Ranking({}, [])
    names = mentioned_names(query)
    named_files = mentioned_files(query, paths)

    # Names defined anywhere, each with the files defining it (in path order).
    ident_ids: dict[str, int] = {}
    definers: list[list[int]] = []
    for index, path in enumerate(paths):
        for definition in tags[path][0]:
            ident = ident_ids.setdefault(definition[0], len(definers))
            if ident == len(definers):
                definers.append([])
            owners = definers[ident]
            if not owners or owners[-1] != index:
                owners.append(index)

    # Each file's outgoing edges, normalised so a file passes on exactly its rank,
    # stored by target name: (source files, weights).
    sources: list[list[int]] = [[] for _ in definers]
    weights: list[list[float]] = [[] for _ in definers]
    dangling_files: list[int] = []
    name_weights: dict[int, float] = {}
    for index, path in enumerate(paths):
        out: list[tuple[int, float]] = []
        for name, uses in tags[path][1]:
            target = ident_ids.get(name)
            if target is None:
                continue
            owners = definers[target]
            if len(owners) == 1 and owners[0] == index:
                continue  # a file calling its own helpers says nothing about other files
            weight = name_weights.get(target)
            if weight is None:
                weight = name_weights[target] = _name_weight(name, len(owners), names)
            out.append((target, (uses if uses == 1 else math.sqrt(uses)) * weight))
        if not out:
            dangling_files.append(index)
            continue
        total = sum(weight for _, weight in out)
        for ident, weight in out:
            sources[ident].append(index)
            weights[ident].append(weight / total)

    # `itemgetter` gathers many list items in one C call: each iteration is a few
    # C-level passes instead of a Python loop over every edge.
    used = [ident for ident in range(len(definers)) if sources[ident]]
    gather_sources = [_gather(sources[ident]) for ident in used]
    edge_weights = [tuple(weights[ident]) for ident in used]
    spread = [DAMPING / len(definers[ident]) for ident in used]
    received_by: list[list[int]] = [[] for _ in paths]
    for position, ident in enumerate(used):
        for owner in definers[ident]:
            received_by[owner].append(position)
    gather_received = [_gather(positions) for positions in received_by]
    gather_dangling = _gather(dangling_files)

    restart = [MENTIONED_FILE_WEIGHT if path in named_files else 1.0 for path in paths]
    norm = sum(restart)
    restart = [weight / norm for weight in restart]
    rank_of = list(restart)
    flow: list[float] = []
    for _ in range(MAX_ITERATIONS):
        flow = [
            sum(map(operator.mul, gather(rank_of), edge))
            for gather, edge in zip(gather_sources, edge_weights, strict=True)
        ]
        parts = list(map(operator.mul, flow, spread))
        base = 1.0 - DAMPING + DAMPING * sum(gather_dangling(rank_of))
        new = [
            base * weight + sum(gather(parts))
            for weight, gather in zip(restart, gather_received, strict=True)
        ]
        change = sum(map(abs, map(operator.sub, new, rank_of)))
        rank_of = new
        if change < TOLERANCE:
            break
    flow_of = dict(zip(used, flow, strict=True))

    scored: list[tuple[float, float, str, int, int, Definition]] = []
    for index, path in enumerate(paths):
        file_rank = rank_of[index]
        for position, definition in enumerate(tags[path][0]):
            ident = ident_ids[definition[0]]
            score = flow_of.get(ident, 0.0) / len(definers[ident])
            if definition[0] in names:
                score += 1.0
            elif path in named_files:
                score += 0.5
            scored.append((-score, -file_rank, path, definition[1], position, definition))
    scored.sort()
    return Ranking(
        dict(zip(paths, rank_of, strict=True)),
        [(path, definition) for _, _, path, _, _, definition in scored],
    )
