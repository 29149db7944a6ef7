"""Undoing the last applied step with a new commit that reverts it; history is never rewritten.

Only HEAD is undone, and only when it is a slowcode step (it carries a
`Slowcode-Session` trailer) that is not itself an undo. The step's files are put
back to their bytes in the step's parent, then committed through the same
temporary-index plumbing as a step (`GitRepo.commit_step`), so the developer's
other staged and unstaged work is left alone.

Nothing is written when a file the step touched has uncommitted changes. A file
already holding its parent's bytes counts as clean: that is what an undo cut short
between its writes and its commit leaves, so running `undo` again completes it.
The undo is journaled in the step's session journal (`undo_started` before the
first write, `undo_made` after the commit), or in a journal of its own when that
session's journal is not on this machine.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from slowcode.core.atomic import write_bytes_atomic
from slowcode.core.errors import SlowcodeError
from slowcode.engine.apply.commit import SESSION_TRAILER, STEP_TRAILER, disk_bytes, read_blob
from slowcode.git import repo_state
from slowcode.git.repo import GitRepo
from slowcode.git.runner import git_text
from slowcode.journal import events as ev
from slowcode.journal.log import JOURNAL_FILE, SESSIONS_DIR, Journal
from slowcode.ops.decision_commits import ACTION_TRAILER, DecisionCommit
from slowcode.ops.undo_decision import UNDONE_ACTION, mark_undone, records_to_keep

UNDO_TRAILER = "Slowcode-Undo"
_REGULAR = "100644"
_EXECUTABLE = "100755"


class UndoRefused(SlowcodeError):
    """The last step cannot be undone; nothing was written."""


@dataclass(frozen=True)
class UndoResult:
    """A step undone.

    Attributes:
        undone: The step's commit.
        commit: The new commit that reverts it.
        session_id: The step's session.
        step: The step's number in its session ("" when the trailer is missing).
        paths: The files put back to their state before the step.
        kept: The decision records the step created, kept and marked as undone.
        decision_commits: The commits that marked them (or why none was made).
    """

    undone: str
    commit: str
    session_id: str
    step: str
    paths: list[str]
    kept: list[str] = field(default_factory=list)
    decision_commits: list[DecisionCommit] = field(default_factory=list)


@dataclass(frozen=True)
class _Entry:
    mode: str
    blob: str


def undo_last_step(root: Path) -> UndoResult:
    """Reverts HEAD, the last step slowcode applied, with a new commit.

    Args:
        root: A folder inside the repository.

    Returns:
        What was undone and the new commit.

    Raises:
        UndoRefused: HEAD is not a slowcode step, was already undone, or its files
            have uncommitted changes; nothing was written.
        RepositoryError: git refused, or the repository is mid-merge or mid-rebase.
    """
    repo = GitRepo.open(root)
    repo_state.inspect(repo.root).ensure_workable()
    head = repo.head_sha()
    if head is None:
        raise UndoRefused("nothing to undo: the repository has no commits")
    trailers = repo.trailers(head)
    short = head[:8]
    if trailers.get(ACTION_TRAILER) == [UNDONE_ACTION]:
        # The decision-log commit that follows an undo: the undo itself is its parent.
        revert = git_text(repo.root, "rev-parse", f"{head}^").strip()
        undone = repo.trailers(revert).get(UNDO_TRAILER, ["?"])[0][:8]
        raise UndoRefused(f"the last slowcode step ({undone}) was already undone by {revert[:8]}")
    if UNDO_TRAILER in trailers:
        undone = trailers[UNDO_TRAILER][0][:8]
        raise UndoRefused(f"the last slowcode step ({undone}) was already undone by HEAD ({short})")
    if SESSION_TRAILER not in trailers:
        raise UndoRefused(
            f"HEAD ({short}) is not a slowcode step (no {SESSION_TRAILER} trailer); "
            "slowcode undoes only its own commits"
        )
    if repo.identity() is None:
        raise UndoRefused(repo.identity_hint())
    parents = git_text(repo.root, "rev-list", "--parents", "-n1", head).split()[1:]
    if len(parents) > 1:
        raise UndoRefused(f"HEAD ({short}) is a merge commit; slowcode steps never are")
    parent = parents[0] if parents else None
    changed = _changed_paths(repo.root, head)
    before = _entries(repo.root, parent, changed)
    after = _entries(repo.root, head, changed)
    _refuse_uncommitted(repo.root, changed, before, after)
    created = [path for path in changed if path not in before]
    kept = records_to_keep(trailers, changed, created)
    paths = [path for path in changed if path not in kept] or changed
    kept = [path for path in kept if path not in paths]

    session_id = trailers[SESSION_TRAILER][0]
    step = trailers.get(STEP_TRAILER, [""])[0]
    repo.ensure_excluded(".slowcode/")
    journal = _journal_for(repo.root, session_id)
    journal.record(
        ev.UndoStarted(commit=head, session=session_id, step=step, paths=paths), sync=True
    )
    for path in paths:
        _restore(repo.root, path, before.get(path))
    subject = git_text(repo.root, "log", "-1", "--format=%s", head).strip()
    commit = repo.commit_step(
        paths,
        f'Revert "{subject}"',
        f"This reverts commit {head}, step {step or '?'} of slowcode session {session_id}.",
        [(UNDO_TRAILER, head), (SESSION_TRAILER, session_id)],
    )
    journal.record(
        ev.UndoMade(commit=head, undo_commit=commit, session=session_id, step=step, paths=paths),
        sync=True,
    )
    marked = [mark_undone(repo.root, path, head, commit) for path in kept]
    return UndoResult(head, commit, session_id, step, paths, kept, marked)


def _journal_for(root: Path, session_id: str) -> Journal:
    """The session's own journal when it is here, else a new one holding just the undo."""
    folder = root / SESSIONS_DIR / session_id
    if (folder / JOURNAL_FILE).is_file():
        return Journal.open(folder)
    return Journal.create(root)


