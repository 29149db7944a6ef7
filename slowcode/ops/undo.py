"""Undoing the last applied step with a new commit that reverts it; history is never rewritten.

Only the last step is undone: HEAD, or the step beneath the decision-log commits
(`Slowcode-Action`) made after it, and only when it is a slowcode step (it carries
a `Slowcode-Session` trailer) that is not itself an undo. `plan_undo` says what an
undo would change without writing anything, so it can be confirmed first. The step's files are put
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
from slowcode.git.commit import changed_paths
from slowcode.git.repo import GitRepo
from slowcode.git.runner import git_text
from slowcode.journal import events as ev
from slowcode.journal.log import JOURNAL_FILE, SESSIONS_DIR, Journal
from slowcode.ops.decision_commits import ACTION_TRAILER, DecisionCommit
from slowcode.ops.undo_decision import UNDONE_ACTION, mark_undone, records_to_keep

UNDO_TRAILER = "Slowcode-Undo"
_REGULAR = "100644"
_EXECUTABLE = "100755"
_MAX_DECISION_COMMITS = 50


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


@dataclass(frozen=True)
class UndoPlan:
    """What an undo would do, found without writing anything.

    Attributes:
        root: The work tree.
        head: HEAD when the plan was made.
        target: The step's commit.
        subject: The step commit's subject line.
        session_id: The step's session.
        step: The step's number in its session ("" when the trailer is missing).
        paths: The files the undo puts back to their state before the step.
        kept: The decision records the step created, kept and marked as undone.
        before: Each path's entry in the step's parent (absent: the step created it).
    """

    root: Path
    head: str
    target: str
    subject: str
    session_id: str
    step: str
    paths: list[str]
    kept: list[str]
    before: dict[str, _Entry]

    def describe(self) -> str:
        """One sentence naming the step and what its undo changes."""
        step = f"step {self.step} " if self.step else ""
        text = (
            f'Undo {step}"{self.subject}" ({self.target[:8]}) with a new commit that '
            f"reverts {', '.join(self.paths)}"
        )
        if self.kept:
            text += f"; {', '.join(self.kept)} stays, marked deprecated"
        return text + "."


def plan_undo(root: Path) -> UndoPlan:
    """Finds the last step slowcode applied and what undoing it would change.

    The step is HEAD, or the commit beneath the decision-log commits made after it.

    Args:
        root: A folder inside the repository.

    Raises:
        UndoRefused: HEAD is not a slowcode step, was already undone, or its files
            have uncommitted changes.
        RepositoryError: git refused, or the repository is mid-merge or mid-rebase.
    """
    repo = GitRepo.open(root)
    repo_state.inspect(repo.root).ensure_workable()
    head = repo.head_sha()
    if head is None:
        raise UndoRefused("nothing to undo: the repository has no commits")
    target, later, trailers, short = _step_to_undo(repo, head)
    if repo.identity() is None:
        raise UndoRefused(repo.identity_hint())
    parents = git_text(repo.root, "rev-list", "--parents", "-n1", target).split()[1:]
    if len(parents) > 1:
        raise UndoRefused(f"{short} is a merge commit; slowcode steps never are")
    changed = changed_paths(repo.root, target)
    before = _entries(repo.root, parents[0] if parents else None, changed)
    # Compared with the tip: a decision-log commit after the step may hold a record's bytes.
    _refuse_uncommitted(repo.root, changed, before, _entries(repo.root, head, changed))
    created = [path for path in changed if path not in before]
    kept = records_to_keep(trailers, changed, created)
    paths = [path for path in changed if path not in kept] or changed
    kept = [path for path in kept if path not in paths]
    _refuse_changed_later(repo.root, paths, later)
    return UndoPlan(
        root=repo.root,
        head=head,
        target=target,
        subject=git_text(repo.root, "log", "-1", "--format=%s", target).strip(),
        session_id=trailers[SESSION_TRAILER][0],
        step=trailers.get(STEP_TRAILER, [""])[0],
        paths=paths,
        kept=kept,
        before=before,
    )


def undo_last_step(root: Path, plan: UndoPlan | None = None) -> UndoResult:
    """Reverts the last step slowcode applied with a new commit.

    Args:
        root: A folder inside the repository.
        plan: The plan the developer confirmed (None: planned now).

    Returns:
        What was undone and the new commit.

    Raises:
        UndoRefused: As `plan_undo`, or the repository changed since `plan` was
            made; nothing was written.
        RepositoryError: git refused, or the repository is mid-merge or mid-rebase.
    """
    # Planned again: the files may have changed while the developer read the plan.
    fresh = plan_undo(root)
    if plan is not None and fresh != plan:
        raise UndoRefused("the repository changed since the undo was confirmed; nothing was undone")
    plan = fresh
    repo = GitRepo.open(plan.root)
    repo.ensure_excluded(".slowcode/")
    journal = _journal_for(repo.root, plan.session_id)
    journal.record(
        ev.UndoStarted(
            commit=plan.target, session=plan.session_id, step=plan.step, paths=plan.paths
        ),
        sync=True,
    )
    for path in plan.paths:
        _restore(repo.root, path, plan.before.get(path))
    commit = repo.commit_step(
        plan.paths,
        f'Revert "{plan.subject}"',
        f"This reverts commit {plan.target}, step {plan.step or '?'} of slowcode session "
        f"{plan.session_id}.",
        [(UNDO_TRAILER, plan.target), (SESSION_TRAILER, plan.session_id)],
    )
    journal.record(
        ev.UndoMade(
            commit=plan.target,
            undo_commit=commit,
            session=plan.session_id,
            step=plan.step,
            paths=plan.paths,
        ),
        sync=True,
    )
    marked = [mark_undone(repo.root, path, plan.target, commit) for path in plan.kept]
    return UndoResult(
        plan.target, commit, plan.session_id, plan.step, plan.paths, plan.kept, marked
    )


def _last_step(repo: GitRepo, head: str) -> tuple[str, list[str]]:
    """The commit to undo: HEAD, or the one beneath the decision-log commits made since.

    A status change or a supersede is committed on its own (`Slowcode-Action`), so
    deciding on a record after a step must not hide the step from its undo.

    Returns:
        The commit and the decision-log commits above it, newest first.

    Raises:
        UndoRefused: The decision-log commit is the one an undo made.
    """
    later: list[str] = []
    commit = head
    while len(later) < _MAX_DECISION_COMMITS:
        action = repo.trailers(commit).get(ACTION_TRAILER)
        if not action:
            return commit, later
        parents = git_text(repo.root, "rev-list", "--parents", "-n1", commit).split()[1:]
        if action == [UNDONE_ACTION] and len(parents) == 1:
            # The decision-log commit that follows an undo: the undo itself is its parent.
            undone = repo.trailers(parents[0]).get(UNDO_TRAILER, ["?"])[0][:8]
            raise UndoRefused(
                f"the last slowcode step ({undone}) was already undone by {parents[0][:8]}"
            )
        if len(parents) != 1:
            break
        later.append(commit)
        commit = parents[0]
    raise UndoRefused(
        f"HEAD ({head[:8]}) is a decision-log commit with no slowcode step beneath it "
        f"within {_MAX_DECISION_COMMITS} commits; undo it with git"
    )


def _refuse_changed_later(root: Path, paths: list[str], later: list[str]) -> None:
    """Refuses when a decision-log commit after the step changed a file the undo restores."""
    for commit in later:
        touched = set(changed_paths(root, commit)) & set(paths)
        if touched:
            raise UndoRefused(
                f"{', '.join(sorted(touched))} changed again in {commit[:8]} after the step; "
                "undo that commit with git first"
            )


def head_is_undoable(root: Path) -> bool:
    """Whether there is a step for `u` and `slowcode undo` to revert (see `plan_undo`).

    Only trailers are read (HEAD's, and the decision-log commits' above a step: a
    few quick git commands), so the key bar can ask after every change; whether
    the step's files are clean is left to the undo itself.
    """
    try:
        repo = GitRepo.open(root)
        head = repo.head_sha()
        if head is None:
            return False
        _step_to_undo(repo, head)
    except SlowcodeError:
        return False
    return True


def _step_to_undo(repo: GitRepo, head: str) -> tuple[str, list[str], dict[str, list[str]], str]:
    """The last step's commit, the decision-log commits above it, its trailers and its name.

    Raises:
        UndoRefused: That commit is no slowcode step, or was undone already.
    """
    target, later = _last_step(repo, head)
    trailers = repo.trailers(target)
    # Named as the developer's git would name it.
    short = f"HEAD~{len(later)}" if later else f"HEAD ({target[:8]})"
    if UNDO_TRAILER in trailers:
        undone = trailers[UNDO_TRAILER][0][:8]
        raise UndoRefused(f"the last slowcode step ({undone}) was already undone by {short}")
    if SESSION_TRAILER not in trailers:
        raise UndoRefused(
            f"{short} is not a slowcode step (no {SESSION_TRAILER} trailer); "
            "slowcode undoes only its own commits"
        )
    return target, later, trailers, short


def _journal_for(root: Path, session_id: str) -> Journal:
    """The session's own journal when it is here, else a new one holding just the undo."""
    folder = root / SESSIONS_DIR / session_id
    if (folder / JOURNAL_FILE).is_file():
        return Journal.open(folder)
    return Journal.create(root)


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
