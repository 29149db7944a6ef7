"""One-file updates: the graph kept in memory and the journaled cache give the fresh map."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from slowcode.context.grammars import grammar_for, parser
from slowcode.context.policy import ContextPolicy
from slowcode.context.rank_graph import RankGraph
from slowcode.context.repomap import RepoMap
from slowcode.context.tag_cache import TagCache
from tests.context.mapped_repo import (
    EDITS,
    QUERY,
    backdate,
    fresh_map,
    make_mapped_repo,
    map_in_new_process,
)
from tests.context.repos import write


@pytest.mark.parametrize("budget", [400, 3000])
def test_a_map_kept_up_to_date_in_memory_equals_a_fresh_one(tmp_path: Path, budget: int) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    live = RepoMap(repo, ContextPolicy(repo), cache_dir=tmp_path / "live")
    live.refresh()
    first = live.render(budget, QUERY)
    seen = {first}
    for number, (rel, text) in enumerate(EDITS):
        write(repo, rel, text)
        backdate(repo / rel, 30)
        stats = live.refresh()
        assert (stats.hashed, stats.parsed) == (1, 1)
        updated = live.render(budget, QUERY)
        # Each fresh map starts from an empty cache: nothing is shared with `live`.
        assert updated == fresh_map(repo, tmp_path / f"fresh-{number}", budget, QUERY)
        seen.add(updated)
    assert len(seen) >= 4, "the edits should have changed the map"


def test_an_updated_graph_ranks_bit_for_bit_as_a_new_one(tmp_path: Path) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    repo_map = RepoMap(repo, ContextPolicy(repo), cache_dir=tmp_path / "cache")
    repo_map.refresh()
    graph = RankGraph(repo_map.tags, QUERY)
    before = graph.file_rank()
    for rel, text in EDITS:
        write(repo, rel, text)
        backdate(repo / rel, 30)
        repo_map.refresh()
        assert graph.update({rel: repo_map.tags[rel]})
        rebuilt = RankGraph(repo_map.tags, QUERY)
        assert graph.file_rank() == rebuilt.file_rank()
        assert list(graph.elements([])) == list(rebuilt.elements([]))
    assert graph.file_rank() != before
    assert not graph.update({"pkg/not_there.py": ((), ())})


def test_a_new_process_after_an_edit_renders_the_same_bytes(tmp_path: Path) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    live = RepoMap(repo, ContextPolicy(repo), cache_dir=tmp_path / "cache")
    live.refresh()
    live.render(600, QUERY)
    rel, text = EDITS[2]
    write(repo, rel, text)
    backdate(repo / rel, 30)
    live.refresh()
    here = live.render(600, QUERY).encode()
    assert map_in_new_process(repo, tmp_path / "other", 600, QUERY, "7") == here
    assert map_in_new_process(repo, tmp_path / "cache", 600, QUERY, "8") == here


def test_a_small_change_is_journaled_not_rewritten(tmp_path: Path) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    cache = tmp_path / "cache"
    live = RepoMap(repo, ContextPolicy(repo), cache_dir=cache)
    live.refresh()
    live.render(500)
    main = live.cache.path
    written = main.stat()
    write(repo, "pkg/mod_004.py", "def journaled_function():\n    return 4\n")
    backdate(repo / "pkg/mod_004.py", 30)
    live.refresh()
    text = live.render(500)
    after = main.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        written.st_ino,
        written.st_mtime_ns,
        written.st_size,
    )
    assert live.cache.journal_path.stat().st_size > 0
    # A new process replays the journal: nothing to read, nothing to parse, same map.
    fresh = RepoMap(repo, ContextPolicy(repo), cache_dir=cache)
    stats = fresh.refresh()
    assert (stats.hashed, stats.parsed) == (0, 0)
    assert fresh.render(500) == text


def test_a_torn_or_stale_journal_costs_only_time(tmp_path: Path) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    cache = tmp_path / "cache"
    live = RepoMap(repo, ContextPolicy(repo), cache_dir=cache)
    live.refresh()
    write(repo, "pkg/mod_004.py", "def journaled_function():\n    return 4\n")
    backdate(repo / "pkg/mod_004.py", 30)
    live.refresh()
    expected = live.render(500)
    journal = live.cache.journal_path
    # A record cut short (a crash mid-write) and garbage after it.
    journal.write_bytes(journal.read_bytes()[:-7] + b"\xff\x00\x00\x00garbage")
    fresh = RepoMap(repo, ContextPolicy(repo), cache_dir=cache)
    stats = fresh.refresh()
    assert stats.parsed <= 1
    assert fresh.render(500) == expected

    # A journal written against an older cache file is skipped as a whole.
    older = journal.read_bytes()
    rewritten = TagCache.for_repository(repo, cache)
    assert "pkg/mod_004.py" in rewritten.known
    del rewritten.known["pkg/mod_004.py"]
    rewritten.dirty = True
    rewritten.generation = None  # forces a whole rewrite with a new generation
    rewritten.save()
    journal.write_bytes(older)  # its records would bring pkg/mod_004.py back
    replayed = TagCache.for_repository(repo, cache)
    assert replayed.generation == rewritten.generation
    assert "pkg/mod_004.py" not in replayed.known


def test_grammars_are_shared_and_parsers_are_per_thread() -> None:
    assert grammar_for("src/App.TSX") == "tsx"
    assert grammar_for("lib/x.rs") == "rust"
    assert grammar_for(".py") is None and grammar_for("Makefile") is None
    assert grammar_for("a.") is None
    here = parser("python")
    assert parser("python") is here
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(parser("python")))
    thread.start()
    thread.join()
    assert other and other[0] is not here
    assert here.parse(b"def f():\n    pass\n").root_node.has_error is False
    with pytest.raises(LookupError):
        parser("no-such-grammar")
