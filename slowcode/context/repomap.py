"""The repository map: the most referred-to definitions, rendered within a token budget.

`RepoMap.refresh` brings the tags up to date (content-hash cache; a cold build
parses in worker processes across the machine's cores); `RepoMap.render`
ranks files and definitions (`rank_graph.RankGraph`) and fills the budget with the
best ones, grouped by file:

    src/app/models.py:
    ...
    class Order:
    ...
        def total(self) -> Decimal:
    ...

The same repository state, query, budget and counter give the same bytes in
every process: files, definitions and ties are all taken in a fixed order.
"""

from __future__ import annotations

import bisect
import hashlib
import marshal
import os
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from slowcode.context.files import list_files
from slowcode.context.policy import ContextPolicy
from slowcode.context.rank_graph import Element, LazyElements, RankGraph
from slowcode.context.rank_snapshot import load_snapshot, save_snapshot
from slowcode.context.tag_cache import TagCache
from slowcode.context.tag_worker import Parsed, parse_files
from slowcode.context.tags import Definition, FileTags, language_for
from slowcode.context.tokens import ESTIMATE, EstimateCounter, TokenCounter

PARALLEL_MIN_FILES = 200
"""Below this many files to parse, starting worker processes costs more than it saves."""

FILL_TRIES = 1000
"""After the first definition that does not fit, this many more are tried in smaller gaps."""

WORKER_TIMEOUT_SECONDS = 600

BUDGET_SLACK = 0.03
"""With a counter that is not additive (the API's), the map aims between 97% and 100%."""

GAP = "..."
"""Marks lines left out. ASCII: one token where `⋮` costs three or four."""

_GAP_COST = ESTIMATE.count(GAP + "\n")


@dataclass(frozen=True)
class RefreshStats:
    """What a refresh did.

    Attributes:
        files: Source files in the map.
        hashed: Files read and hashed (their fingerprint had changed).
        parsed: Files parsed (their content was not in the cache).
        workers: Worker processes used (0: parsed in this process).
    """

    files: int
    hashed: int
    parsed: int
    workers: int


def _run_worker(root: str, jobs: list[tuple[str, str]], known: frozenset[bytes]) -> list[Parsed]:
    """Parses `jobs` in a worker process; in this one if the worker fails to start or dies."""
    payload = marshal.dumps((root, jobs, tuple(known)))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "slowcode.context.tag_worker"],
            input=payload,
            capture_output=True,
            check=False,
            timeout=WORKER_TIMEOUT_SECONDS,
        )
        if done.returncode == 0:
            answer: list[Parsed] = marshal.loads(done.stdout)
            return answer
    except (OSError, subprocess.TimeoutExpired, EOFError, ValueError, TypeError):
        pass
    return parse_files(root, jobs, known)


def _chunks(jobs: list[tuple[str, str, int]], count: int) -> list[list[tuple[str, str]]]:
    """Deals jobs (largest first) round-robin into `count` lists of similar total size."""
    ordered = sorted(jobs, key=lambda job: (-job[2], job[0]))
    return [[(rel, lang) for rel, lang, _ in ordered[start::count]] for start in range(count)]


