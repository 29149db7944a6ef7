"""The staged tree: an overlay that remembers bases and never writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slowcode.context.policy import ContextPolicy
from slowcode.core.errors import ToolInputError
from slowcode.core.paths import PathPolicy
from slowcode.engine.staging.tree import StagedTree
from tests.context.repos import make_repo, write


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "repo",
        {
            ".gitignore": "*.log\n",
            "src/a.py": "one\ntwo\n",
            "crlf.txt": "x\r\ny\r\n",
            ".env": "KEY=1\n",
        },
    )


def new_tree(root: Path, *, max_bytes: int = 1024 * 1024) -> StagedTree:
    return StagedTree(root, PathPolicy(root, max_file_bytes=max_bytes), ContextPolicy(root))


def test_read_records_the_base_and_stage_overrides_it(repo: Path) -> None:
    tree = new_tree(repo)
    before = snapshot(repo)
    assert tree.read("./src/a.py") == "one\ntwo\n"
    write(repo, "src/a.py", "changed on disk\n")
    assert tree.base_text("src/a.py") == "one\ntwo\n"
    tree.stage("src/a.py", "one\n2\n")
    assert tree.read("src/a.py") == "one\n2\n"
    assert tree.staged_text("src/a.py") == "one\n2\n"
    assert tree.base_text("src/a.py") == "one\ntwo\n"
    before["src/a.py"] = b"changed on disk\n"
    assert snapshot(repo) == before


def test_staging_first_records_disk_text_as_base(repo: Path) -> None:
    tree = new_tree(repo)
    tree.stage("src/a.py", "new\n")
    assert tree.base_text("src/a.py") == "one\ntwo\n"
    assert (repo / "src" / "a.py").read_text() == "one\ntwo\n"


def test_new_files_have_no_base_and_exist_only_in_the_overlay(repo: Path) -> None:
    tree = new_tree(repo)
    assert not tree.exists("pkg/new.py")
    assert tree.base_text("pkg/new.py") is None
    tree.stage("pkg/new.py", "x = 1\n")
    assert tree.exists("pkg/new.py")
    assert tree.is_staged_folder("pkg")
    assert tree.base_text("pkg/new.py") is None
    assert tree.read("pkg/new.py") == "x = 1\n"
    assert not (repo / "pkg").exists()


def test_line_endings_are_kept(repo: Path) -> None:
    assert new_tree(repo).read("crlf.txt") == "x\r\ny\r\n"


def test_missing_file_is_a_tool_error(repo: Path) -> None:
    with pytest.raises(ToolInputError, match="does not exist"):
        new_tree(repo).read("src/missing.py")


def test_excluded_files_can_be_neither_read_nor_staged(repo: Path) -> None:
    write(repo, "debug.log", "log\n")
    tree = new_tree(repo)
    for path in (".env", "debug.log"):
        with pytest.raises(ToolInputError):
            tree.read(path)
        with pytest.raises(ToolInputError):
            tree.stage(path, "x\n")
    assert tree.staged_paths() == []


def test_binary_large_and_non_utf8_texts_are_refused(repo: Path) -> None:
    write(repo, "latin1.txt", "caf\xe9\n".encode("latin-1"))
    tree = new_tree(repo, max_bytes=20)
    with pytest.raises(ToolInputError, match="UTF-8"):
        tree.read("latin1.txt")
    with pytest.raises(ToolInputError, match="NUL"):
        tree.stage("bin.dat", "a\x00b")
    with pytest.raises(ToolInputError, match="limit"):
        tree.stage("big.txt", "x" * 21)
    with pytest.raises(ToolInputError, match="Unicode"):
        tree.stage("bad.txt", "\ud800")
    assert tree.staged_paths() == []


def test_staged_paths_sorted_and_discard(repo: Path) -> None:
    tree = new_tree(repo)
    tree.stage("z.py", "z\n")
    tree.stage("src/a.py", "a\n")
    tree.stage("b.py", "b\n")
    assert tree.staged_paths() == ["b.py", "src/a.py", "z.py"]
    tree.discard()
    assert tree.staged_paths() == []
    assert tree.read("src/a.py") == "one\ntwo\n"


def test_json_round_trip(repo: Path) -> None:
    tree = new_tree(repo)
    tree.read("crlf.txt")
    tree.stage("src/a.py", "edited\n")
    tree.stage("new/file.py", "created\n")
    data = json.loads(json.dumps(tree.to_json()))
    write(repo, "src/a.py", "changed after the journal was written\n")
    restored = StagedTree.from_json(data, repo, PathPolicy(repo), ContextPolicy(repo))
    assert restored.staged_paths() == ["new/file.py", "src/a.py"]
    assert restored.read("src/a.py") == "edited\n"
    assert restored.base_text("src/a.py") == "one\ntwo\n"
    assert restored.base_text("new/file.py") is None
    assert restored.base_text("crlf.txt") == "x\r\ny\r\n"


def test_from_json_refuses_bad_data(repo: Path) -> None:
    paths, policy = PathPolicy(repo), ContextPolicy(repo)
    with pytest.raises(ToolInputError):
        StagedTree.from_json({"version": 99}, repo, paths, policy)
    with pytest.raises(ToolInputError):
        StagedTree.from_json(
            {"version": 1, "base": {}, "staged": {"../escape.py": "x"}}, repo, paths, policy
        )
    with pytest.raises(ToolInputError):
        StagedTree.from_json({"version": 1, "base": {}, "staged": {"a.py": 3}}, repo, paths, policy)
