"""Finding the repository's work tree with one `git` call, before anything heavy is imported."""

from __future__ import annotations

import subprocess
from pathlib import Path

from slowcode.engine.errors import RepositoryError

SESSIONS_DIR = Path(".slowcode") / "sessions"
"""Where the session journals live, relative to the work tree."""


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


def add_exclude_line(common_dir: Path, pattern: str) -> None:
    """Adds `pattern` to `<git common dir>/info/exclude` once (never to `.gitignore`).

    The file lives in git's common dir, so every worktree of the repository sees it.

    Raises:
        RepositoryError: the file cannot be read or written.
    """
    exclude = common_dir / "info" / "exclude"
    try:
        existing = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
        if pattern in (line.strip() for line in existing.splitlines()):
            return
        exclude.parent.mkdir(parents=True, exist_ok=True)
        separator = "" if not existing or existing.endswith("\n") else "\n"
        with exclude.open("a", encoding="utf-8") as handle:
            handle.write(f"{separator}{pattern}\n")
    except OSError as exc:
        raise RepositoryError(f"cannot update {exclude}: {exc.strerror or exc}") from None


def run_scratch_git(
    argv: list[str], cwd: str, what: str, timeout: float
) -> subprocess.CompletedProcess[bytes]:
    """Runs a git command on scratch files (`git diff --no-index`, `git merge-file`).

    Raises:
        RepositoryError: git could not be started or did not finish in time.
    """
    try:
        return subprocess.run(argv, cwd=cwd, capture_output=True, check=False, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RepositoryError(f"{what} could not run: {error}") from None


def git_failure(what: str, result: subprocess.CompletedProcess[bytes]) -> RepositoryError:
    """The one-line error for a git command that exited with a failure status."""
    detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return RepositoryError(f"{what} failed: {detail[0] if detail else result.returncode}")
