"""Definitions sorted a batch of names at a time come out as one full sort would give them."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from slowcode.context import rank_order
from slowcode.context.policy import ContextPolicy
from slowcode.context.rank_graph import Element, RankGraph
from slowcode.context.ranking import mentioned_files, mentioned_names
from slowcode.context.repomap import RepoMap
from slowcode.context.tags import FileTags
from tests.context.mapped_repo import QUERY, make_mapped_repo


def fully_sorted(graph: RankGraph, tags: dict[str, FileTags], query: str) -> list[Element]:
    """Every scored definition, by one sort on (score, file rank, path, line, position)."""
    rank, flow = graph.file_rank(), graph.name_flow()
    definers: dict[str, set[str]] = {}
    for path, file_tags in tags.items():
        for definition in file_tags[0]:
            definers.setdefault(definition[0], set()).add(path)
    mentioned = mentioned_names(query)
    named = mentioned_files(query, sorted(tags))
    keys = []
    for path, file_tags in tags.items():
        for position, definition in enumerate(file_tags[0]):
            name = definition[0]
            score: float | None = None
            if name in flow or name in mentioned:
                score = flow.get(name, 0.0) / len(definers[name])
                if name in mentioned:
                    score += 1.0
            if path in named:
                score = (score or 0.0) + (0.0 if name in mentioned else 0.5)
            if score is not None:
                keys.append((-score, -rank[path], path, definition[1], position, definition))
    return [(key[2], key[5]) for key in sorted(keys)]


@pytest.mark.parametrize("first", [1, 3, 10, rank_order.FIRST_NAMES])
@pytest.mark.parametrize("query", ["", QUERY])
def test_batches_of_names_give_the_order_of_one_full_sort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: int, query: str
) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    repo_map = RepoMap(repo, ContextPolicy(repo), cache_dir=tmp_path / "cache")
    repo_map.refresh()
    monkeypatch.setattr(rank_order, "FIRST_NAMES", first)
    graph = RankGraph(repo_map.tags, query)
    expected = fully_sorted(graph, repo_map.tags, query)
    produced = list(graph.elements(["README.md"]))
    assert len(expected) > 50
    assert produced[: len(expected)] == expected
    # Then each remaining definition once, each file alone, and the other files.
    definitions = sum(len(file_tags[0]) for file_tags in repo_map.tags.values())
    rest = produced[len(expected) :]
    assert len(rest) == definitions - len(expected) + len(repo_map.tags) + 1
    assert not set(rest[: definitions - len(expected)]) & set(expected)


def test_equal_scores_stay_in_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rank_order, "FIRST_NAMES", 2)
    negated = {"f": -0.5, "a": -3.0, "b": -2.0, "c": -2.0, "d": -2.0, "e": -1.0}
    batches = list(rank_order.ScoreLadder(negated).batches())
    # The second name's score is shared by two more: the first batch takes all three.
    assert batches == [
        (-math.inf, -2.0, ["a", "b", "c", "d"]),
        (-2.0, math.inf, ["e", "f"]),
    ]
    monkeypatch.setattr(rank_order, "FIRST_NAMES", 1)
    assert [names for _, _, names in rank_order.ScoreLadder(negated).batches()] == [
        ["a"],
        ["b", "c", "d", "e"],  # four times as many as the first batch
        ["f"],
    ]