class RepoMap:
    """The repository map of one working tree, kept up to date between renders.

    Args:
        root: The repository's working tree.
        policy: Files it excludes are never read.
        cache_dir: Where the tag cache lives (default: the user cache folder).
        workers: Processes for a cold build (default: one per core).
    """

    def __init__(
        self,
        root: Path,
        policy: ContextPolicy,
        *,
        cache_dir: Path | None = None,
        workers: int | None = None,
    ) -> None:
        self.root = root.resolve()
        self.policy = policy
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.cache = TagCache.for_repository(self.root, cache_dir)
        self.tags: dict[str, FileTags] = {}
        self.other_files: list[str] = []
        self.state = ""
        self._digests: dict[str, bytes] = {}
        # Kept between refreshes: after an edit only the changed files' edges are redone.
        self._graph: RankGraph | None = None

    def refresh(self, files: Iterable[str] | None = None) -> RefreshStats:
        """Lists the files and brings their tags up to date; saves the cache.

        Args:
            files: The repository-relative files to map (default: every file the
                policy lets the model see).
        """
        listed = sorted(files) if files is not None else list_files(self.root, self.policy)
        sources: list[tuple[str, str]] = []
        others: list[str] = []
        for rel in listed:
            language = language_for(rel)
            if language is None:
                others.append(rel)
            else:
                sources.append((rel, language))
        digests: dict[str, bytes] = {}
        stale: list[tuple[str, str, int]] = []
        prefix = str(self.root) + os.sep
        for rel, language in sources:
            try:
                # os.stat on a string: a Path per file costs more than the stat on sympy.
                stat = os.stat(prefix + rel)  # noqa: PTH116
            except OSError:
                continue
            digest = self.cache.lookup(rel, stat)
            if digest is not None and digest in self.cache.tags:
                digests[rel] = digest
            else:
                stale.append((rel, language, stat.st_size))
        parsed, workers = self._parse(stale)
        for rel, print_, hashed_ns, digest, language, tags in parsed:
            if tags is not None:
                self.cache.store(digest, language, tags)
            self.cache.remember(rel, print_, digest, hashed_ns)
            digests[rel] = digest
        self.tags = {rel: self.cache.tags[digests[rel]][1] for rel in sorted(digests)}
        self.other_files = others
        self._update_graph(digests)
        state = hashlib.blake2b(digest_size=16)
        for rel in sorted(digests):
            state.update(rel.encode("utf-8", "surrogateescape") + b"\0" + digests[rel])
        for rel in others:
            state.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        self.state = state.hexdigest()
        self.cache.prune(set(digests))
        self.cache.save()
        return RefreshStats(
            len(digests), len(stale), sum(1 for item in parsed if item[5] is not None), workers
        )

    def _update_graph(self, digests: dict[str, bytes]) -> None:
        """Hands the files whose content changed to the ranking graph (or drops it)."""
        previous, self._digests = self._digests, digests
        if self._graph is None:
            return
        if previous.keys() != digests.keys():
            self._graph = None  # files came or went: build afresh on the next render
            return
        changed = {
            rel: self.tags[rel] for rel, digest in digests.items() if previous[rel] != digest
        }
        if changed and not self._graph.update(changed):
            self._graph = None

    def _parse(self, stale: list[tuple[str, str, int]]) -> tuple[list[Parsed], int]:
        known = frozenset(self.cache.tags)
        root = str(self.root)
        if len(stale) < PARALLEL_MIN_FILES or self.workers < 2:
            return parse_files(root, [(rel, lang) for rel, lang, _ in stale], known), 0
        count = min(self.workers, len(stale) // (PARALLEL_MIN_FILES // 2))
        chunks = _chunks(stale, count)
        with ThreadPoolExecutor(count) as pool:
            answers = list(pool.map(lambda chunk: _run_worker(root, chunk, known), chunks))
        return [item for answer in answers for item in answer], count

    def render(self, budget: int, query: str = "", counter: TokenCounter = ESTIMATE) -> str:
        """The map within `budget` tokens by `counter`, leaning towards what `query` mentions.

        Call `refresh` first. The result is remembered in the cache, so a new
        process asking again for the same state gets it without ranking.
        """
        query_key = hashlib.blake2b(query.encode(), digest_size=8).hexdigest()
        key = f"{self.state}:{counter.name}:{budget}:{query_key}"
        remembered = self.cache.results.get(key)
        if remembered is not None:
            return remembered
        text = self._fit(budget, query, counter)
        # A counter that fell back to the estimate renamed itself: key by what was used.
        self.cache.remember_result(f"{self.state}:{counter.name}:{budget}:{query_key}", text)
        self.cache.save()
        return text

    def _elements(self, query: str) -> LazyElements:
        if self._graph is not None and self._graph.query == query:
            return self._graph.elements(self.other_files)
        snapshot = self.cache.path.with_suffix(".graph")
        self._graph = load_snapshot(snapshot, query, self._digests, self._tags_of)
        if self._graph is not None:
            return self._graph.elements(self.other_files)
        self._graph = RankGraph(self.tags, query)
        elements = self._graph.elements(self.other_files)
        # Built from scratch: saved, so that a new process can restore it and update it.
        save_snapshot(snapshot, self._graph, self._digests)
        return elements

    def _tags_of(self, digest: bytes) -> FileTags | None:
        entry = self.cache.tags.get(digest) or self.cache.retired.get(digest)
        return entry[1] if entry is not None else None

    def _fit(self, budget: int, query: str, counter: TokenCounter) -> str:
        elements = self._elements(query)
        if isinstance(counter, EstimateCounter):
            return _greedy(elements, budget).text()
        # The API's count is close to additive: fill by the estimate scaled to the
        # API's measure, check with the API, and correct the scale.
        best = ""
        scale = 1.0
        for _ in range(8):
            selection = _greedy(elements, int(budget / scale))
            text = selection.text()
            actual = counter.count(text)
            if actual <= budget:
                best = max(best, text, key=len)
                if actual >= budget * (1 - BUDGET_SLACK) or selection.complete:
                    break
            scale = max(actual, 1) / max(ESTIMATE.count(text), 1)
            if actual > budget:
                scale *= 1.01
        return best


class _Selection:
    """Definitions chosen so far, grouped by file, with their estimated cost kept exact.

    A file's block is its `path:` line, then its chosen lines in order, with a
    `...` line before each run of lines that does not follow on, and one at the end.
    Adding a line changes only its neighbours' gaps, so its cost is known at once.
    """

    def __init__(self) -> None:
        self.lines: dict[str, list[int]] = {}
        self.texts: dict[str, dict[int, str]] = {}
        self.bare: set[str] = set()
        self.cost = 0
        self.complete = False

    def try_add(self, path: str, definition: Definition | None, budget: int) -> bool:
        if definition is None:
            if path in self.lines or path in self.bare:
                return True
            cost = ESTIMATE.count(path) + 1
            if self.cost + cost > budget:
                return False
            self.bare.add(path)
            self.cost += cost
            return True
        line = definition[1]
        lines = self.lines.get(path)
        if lines is None:
            # A new block: its header, a gap unless the line is the first, the line, the end gap.
            delta = ESTIMATE.count(path + ":\n") + (_GAP_COST if line else 0) + _GAP_COST
            if path in self.bare:
                delta -= ESTIMATE.count(path) + 1
        else:
            if line in self.texts[path]:
                return True
            where = bisect.bisect_left(lines, line)
            before = lines[where - 1] if where else -1
            after = lines[where] if where < len(lines) else None
            delta = _GAP_COST if line != before + 1 else 0
            if after is not None:
                delta += _GAP_COST if after != line + 1 else 0
                delta -= _GAP_COST if after != before + 1 else 0
        delta += ESTIMATE.count(definition[2]) + 1
        if self.cost + delta > budget:
            return False
        if lines is None:
            self.lines[path] = [line]
            self.texts[path] = {line: definition[2]}
            self.bare.discard(path)
        else:
            bisect.insort(lines, line)
            self.texts[path][line] = definition[2]
        self.cost += delta
        return True

    def text(self) -> str:
        blocks: list[str] = []
        for path in sorted({*self.lines, *self.bare}):
            lines = self.lines.get(path)
            if lines is None:
                blocks.append(path)
                continue
            texts = self.texts[path]
            out = [path + ":"]
            previous = -1
            for line in lines:
                if line != previous + 1:
                    out.append(GAP)
                out.append(texts[line])
                previous = line
            out.append(GAP)
            blocks.append("\n".join(out))
        return "\n".join(blocks) + "\n" if blocks else ""


def _greedy(elements: Iterable[Element], budget: int) -> _Selection:
    """Takes elements in rank order while they fit, then tries a few more in the gaps."""
    selection = _Selection()
    misses = 0
    for path, definition in elements:
        if not selection.try_add(path, definition, budget):
            misses += 1
            if misses > FILL_TRIES:
                return selection
    selection.complete = misses == 0
    return selection
