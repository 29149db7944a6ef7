"""Provenance notes in git: one note per step commit under `refs/notes/slowcode`.

Notes are git's own way of attaching data to a commit without changing it. They
travel with `git push`/`git fetch` of their ref, survive clones that fetch it, and
follow their commit across `git commit --amend` and `git rebase` once
`notes.rewriteRef` names the ref (which `configure_rewrite` sets).
"""

from __future__ import annotations

from pathlib import Path

from slowcode.git.runner import GitError, run_git

NOTES_REF = "refs/notes/slowcode"


def read_note(root: Path, commit: str) -> str | None:
    """The slowcode note of `commit`, or None when it has none."""
    result = run_git(root, "notes", f"--ref={NOTES_REF}", "show", commit, check=False)
    return result.text if result.ok else None


def write_note(root: Path, commit: str, text: str) -> None:
    """Attaches `text` as the slowcode note of `commit`, replacing one it had.

    Raises:
        GitError: git could not write the note.
    """
    run_git(root, "notes", f"--ref={NOTES_REF}", "add", "-f", "-F", "-", commit, stdin=text)


def noted_commits(root: Path) -> set[str]:
    """Every commit that has a slowcode note (none when the ref does not exist yet)."""
    result = run_git(root, "notes", f"--ref={NOTES_REF}", "list", check=False)
    if not result.ok:
        return set()
    return {line.split()[1] for line in result.text.splitlines() if len(line.split()) == 2}


def configure_rewrite(root: Path) -> bool:
    """Makes notes follow their commits across amend and rebase (`notes.rewriteRef`).

    Adds the ref to the repository's own `notes.rewriteRef` values, keeping any
    others; `notes.rewrite.amend` and `notes.rewrite.rebase` are git's defaults (on).

    Returns:
        True when the setting was added now, False when it was already there.
    """
    values = run_git(root, "config", "--get-all", "notes.rewriteRef", check=False).text
    if NOTES_REF in values.split():
        return False
    run_git(root, "config", "--add", "notes.rewriteRef", NOTES_REF)
    return True


def patch_id(root: Path, commit: str) -> str | None:
    """The stable patch id of `commit`'s diff to its first parent (None for an empty diff).

    `git patch-id --stable` ignores line numbers and whitespace, so a rebase that
    moves the change keeps its id while any change to the diff's content does not.
    """
    shown = run_git(root, "show", "--no-color", "--no-ext-diff", "--format=", "-p", commit)
    return diff_patch_id(root, shown.stdout)


def diff_patch_id(root: Path, diff: bytes | str) -> str | None:
    """The stable patch id of a diff's text (None for an empty diff, or one git cannot read)."""
    if not diff.strip():
        return None
    try:
        ids = run_git(root, "patch-id", "--stable", stdin=diff).text.split()
    except GitError:
        return None
    return ids[0] if ids else None
