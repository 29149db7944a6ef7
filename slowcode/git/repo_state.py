"""Odd repository states, each handled on purpose before slowcode writes anything.

A merge, rebase, cherry-pick, revert, `git am` or bisect in progress owns HEAD and
the index: a step commit made then would land in the middle of it, so slowcode
refuses to start and says how to finish or abort. A detached HEAD and a repository
with no commits are fine (the step commits go on the detached HEAD, or the first
one becomes the root commit) and only get a notice. A file git sees as conflicted
is never edited until the developer resolves it.

The CLI runs these checks before the TUI starts, with plain `git` calls.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from slowcode.core.errors import RepositoryError
from slowcode.git.runner import GitResult, run_git
from slowcode.git.worktree import add_exclude_line

SLOWCODE_PATTERN = ".slowcode/"

# (marker in the git dir, what is in progress, how to finish it, how to abort it)
_OPERATIONS = [
    ("rebase-merge", "a rebase", "git rebase --continue", "git rebase --abort"),
    ("rebase-apply/applying", "a `git am`", "git am --continue", "git am --abort"),
    ("rebase-apply", "a rebase", "git rebase --continue", "git rebase --abort"),
    ("MERGE_HEAD", "a merge", "git commit", "git merge --abort"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "git cherry-pick --continue", "git cherry-pick --abort"),
    ("REVERT_HEAD", "a revert", "git revert --continue", "git revert --abort"),
    ("BISECT_LOG", "a bisect", "git bisect reset", "git bisect reset"),
]


@dataclass(frozen=True)
class RepoState:
    """What is unusual about a repository right now.

    Attributes:
        root: The work tree's top folder.
        operation: The operation in progress ("a merge", "a rebase", …), or None.
        finish: The command that finishes the operation.
        abort: The command that abandons it.
        detached_at: The abbreviated commit HEAD points to when it is detached.
        unborn: True when the repository has no commits yet.
        conflicted: Repository-relative paths git sees as unmerged.
    """

    root: Path
    operation: str | None = None
    finish: str = ""
    abort: str = ""
    detached_at: str | None = None
    unborn: bool = False
    conflicted: tuple[str, ...] = ()

    def blocking_problem(self) -> str | None:
        """The one line that says why slowcode cannot work here now, or None."""
        if self.operation is None:
            return None
        return (
            f"{self.operation} is in progress in {self.root}: {self.how_to_end()}, then start "
            "slowcode again (a step commit now would land in the middle of it)"
        )

    def how_to_end(self) -> str:
        """How to end the operation in progress: `finish it (…) or abort it (…)`."""
        if self.finish == self.abort:
            return f"end it with `{self.finish}`"
        return f"finish it (`{self.finish}`) or abort it (`{self.abort}`)"

    def ensure_workable(self) -> None:
        """Raises when slowcode must not work in this repository now.

        Raises:
            RepositoryError: An operation that owns HEAD and the index is in progress.
        """
        problem = self.blocking_problem()
        if problem is not None:
            raise RepositoryError(problem)

    def notices(self) -> list[str]:
        """One line per unusual but workable state, to show the developer at the start."""
        lines = []
        if self.unborn:
            lines.append(
                "this repository has no commits yet: the first applied step makes its root commit"
            )
        if self.detached_at is not None:
            lines.append(
                f"HEAD is detached at {self.detached_at}: step commits go on top of it, not on "
                "a branch (`git switch -c NAME` keeps them on one)"
            )
        if self.conflicted:
            lines.append(conflict_refusal(self.conflicted))
        return lines


def conflict_refusal(paths: tuple[str, ...] | list[str]) -> str:
    """The one line that refuses to touch conflicted files."""
    shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
    return (
        f"git sees unresolved conflicts in {shown}: slowcode will not edit "
        f"{'it' if len(paths) == 1 else 'them'} until the conflicts are resolved "
        "(edit, then `git add`)"
    )


def _git(root: Path, *args: str) -> GitResult:
    return run_git(root, *args, check=False)


def conflicted_paths(root: Path) -> list[str]:
    """Repository-relative paths with unmerged index entries, sorted."""
    result = _git(root, "ls-files", "--unmerged", "-z")
    paths = set()
    for entry in result.text.split("\0"):
        # "<mode> <sha> <stage>\t<path>"
        _meta, tab, path = entry.partition("\t")
        if tab:
            paths.add(path)
    return sorted(paths)


def apply_blocker(root: Path, paths: list[str], decisions: str | None = None) -> str | None:
    """Why a reviewed step must not be applied right now, in one line; None when it may.

    Checked right before the first write, because the developer may have started a
    merge, left a file of the step conflicted, or changed a folder's permissions
    while the review was open.

    Args:
        root: The work tree.
        paths: The step's repository-relative files.
        decisions: The decisions folder, when the step records a decision.
    """
    state = inspect(root)
    again = "then apply the step again (nothing was written; your verdicts are kept)"
    if state.operation is not None:
        return (
            f"{state.operation} is in progress (a step commit now would land in the middle "
            f"of it): {state.how_to_end()}, {again}"
        )
    touched = [path for path in paths if path in state.conflicted]
    if touched:
        return f"{conflict_refusal(touched)}; {again}"
    unreachable = unreachable_paths(root, paths)
    if unreachable is not None:
        return f"{unreachable}; {again}"
    unwritable = (
        None if decisions is None else unwritable_folder(root, decisions, "the decisions folder")
    )
    for path in paths:
        if unwritable is not None:
            break
        unwritable = unwritable_folder(root, posixpath.dirname(path), f"the folder of {path}")
    return None if unwritable is None else f"{unwritable}: make it writable, {again}"


def unreachable_paths(root: Path, paths: list[str]) -> str | None:
    """Why some of `paths` are not this work tree's to write and commit, or None.

    A path outside the sparse checkout (git marks it skip-worktree) would be
    committed from a work tree that does not hold it; a path inside a submodule
    belongs to another repository.
    """
    if not paths:
        return None
    listed = _git(root, "ls-files", "-t", "-z", "--", *paths).text
    sparse = sorted(entry[2:] for entry in listed.split("\0") if entry.startswith("S "))
    if sparse:
        return (
            f"{', '.join(sparse)} {'is' if len(sparse) == 1 else 'are'} outside the sparse "
            f"checkout: widen it (`git sparse-checkout add {posixpath.dirname(sparse[0]) or '.'}`)"
        )
    prefixes = sorted({p for path in paths for p in _parents(path)} | set(paths))
    if prefixes:
        tree = _git(root, "ls-tree", "-z", "HEAD", "--", *prefixes).text
        links = sorted(
            entry.partition("\t")[2] for entry in tree.split("\0") if entry.startswith("160000 ")
        )
        if links:
            return (
                f"the step writes into the submodule {links[0]}, another repository: "
                "make that change inside it"
            )
    return None


def _parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def head_position(root: Path) -> tuple[str | None, str | None]:
    """The branch HEAD is on (None: detached) and the commit it points to (None: unborn)."""
    branch = _git(root, "symbolic-ref", "-q", "HEAD")
    sha = _git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    return (
        branch.text.strip() if branch.ok else None,
        sha.text.strip() if sha.ok else None,
    )


def head_moved(
    before: tuple[str | None, str | None], now: tuple[str | None, str | None]
) -> str | None:
    """One line naming how HEAD moved since `before`, or None when it did not."""
    if before == now:
        return None

    def where(position: tuple[str | None, str | None]) -> str:
        branch, sha = position
        name = branch.removeprefix("refs/heads/") if branch else "a detached HEAD"
        return f"{name} at {sha[:8]}" if sha else f"{name} (no commits)"

    if before[0] != now[0]:
        what = f"HEAD moved from {where(before)} to {where(now)} since the review opened"
    else:
        what = f"{where(now)} has a new commit since the review opened (it was {where(before)})"
    return (
        f"{what}: the step would be committed there. Nothing was written; apply again to "
        "commit it there, or switch back first"
    )


def unwritable_folder(root: Path, folder: str, what: str) -> str | None:
    """Why slowcode could not write files into `root/folder`, or None when it can.

    Checked before a session starts, so a bad folder is one line then instead of a
    failure halfway through applying a step.

    Args:
        root: The work tree.
        folder: A repository-relative folder (it need not exist yet).
        what: What the folder is for, as the message names it ("the decisions folder").
    """
    target = root / folder if folder else root
    probe = target
    while not probe.exists() and not probe.is_symlink() and probe != root:
        probe = probe.parent
    where = probe.relative_to(root).as_posix() if probe.is_relative_to(root) else str(probe)
    if not probe.is_dir():
        return f"{what} {folder} cannot be created: {where} is a file, not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        named = f"{what} {folder}" if folder else what
        return f"{named} is not writable ({where or '.'} refuses writes)"
    return None


def exclude_slowcode_folder(root: Path) -> None:
    """Adds `.slowcode/` to the repository's `info/exclude` once (never to `.gitignore`).

    Raises:
        RepositoryError: git cannot read the repository or the file cannot be written.
    """
    found = _git(root, "rev-parse", "--path-format=absolute", "--git-common-dir")
    if found.returncode != 0:
        raise RepositoryError(f"not a git repository: {root}")
    add_exclude_line(Path(found.text.strip()), SLOWCODE_PATTERN)


def inspect(root: Path) -> RepoState:
    """Looks at the repository whose work tree is `root`.

    Raises:
        RepositoryError: git cannot read the repository.
    """
    found = _git(root, "rev-parse", "--absolute-git-dir")
    if found.returncode != 0:
        raise RepositoryError(f"not a git repository: {root}")
    git_dir = Path(found.text.strip())
    operation = finish = abort = None
    for marker, name, finish_with, abort_with in _OPERATIONS:
        if (git_dir / marker).exists():
            operation, finish, abort = name, finish_with, abort_with
            break
    unborn = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode != 0
    detached_at = None
    if _git(root, "symbolic-ref", "--quiet", "HEAD").returncode != 0 and not unborn:
        detached_at = _git(root, "rev-parse", "--short", "HEAD").text.strip() or "?"
    return RepoState(
        root=root,
        operation=operation,
        finish=finish or "",
        abort=abort or "",
        detached_at=detached_at,
        unborn=unborn,
        conflicted=tuple(conflicted_paths(root)),
    )
