"""The path policy: what the model may name, checked against a real folder."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from slowcode.core.errors import ToolInputError
from slowcode.core.paths import PathPolicy


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text("[core]\n")
    (repo / "src" / "a.py").write_text("print('a')\n")
    return repo.resolve()


def refusal(policy: PathPolicy, path: str, *, for_write: bool = False) -> str:
    with pytest.raises(ToolInputError) as caught:
        policy.resolve(path, for_write=for_write)
    message = str(caught.value)
    assert "\n" not in message
    assert message.endswith(".")
    return message


@pytest.mark.parametrize(
    "given", ["src/a.py", "./src/a.py", "src//a.py", " src/a.py ", "src/./a.py"]
)
def test_relative_forms_resolve_to_the_same_file(root: Path, given: str) -> None:
    absolute, rel = PathPolicy(root).resolve(given, for_write=False)
    assert rel == "src/a.py"
    assert absolute == root / "src" / "a.py"


def test_root_itself_is_dot(root: Path) -> None:
    assert PathPolicy(root).resolve(".", for_write=False) == (root, ".")
    refusal(PathPolicy(root), ".", for_write=True)


def test_absolute_paths_are_refused_even_inside_the_root(root: Path) -> None:
    policy = PathPolicy(root)
    assert "absolute" in refusal(policy, str(root / "src" / "a.py"))
    assert "absolute" in refusal(policy, "/etc/passwd", for_write=True)
    assert "absolute" in refusal(policy, "C:\\Windows\\x.txt")


@pytest.mark.parametrize("given", ["../outside.py", "src/../../x", "src/..", "a/../b.py"])
def test_dot_dot_is_refused(root: Path, given: str) -> None:
    assert "'..'" in refusal(PathPolicy(root), given, for_write=True)


@pytest.mark.parametrize("given", [".git/config", ".git", "src/.git/hooks/x", ".GIT/config"])
def test_anything_named_git_is_refused(root: Path, given: str) -> None:
    assert ".git" in refusal(PathPolicy(root), given)


def test_empty_path_is_refused(root: Path) -> None:
    assert "empty" in refusal(PathPolicy(root), "  ")


def test_symlink_leaving_the_repository_is_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret\n")
    (root / "link.txt").symlink_to(outside)
    (tmp_path / "elsewhere").mkdir()
    (root / "linked_dir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    policy = PathPolicy(root)
    assert "outside the repository" in refusal(policy, "link.txt")
    assert "outside the repository" in refusal(policy, "link.txt", for_write=True)
    # A parent folder that is a link out of the repository, for a file not there yet.
    assert "outside the repository" in refusal(policy, "linked_dir/new.py", for_write=True)


def test_symlink_into_git_is_refused(root: Path) -> None:
    (root / "cfg").symlink_to(root / ".git" / "config")
    assert ".git" in refusal(PathPolicy(root), "cfg")


def test_symlink_inside_the_repository_reads_but_is_not_written(root: Path) -> None:
    (root / "alias.py").symlink_to(root / "src" / "a.py")
    policy = PathPolicy(root)
    absolute, rel = policy.resolve("alias.py", for_write=False)
    assert (absolute, rel) == (root / "alias.py", "alias.py")
    assert "symbolic link" in refusal(policy, "alias.py", for_write=True)


def test_fifo_and_socket_are_refused(root: Path) -> None:
    os.mkfifo(root / "pipe")
    policy = PathPolicy(root)
    assert "regular file" in refusal(policy, "pipe")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "sock"))
        assert "regular file" in refusal(policy, "sock", for_write=True)
    finally:
        server.close()


def test_files_over_the_size_limit_are_refused(root: Path) -> None:
    (root / "big.txt").write_text("x" * 101)
    (root / "small.txt").write_text("x" * 100)
    policy = PathPolicy(root, max_file_bytes=100)
    assert "limit" in refusal(policy, "big.txt")
    assert policy.resolve("small.txt", for_write=True)[1] == "small.txt"


def test_binary_files_are_refused_for_reading_and_writing(root: Path) -> None:
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x00\x00data")
    (root / "late_nul.txt").write_bytes(b"a" * 9000 + b"\x00")
    policy = PathPolicy(root)
    assert "binary" in refusal(policy, "image.png")
    assert "binary" in refusal(policy, "image.png", for_write=True)
    # Only the first 8 KiB are sniffed, as git does.
    assert policy.resolve("late_nul.txt", for_write=False)[1] == "late_nul.txt"


def test_new_files_may_be_written_in_new_folders(root: Path) -> None:
    absolute, rel = PathPolicy(root).resolve("pkg/sub/new.py", for_write=True)
    assert rel == "pkg/sub/new.py"
    assert absolute == root / "pkg" / "sub" / "new.py"
    assert not absolute.parent.exists()


def test_missing_file_is_not_an_error_for_reading(root: Path) -> None:
    absolute, rel = PathPolicy(root).resolve("src/missing.py", for_write=False)
    assert rel == "src/missing.py"
    assert not absolute.exists()


def test_a_file_cannot_become_a_folder(root: Path) -> None:
    assert "is a file" in refusal(PathPolicy(root), "src/a.py/inner.py", for_write=True)


def test_folders_are_readable_but_not_writable(root: Path) -> None:
    policy = PathPolicy(root)
    assert policy.resolve("src", for_write=False) == (root / "src", "src")
    assert "folder" in refusal(policy, "src", for_write=True)
