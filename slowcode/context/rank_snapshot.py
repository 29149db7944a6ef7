"""A ranked graph saved beside the tag cache, so a new process need not build one.

A process whose map came from the cache has no graph in memory; on its first
edit it would build one from every file's tags and rank it (0.2-0.3 s on
sympy). Instead, the last graph built from scratch is saved (`<cache>.graph`,
one `marshal` file written atomically) with the query and each file's content
hash it was built for. A new process restores it and hands `RankGraph.update`
the files whose content differs since, exactly as the process that built it
would have: the result is the same, bit for bit, as a graph built afresh.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from slowcode.context.pagerank import gc_paused
from slowcode.context.rank_graph import RankGraph
from slowcode.context.tag_cache import FORMAT_VERSION as TAGS_VERSION
from slowcode.context.tag_cache import replace_quietly
from slowcode.context.tags import FileTags

FORMAT_VERSION = 2
"""Bumped whenever the graph's layout or the ranking changes: an older file is ignored."""

MAX_CHANGED_FILES = 64
"""Beyond this many files changed since the snapshot, building afresh is about as quick."""


def save_snapshot(path: Path, graph: RankGraph, digests: Mapping[str, bytes]) -> None:
    """Writes `graph` (ranked) with the content hash of each of its files; skipped on error.

    Args:
        path: The snapshot file.
        graph: A graph whose tags are those of `digests`.
        digests: Each file's content hash, by path.
    """
    versions = (FORMAT_VERSION, TAGS_VERSION, sys.version_info[:2])
    hashes = [digests[rel] for rel in graph.paths]
    payload = marshal.dumps((versions, graph.query, graph.paths, hashes, graph.state()))
    replace_quietly(path, payload, ".graph-")


def load_snapshot(
    path: Path,
    query: str,
    digests: Mapping[str, bytes],
    tags_of: Callable[[bytes], FileTags | None],
) -> RankGraph | None:
    """The saved graph brought up to `digests`, or None if there is none that fits.

    Args:
        path: The snapshot file.
        query: The query the graph must have been built for.
        digests: Each file's current content hash, by path.
        tags_of: The tags of a content hash, if they are still known (those of
            files changed since the snapshot are needed to undo their edges).

    Returns:
        None when the file is missing, unreadable or outdated, was built for
        another query or set of files, or too many files changed since.
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    with gc_paused():
        try:
            data: Any = marshal.loads(raw)
            versions, saved_query, paths, hashes, state = data
        except (EOFError, ValueError, TypeError):
            return None
    if versions != (FORMAT_VERSION, TAGS_VERSION, sys.version_info[:2]) or saved_query != query:
        return None
    if len(paths) != len(digests) or any(rel not in digests for rel in paths):
        return None
    old: dict[str, FileTags] = {}
    changed: dict[str, bytes] = {}
    for rel, digest in zip(paths, hashes, strict=True):
        tags = tags_of(digest)
        if tags is None:
            return None
        old[rel] = tags
        if digests[rel] != digest:
            changed[rel] = digests[rel]
    if len(changed) > MAX_CHANGED_FILES:
        return None
    new: dict[str, FileTags] = {}
    for rel, digest in changed.items():
        tags = tags_of(digest)
        if tags is None:
            return None
        new[rel] = tags
    try:
        graph = RankGraph.restore(old, query, state)
        if new and not graph.update(new):
            return None
    except (ValueError, TypeError, KeyError, IndexError):
        return None  # not the shape a graph's state has: a damaged file
    return graph
