"""Edges merged by the names' definers rank as the plain file → name → file graph does,
and stay bit for bit equal to a fresh build while names move between sets of definers."""

from __future__ import annotations

import marshal
import math

import pytest

from slowcode.context.rank_graph import RankGraph
from slowcode.context.ranking import (
    DAMPING,
    MAX_ITERATIONS,
    MENTIONED_FILE_WEIGHT,
    TOLERANCE,
    mentioned_files,
    mentioned_names,
    name_weight,
)
from slowcode.context.tags import FileTags

QUERY = "Fix shared_total in lib/c.py"


def tags(defines: str = "", uses: dict[str, int] | None = None) -> FileTags:
    """A file's tags: definitions (space-separated names), references with their counts."""
    names = defines.split()
    definitions = tuple((name, line, f"def {name}():") for line, name in enumerate(names, 1))
    return definitions, tuple(sorted((uses or {}).items()))


# Names with the same definers are merged per file: `a` reaches lib/b.py through
# `alpha_value` and `beta_value`, and lib/b.py + lib/c.py through `shared_total` and
# `other_total`; `gamma` is defined by lib/c.py and lib/d.py.
START: dict[str, FileTags] = {
    "app/a.py": tags(
        "main",
        {"alpha_value": 3, "beta_value": 1, "shared_total": 2, "other_total": 1, "gamma": 4},
    ),
    "app/e.py": tags("entry", {"alpha_value": 1, "gamma": 1, "main": 2, "undefined_name": 5}),
    "lib/b.py": tags("alpha_value beta_value shared_total other_total", {"beta_value": 2}),
    "lib/c.py": tags("shared_total other_total gamma", {"alpha_value": 1}),
    "lib/d.py": tags("gamma", {}),
    "lib/lonely.py": tags("nothing_uses_me", {}),
}

# Each edit moves names between sets of definers, so merged edges split, join and vanish.
EDITS: list[dict[str, FileTags]] = [
    # lib/c.py now defines alpha_value too: it joins shared_total's set.
    {"lib/c.py": tags("alpha_value shared_total other_total gamma", {"alpha_value": 1})},
    # beta_value is no longer defined anywhere: its edges go.
    {"lib/b.py": tags("alpha_value shared_total other_total", {"beta_value": 2})},
    # ... and comes back in lib/d.py, where gamma is: a new set of one.
    {"lib/d.py": tags("gamma beta_value", {"entry": 1})},
    # app/a.py's references change, and lib/lonely.py starts using something.
    {
        "app/a.py": tags("main", {"alpha_value": 1, "gamma": 2, "entry": 1}),
        "lib/lonely.py": tags("nothing_uses_me", {"other_total": 1}),
    },
    # lib/c.py drops most of its names: sets of two become sets of one.
    {"lib/c.py": tags("gamma", {})},
]


def reference_rank(
    all_tags: dict[str, FileTags], query: str
) -> tuple[dict[str, float], dict[str, float]]:
    """PageRank over one edge per (file, name used), written out plainly (no merging)."""
    paths = sorted(all_tags)
    definers: dict[str, list[str]] = {}
    for path in paths:
        for definition in all_tags[path][0]:
            if path not in definers.setdefault(definition[0], []):
                definers[definition[0]].append(path)
    mentioned = mentioned_names(query)
    edges: dict[str, list[tuple[str, float]]] = {}
    for path in paths:
        raw: list[tuple[str, float]] = []
        for name, uses in all_tags[path][1]:
            owners = definers.get(name, [])
            if not owners or owners == [path]:
                continue
            weight = name_weight(name, len(owners), mentioned)
            raw.append((name, (uses if uses == 1 else math.sqrt(uses)) * weight))
        total = sum(value for _, value in raw)
        edges[path] = [(name, value / total) for name, value in raw]
    named = mentioned_files(query, paths)
    restart = {path: MENTIONED_FILE_WEIGHT if path in named else 1.0 for path in paths}
    norm = sum(restart.values())
    restart = {path: weight / norm for path, weight in restart.items()}
    rank = dict(restart)
    for _ in range(MAX_ITERATIONS):
        received = dict.fromkeys(paths, 0.0)
        for path in paths:
            for name, share in edges[path]:
                for owner in definers[name]:
                    received[owner] += rank[path] * share * DAMPING / len(definers[name])
        dangling = sum(rank[path] for path in paths if not edges[path])
        base = 1.0 - DAMPING + DAMPING * dangling
        new = {path: restart[path] * base + received[path] for path in paths}
        change = sum(abs(new[path] - rank[path]) for path in paths)
        rank = new
        if change < TOLERANCE:
            break
    flow: dict[str, float] = {}
    for path in paths:
        for name, share in edges[path]:
            flow[name] = flow.get(name, 0.0) + rank[path] * share
    return rank, flow


def assert_close(got: dict[str, float], expected: dict[str, float]) -> None:
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-15), key


@pytest.mark.parametrize("query", ["", QUERY])
def test_merged_edges_rank_as_one_edge_per_name_used(query: str) -> None:
    current = dict(START)
    graph = RankGraph(current, query)
    for edit in [{}, *EDITS]:
        current.update(edit)
        assert graph.update(edit)
        rank, flow = reference_rank(current, query)
        assert_close(graph.file_rank(), rank)
        assert_close(graph.name_flow(), flow)


def test_names_moving_between_sets_of_definers_update_bit_for_bit() -> None:
    current = dict(START)
    kept = RankGraph(current, QUERY)
    kept.file_rank()
    first_merge = {path: len(links[0]) for path, links in zip(kept.paths, kept._links, strict=True)}
    # Five names used by app/a.py, three sets of files defining them.
    assert first_merge["app/a.py"] == 3
    for edit in EDITS:
        state = marshal.loads(marshal.dumps(RankGraph(current, QUERY).state()))
        restored = RankGraph.restore(dict(current), QUERY, state)
        current.update(edit)
        assert kept.update(edit)
        assert restored.update(edit)
        fresh = RankGraph(current, QUERY)
        assert kept.file_rank() == fresh.file_rank() == restored.file_rank()
        assert kept.name_flow() == fresh.name_flow() == restored.name_flow()
        assert kept._links == fresh._links == restored._links
        expected = list(fresh.elements(["README.md"]))
        assert list(kept.elements(["README.md"])) == expected
        assert list(restored.elements(["README.md"])) == expected