def _changed_paths(root: Path, commit: str) -> list[str]:
    # --root: a root commit is compared with the empty tree.
    out = git_text(
        root,
        "diff-tree",
        "-r",
        "-z",
        "--no-renames",
        "--no-commit-id",
        "--name-only",
        "--root",
        commit,
    )
    return [path for path in out.split("\0") if path]


def _entries(root: Path, commit: str | None, paths: list[str]) -> dict[str, _Entry]:
    """Each path's mode and blob in `commit` (absent paths left out)."""
    if commit is None or not paths:
        return {}
    out = git_text(root, "ls-tree", "-z", "--full-tree", commit, "--", *paths)
    found: dict[str, _Entry] = {}
    for record in out.split("\0"):
        if not record:
            continue
        meta, _tab, path = record.partition("\t")
        mode, kind, blob = meta.split()
        if kind != "blob" or mode not in (_REGULAR, _EXECUTABLE):
            raise UndoRefused(f"{path} is not a regular file in {commit[:8]}; undo it with git")
        found[path] = _Entry(mode, blob)
    return found


def _refuse_uncommitted(
    root: Path, paths: list[str], before: dict[str, _Entry], after: dict[str, _Entry]
) -> None:
    staged = git_text(root, "diff", "--cached", "--name-only", "-z", "HEAD", "--", *paths)
    dirty = {path for path in staged.split("\0") if path}
    for path in paths:
        now = disk_bytes(root / path)
        allowed = [_bytes(root, before.get(path)), _bytes(root, after.get(path))]
        if now not in allowed:
            dirty.add(path)
    if dirty:
        listed = ", ".join(sorted(dirty))
        raise UndoRefused(
            f"uncommitted changes in {listed}; commit or stash them before undoing the step"
        )


def _bytes(root: Path, entry: _Entry | None) -> bytes | None:
    return None if entry is None else read_blob(root, entry.blob)


def _restore(root: Path, path: str, entry: _Entry | None) -> None:
    """Puts `path` back as `entry` has it (removed when the step created it)."""
    target = root / path
    if entry is None:
        if target.exists() or target.is_symlink():
            target.unlink()
        _remove_empty_folders(root, target.parent)
        return
    data = read_blob(root, entry.blob)
    target.parent.mkdir(parents=True, exist_ok=True)
    if disk_bytes(target) != data:
        write_bytes_atomic(target, data)
    # The executable bit is part of what git commits, so it goes back too.
    mode = stat.S_IMODE(target.stat().st_mode)
    wanted = mode | 0o111 if entry.mode == _EXECUTABLE else mode & ~0o111
    if wanted != mode:
        target.chmod(wanted)


def _remove_empty_folders(root: Path, folder: Path) -> None:
    """Removes folders the step's files left empty, up to the work tree's top."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
