"""Which files and definitions matter most: PageRank over who refers to whom.

The graph has two kinds of nodes, files and the names they define. A file
passes its rank to each name it uses (more for names used often, long
distinctive names, and names the task mentions); a name passes what it gets
evenly to the files that define it. This is PageRank over aider's file graph
in effect, but with one edge per (file, name used) instead of one per (using
file, defining file), so it stays linear in the size of the code base.

This module holds the weights and what a query mentions; `rank_graph` keeps
the graph in memory and updates it one file at a time, and `pagerank` runs the
iterations over its edges merged by the set of files defining the names.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

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


def name_weight(name: str, definers: int, mentioned: frozenset[str]) -> float:
    """How much a use of `name` counts, by how many files define it and what the task says."""
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
