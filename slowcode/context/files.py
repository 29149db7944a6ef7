"""The repository's files as the model may see them: a flat list and the `view` folder listing."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from slowcode.context.policy import ContextPolicy
from slowcode.core.errors import RepositoryError
from slowcode.git.runner import git_text

_GIT_TIMEOUT_SECONDS = 60


def _git_visible_files(root: Path) -> list[str]:
    """Tracked files plus untracked files that are not ignored, as git lists them."""
    args = ("ls-files", "--cached", "--others", "--exclude-standard", "-z")
    try:
        listed = git_text(root, *args, timeout=_GIT_TIMEOUT_SECONDS)
    except RepositoryError as error:
        raise RepositoryError(f"git could not list the files of {root}: {error}") from None
    return [p for p in listed.split("\0") if p]


def list_files(root: Path, policy: ContextPolicy) -> list[str]:
    """Every file the model may see: tracked and untracked-not-ignored, minus exclusions.

    Files deleted from the working tree (still in the index) and submodule
    folders are left out.

    Args:
        root: The repository's working tree.
        policy: The context policy whose exclusions are removed.

    Returns:
        Repository-relative POSIX paths, sorted, without duplicates.

    Raises:
        RepositoryError: git could not list the files.
    """
    files: set[str] = set()
    for rel in _git_visible_files(root):
        absolute = root / rel
        if not os.path.lexists(absolute) or absolute.is_dir():
            continue
        if policy.is_excluded(rel):
            continue
        files.add(rel)
    return sorted(files)


def directory_listing(
    root: Path,
    rel_dir: str,
    policy: ContextPolicy,
    depth: int = 2,
    *,
    extra_files: Iterable[str] = (),
) -> str:
    """The text the editor tool's `view` returns for a folder.

    Folders and files up to `depth` levels below `rel_dir`, built from the files
    the model may see (so ignored and excluded files, and folders holding only
    such files, are left out). Folders end with `/`.

    Args:
        root: The repository's working tree.
        rel_dir: The folder, repository-relative (`.` for the root).
        policy: The context policy.
        depth: How many levels below `rel_dir` to show.
        extra_files: Files that exist only in the step's staged edits.

    Returns:
        A header line and one repository-relative path per line.
    """
    rel_dir = rel_dir.strip("/") or "."
    prefix = "" if rel_dir == "." else rel_dir + "/"
    entries: set[str] = set()
    for rel in {*list_files(root, policy), *extra_files}:
        if not rel.startswith(prefix):
            continue
        parts = rel[len(prefix) :].split("/")
        for level in range(1, min(len(parts), depth) + 1):
            is_folder = level < len(parts)
            entry = prefix + "/".join(parts[:level])
            entries.add(entry + "/" if is_folder else entry)
    shown = "the repository root" if rel_dir == "." else rel_dir
    header = (
        f"Here are the files and folders up to {depth} levels deep in {shown}, "
        "leaving out ignored and excluded files:"
    )
    if not entries:
        return f"{header}\n(no files)\n"
    return header + "\n" + "\n".join(sorted(entries)) + "\n"
