"""A ranked graph saved by one process and restored by another gives the fresh map, bit for bit."""

from __future__ import annotations

import marshal
from pathlib import Path

from slowcode.context.policy import ContextPolicy
from slowcode.context.rank_graph import SCAN_NAMES, RankGraph
from slowcode.context.rank_snapshot import load_snapshot, save_snapshot
from slowcode.context.repomap import RepoMap
from slowcode.context.tags import FileTags
from tests.context.mapped_repo import (
    EDITS,
    QUERY,
    backdate,
    fresh_map,
    make_mapped_repo,
    map_in_new_process,
)
from tests.context.repos import write

# One file redefines many names other files use: more than a scan handles, so the
# graph builds its index of users.
MANY = SCAN_NAMES + 4
REWRITE = (
    "pkg/mod_030.py",
    "".join(
        f"def compute_total_{index:03d}(amount):\n    return amount\n\n" for index in range(MANY)
    ),
)


def round_trip(graph: RankGraph) -> tuple[object, ...]:
    """The graph's state as another process reads it back."""
    state: tuple[object, ...] = marshal.loads(marshal.dumps(graph.state()))
    return state


def test_a_restored_graph_updates_bit_for_bit_as_a_new_one(tmp_path: Path) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    repo_map = RepoMap(repo, ContextPolicy(repo), cache_dir=tmp_path / "cache")
    repo_map.refresh()
    kept = RankGraph(repo_map.tags, QUERY)
    kept.file_rank()
    for rel, text in [*EDITS, REWRITE]:
        before: dict[str, FileTags] = dict(repo_map.tags)
        state = round_trip(RankGraph(before, QUERY))
        write(repo, rel, text)
        backdate(repo / rel, 30)
        repo_map.refresh()
        restored = RankGraph.restore(before, QUERY, state)
        assert restored.update({rel: repo_map.tags[rel]})
        assert kept.update({rel: repo_map.tags[rel]})
        fresh = RankGraph(repo_map.tags, QUERY)
        assert restored.file_rank() == fresh.file_rank() == kept.file_rank()
        expected = list(fresh.elements(["README.md"]))
        assert list(restored.elements(["README.md"])) == expected
        assert list(kept.elements(["README.md"])) == expected


def test_a_new_process_restores_the_saved_graph_and_renders_the_fresh_bytes(
    tmp_path: Path,
) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    cache = tmp_path / "cache"
    first = RepoMap(repo, ContextPolicy(repo), cache_dir=cache)
    first.refresh()
    first.render(600, QUERY)
    snapshot = first.cache.path.with_suffix(".graph")
    assert snapshot.stat().st_size > 0
    # A second process: its map comes from the cache, then a file changes.
    second = RepoMap(repo, ContextPolicy(repo), cache_dir=cache)
    second.refresh()
    second.render(600, QUERY)
    rel, text = EDITS[2]  # the references change
    write(repo, rel, text)
    backdate(repo / rel, 30)
    second.refresh()
    restored = load_snapshot(snapshot, QUERY, second._digests, second._tags_of)
    assert restored is not None, "the saved graph should fit a one-file change"
    assert restored.file_rank() == RankGraph(second.tags, QUERY).file_rank()
    here = second.render(600, QUERY)
    assert here == fresh_map(repo, tmp_path / "fresh", 600, QUERY)
    # Another process with another hash seed restores the same graph: same bytes.
    write(repo, rel, text + "\n\ndef one_more():\n    return helper_004(1)\n")
    backdate(repo / rel, 30)
    other = map_in_new_process(repo, cache, 600, QUERY, "11")
    assert other == fresh_map(repo, tmp_path / "fresh-2", 600, QUERY).encode()


def test_a_snapshot_that_does_not_fit_is_ignored(tmp_path: Path) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    repo_map = RepoMap(repo, ContextPolicy(repo), cache_dir=tmp_path / "cache")
    repo_map.refresh()
    graph = RankGraph(repo_map.tags, QUERY)
    snapshot = tmp_path / "saved.graph"
    save_snapshot(snapshot, graph, repo_map._digests)
    digests, tags_of = repo_map._digests, repo_map._tags_of
    assert load_snapshot(snapshot, QUERY, digests, tags_of) is not None
    assert load_snapshot(snapshot, "another query", digests, tags_of) is None
    fewer = {rel: digest for rel, digest in digests.items() if rel != "pkg/mod_000.py"}
    assert load_snapshot(snapshot, QUERY, fewer, tags_of) is None
    # A file changed since, whose previous tags are no longer known.
    changed = {**digests, "pkg/mod_001.py": bytes(16)}
    assert load_snapshot(snapshot, QUERY, changed, lambda digest: None) is None
    assert load_snapshot(tmp_path / "missing.graph", QUERY, digests, tags_of) is None
    good = snapshot.read_bytes()
    snapshot.write_bytes(good[: len(good) // 2])
    assert load_snapshot(snapshot, QUERY, digests, tags_of) is None
    versions, query, paths, hashes, _ = marshal.loads(good)
    snapshot.write_bytes(marshal.dumps((versions, query, paths, hashes, ("wrong", "shape"))))
    assert load_snapshot(snapshot, QUERY, digests, tags_of) is None
    # The map itself never depends on it: a damaged file means a graph built afresh.
    repo_map.cache.path.with_suffix(".graph").write_bytes(b"\x00garbage")
    assert repo_map.render(600, QUERY) == fresh_map(repo, tmp_path / "fresh", 600, QUERY)
