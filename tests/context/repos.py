"""Real git repositories in temporary folders, for the context and staging tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

IDENTITY = ["-c", "user.name=Test Developer", "-c", "user.email=dev@example.com"]


def git(root: Path, *args: str) -> str:
    """Runs git in `root` and returns its standard output; fails the test on an error."""
    result = subprocess.run(
        ["git", "-C", str(root), *IDENTITY, *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def write(root: Path, rel: str, text: str | bytes) -> Path:
    """Writes a file (creating its folders) and returns its absolute path."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def with_identity(root: Path) -> Path:
    """Gives the repository a local git identity, as a developer's machine has one."""
    git(root, "config", "user.name", "Ada Developer")
    git(root, "config", "user.email", "ada@example.com")
    return root


def make_repo(
    root: Path, files: dict[str, str | bytes] | None = None, *, commit: bool = True
) -> Path:
    """Creates a git repository at `root` holding `files`, committed unless told otherwise."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    for rel, text in (files or {}).items():
        write(root, rel, text)
    if commit and files:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
    return root.resolve()


def conflicting_branches(tmp_path: Path) -> Path:
    """A repository on `main` whose branch `other` changed `a.txt` the other way."""
    root = with_identity(make_repo(tmp_path / "project", {"a.txt": "base\n", "b.txt": "b\n"}))
    git(root, "checkout", "-q", "-b", "other")
    write(root, "a.txt", "other\n")
    git(root, "commit", "-q", "-am", "other")
    git(root, "checkout", "-q", "main")
    write(root, "a.txt", "main\n")
    git(root, "commit", "-q", "-am", "main")
    return root
