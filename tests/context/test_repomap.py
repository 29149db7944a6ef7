"""The repository map: budget, determinism across processes, cache invalidation, relevance."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slowcode.context.policy import ContextPolicy
from slowcode.context.repomap import PARALLEL_MIN_FILES, RepoMap
from slowcode.context.tokens import ESTIMATE, ApiTokenCounter
from tests.context.mapped_repo import backdate, make_mapped_repo, map_in_new_process
from tests.context.repos import write
from tests.fakeapi import FakeMessagesAPI, fake_settings


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_mapped_repo(tmp_path / "repo")


def new_map(root: Path, cache: Path, **kwargs: int) -> RepoMap:
    return RepoMap(root, ContextPolicy(root), cache_dir=cache, **kwargs)


@pytest.mark.parametrize("budget", [256, 512, 1024, 2000, 4000])
def test_the_map_lands_within_three_percent_under_the_budget(
    repo: Path, tmp_path: Path, budget: int
) -> None:
    repo_map = new_map(repo, tmp_path / "cache")
    repo_map.refresh()
    text = repo_map.render(budget)
    tokens = ESTIMATE.count(text)
    assert budget * 0.97 <= tokens <= budget, tokens


def test_the_budget_holds_by_the_apis_count_tokens(
    repo: Path, tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    counter = ApiTokenCounter(fake_settings(fake_api))
    repo_map = new_map(repo, tmp_path / "cache")
    repo_map.refresh()
    text = repo_map.render(700, "", counter)
    assert not counter.failed
    assert any(r.path == "/v1/messages/count_tokens" for r in fake_api.requests)
    tokens = counter.count(text)
    assert 700 * 0.97 <= tokens <= 700, tokens


def test_a_small_repository_fits_whole(tmp_path: Path) -> None:
    repo = make_mapped_repo(tmp_path / "repo", count=3, extra={"README.md": "# hi\n"})
    repo_map = new_map(repo, tmp_path / "cache")
    repo_map.refresh()
    text = repo_map.render(4096)
    assert ESTIMATE.count(text) < 4096
    for index in range(3):
        assert f"class Account{index:03d}:" in text
        assert f"def helper_{index:03d}(value: int) -> int:" in text
    assert "README.md" in text.splitlines()


def test_every_process_renders_the_same_bytes(repo: Path, tmp_path: Path) -> None:
    query = "Make compute_total_007 round the amount"
    cold_one = map_in_new_process(repo, tmp_path / "one", 600, query, "1")
    cold_two = map_in_new_process(repo, tmp_path / "two", 600, query, "2")
    warm = map_in_new_process(repo, tmp_path / "one", 600, query, "3")
    repo_map = new_map(repo, tmp_path / "three")
    repo_map.refresh()
    here = repo_map.render(600, query).encode()
    assert len(cold_one) > 1000
    assert cold_one == cold_two == warm == here


def test_only_the_changed_file_is_parsed_again(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    repo_map = new_map(repo, cache)
    first = repo_map.refresh()
    assert (first.files, first.hashed, first.parsed) == (60, 60, 60)
    before = repo_map.render(20000)

    write(repo, "pkg/mod_005.py", "def brand_new_function():\n    return 5\n")
    backdate(repo / "pkg/mod_005.py", 30)
    after_edit = repo_map.refresh()
    assert (after_edit.hashed, after_edit.parsed) == (1, 1)
    text = repo_map.render(20000)
    assert "def brand_new_function():" in text
    assert "def helper_005" not in text and "def helper_005" in before

    # A new process with the same cache reads nothing and parses nothing.
    fresh = new_map(repo, cache)
    assert (fresh.refresh().hashed, fresh.refresh().parsed) == (0, 0)
    assert fresh.render(20000) == text

    # Touched but unchanged: hashed again, not parsed.
    backdate(repo / "pkg/mod_006.py", 20)
    touched = fresh.refresh()
    assert (touched.hashed, touched.parsed) == (1, 0)

    # A renamed file keeps its tags: its content hash is known.
    (repo / "pkg/mod_007.py").rename(repo / "pkg/renamed.py")
    renamed = fresh.refresh()
    assert (renamed.hashed, renamed.parsed) == (1, 0)
    assert "pkg/renamed.py:" in fresh.render(20000)


def test_a_file_written_just_now_is_not_trusted_by_its_fingerprint(
    repo: Path, tmp_path: Path
) -> None:
    repo_map = new_map(repo, tmp_path / "cache")
    repo_map.refresh()
    write(repo, "pkg/mod_001.py", "def first_version():\n    pass\n")
    repo_map.refresh()
    # Rewritten within the same mtime tick and size: only the content tells.
    path = repo / "pkg/mod_001.py"
    stat = path.stat()
    path.write_text("def later_version():\n    pass\n".replace("later", "other"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    repo_map.refresh()
    assert "def other_version():" in repo_map.render(8000)


def test_a_corrupt_cache_is_rebuilt(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    repo_map = new_map(repo, cache)
    repo_map.refresh()
    expected = repo_map.render(500)
    for file in cache.iterdir():
        file.write_bytes(b"\x00garbage")
    again = new_map(repo, cache)
    assert again.refresh().parsed == 60
    assert again.render(500) == expected


def test_the_parallel_build_gives_the_serial_map(tmp_path: Path) -> None:
    repo = make_mapped_repo(tmp_path / "repo", count=PARALLEL_MIN_FILES + 10)
    parallel = new_map(repo, tmp_path / "a", workers=2)
    stats = parallel.refresh()
    assert stats.workers == 2 and stats.parsed == PARALLEL_MIN_FILES + 10
    serial = new_map(repo, tmp_path / "b", workers=1)
    assert serial.refresh().workers == 0
    assert parallel.tags == serial.tags
    assert parallel.render(1500, "helper_150") == serial.render(1500, "helper_150")


def test_the_map_leans_towards_names_and_paths_the_task_mentions(
    repo: Path, tmp_path: Path
) -> None:
    repo_map = new_map(repo, tmp_path / "cache")
    repo_map.refresh()
    plain = repo_map.render(200)
    assert "close_042" not in plain and "pkg/mod_017.py" not in plain
    assert "def close_042(self) -> None:" in repo_map.render(200, "Log when close_042 runs")
    assert "pkg/mod_017.py:" in repo_map.render(200, "Tidy pkg/mod_017.py")


def test_excluded_files_never_reach_the_map(tmp_path: Path) -> None:
    repo = make_mapped_repo(
        tmp_path / "repo",
        count=3,
        extra={
            ".gitignore": "build/\n",
            ".env": "TOKEN=1\n",
            "vendor/lib.py": "def vendored(): pass\n",
        },
    )
    write(repo, "build/generated.py", "def generated_code():\n    pass\n")
    write(repo, "server.key", "PRIVATE\n")
    repo_map = RepoMap(repo, ContextPolicy(repo, ["vendor/"]), cache_dir=tmp_path / "cache")
    repo_map.refresh()
    text = repo_map.render(8000)
    assert "pkg/mod_000.py:" in text
    for hidden in ("generated", "vendor", ".env", "server.key"):
        assert hidden not in text
