"""Finding the repository's work tree with one `git` call, before anything heavy is imported."""

from __future__ import annotations

import subprocess
from pathlib import Path

from slowcode.engine.errors import RepositoryError


def find_work_tree(path: Path) -> Path:
    """The top folder of the work tree that contains `path`.

    Asks git itself (no gitpython), so start-up and the CLI can report a bad folder
    in a few milliseconds.

    Raises:
        RepositoryError: `path` is in no repository, or in a bare one.
    """
    where = Path(path).resolve()
    folder = where if where.is_dir() else where.parent
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--is-bare-repository", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise RepositoryError("git is not installed or not on PATH") from None
    lines = result.stdout.splitlines()
    if lines[:1] == ["true"]:
        raise RepositoryError(
            f"{where} is a bare git repository (no work tree) — start slowcode in a "
            "clone or worktree of it"
        )
    if result.returncode != 0 or len(lines) < 2:
        raise RepositoryError(
            f"not a git repository: {where} — run `git init` or start slowcode inside a repository"
        )
    return Path(lines[1]).resolve()
