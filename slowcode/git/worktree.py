"""The work tree: finding its top folder, and keeping `.slowcode/` out of git's sight.

Nothing heavy is imported here: start-up finds the work tree with one `git` call
before Textual or the SDK load.
"""

from __future__ import annotations

from pathlib import Path

from slowcode.core.errors import RepositoryError
from slowcode.git.runner import run_git


def find_work_tree(path: Path) -> Path:
    """The top folder of the work tree that contains `path`.

    Asks git itself with one call, so start-up and the CLI can report a bad folder
    in a few milliseconds.

    Raises:
        RepositoryError: `path` is in no repository, or in a bare one.
    """
    where = Path(path).resolve()
    folder = where if where.is_dir() else where.parent
    result = run_git(folder, "rev-parse", "--is-bare-repository", "--show-toplevel", check=False)
    lines = result.text.splitlines()
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
