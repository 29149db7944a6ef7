"""git on the command line: finding the work tree, and running git for the engine.

Nothing heavy is imported here: start-up finds the work tree with one `git` call
before Textual or GitPython load.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from slowcode.core.errors import RepositoryError
from slowcode.core.layout import SESSIONS_DIR as SESSIONS_DIR

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


def git_output(root: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
    """Runs `git ARGS` in `root` and returns its standard output.

    git speaks English (`LC_ALL=C`), so its messages read the same everywhere.

    Raises:
        RepositoryError: git could not be started, or (with `check`) it failed: one line
            naming the subcommand and git's first line of error.
    """
    env = {**os.environ, "LC_ALL": "C"}
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, env=env, check=False
        )
    except OSError as exc:
        raise RepositoryError(f"cannot run git: {exc.strerror or exc}") from None
    if check and result.returncode != 0:
        raise git_failure(f"git {args[0]}", result)
    return result.stdout


def git_text(root: Path, *args: str, check: bool = True) -> str:
    """`git_output` as text; bytes that are not UTF-8 (odd file names) survive a round trip."""
    return git_output(root, *args, check=check).decode("utf-8", "surrogateescape")
