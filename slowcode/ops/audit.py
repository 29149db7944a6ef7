"""Auditing step commits against their provenance notes, for CI and for reviewers.

For every commit in a range that carries slowcode's trailers, the audit checks
what a reviewer of the pull request cannot see in the diff: that a note exists,
that the diff it was made for is the commit's diff, that every hunk in it has a
human verdict and, when the session's journal is on this machine, that the note's
hash-chain head is an event of that journal. An undo's revert commit has no note:
it is checked to be exactly the reverse of the step it names.
"""

from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass
from pathlib import Path

from slowcode.core.errors import SlowcodeError
from slowcode.core.layout import SESSIONS_DIR
from slowcode.git.commit import changed_paths, parent_or_empty_tree
from slowcode.git.notes import diff_patch_id, patch_id, read_note
from slowcode.git.runner import git_text
from slowcode.journal.log import event_hash, read_events, verify
from slowcode.journal.provenance import ProvenanceNote, build_note
from slowcode.ops.audit_lines import has_lines as _has_lines
from slowcode.ops.audit_lines import lines_problem

_FIELD, _RECORD = "\x1f", "\x1e"
_FORMAT = _FIELD.join(
    [
        "%H",
        "%s",
        "%(trailers:key=Slowcode-Session,valueonly,separator=%x1d)",
        "%(trailers:key=Slowcode-Step,valueonly,separator=%x1d)",
        "%(trailers:key=Slowcode-Undo,valueonly,separator=%x1d)",
    ]
)


@dataclass(frozen=True)
class StepCommit:
    """A commit in the range that says slowcode made it."""

    sha: str
    subject: str
    session: str
    step: int | None
    undoes: str | None = None
    """The step commit an undo reverts (`Slowcode-Undo`); None for a step."""


@dataclass(frozen=True)
class AuditFinding:
    """The audit's verdict on one step commit: `problem` is empty when it passed."""

    commit: StepCommit
    problem: str = ""
    journal_checked: bool = False

    @property
    def ok(self) -> bool:
        """True when the commit passed every check."""
        return not self.problem


def step_commits(root: Path, revisions: str) -> list[StepCommit]:
    """The commits of `revisions` (a `git log` range) with slowcode trailers, oldest first.

    Raises:
        SlowcodeError: git cannot read the range.
    """
    try:
        out = git_text(root, "log", "--reverse", f"--format={_FORMAT}{_RECORD}", revisions, "--")
    except SlowcodeError as error:
        if "bad revision" not in str(error) and "unknown revision" not in str(error):
            raise
        head = git_text(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
        if not head.strip():
            raise SlowcodeError("the repository has no commits yet") from None
        raise SlowcodeError(
            f"{revisions!r} names commits this repository does not have (a range that "
            "reaches before the first commit?); --commits HEAD checks every commit"
        ) from None
    found: list[StepCommit] = []
    for entry in out.split(_RECORD):
        parts = entry.strip("\n").split(_FIELD)
        if len(parts) != len(_FORMAT.split(_FIELD)) or not parts[2].strip():
            continue
        session, step, undoes = (part.split("\x1d")[0].strip() for part in parts[2:])
        number = int(step) if step.isdigit() else None
        found.append(StepCommit(parts[0], parts[1], session, number, undoes or None))
    return found


def audit_commit(root: Path, commit: StepCommit) -> AuditFinding:
    """Checks one step commit against its note (and its journal when present)."""
    if commit.undoes is not None:
        return _audit_undo(root, commit, commit.undoes)
    text = read_note(root, commit.sha)
    if text is None:
        return AuditFinding(commit, "no provenance note in refs/notes/slowcode")
    try:
        note = ProvenanceNote.from_text(text)
    except SlowcodeError as error:
        return AuditFinding(commit, f"unreadable provenance note: {error}")
    if note.session != commit.session or note.step != commit.step:
        return AuditFinding(
            commit,
            f"the note is for session {note.session} step {note.step}, "
            f"the trailers say session {commit.session} step {commit.step}",
        )
    if note.patch_id != patch_id(root, commit.sha):
        return AuditFinding(commit, "the commit's diff is not the diff the note was made for")
    if not note.hunks:
        return AuditFinding(commit, "the note records no reviewed hunk")
    undecided = note.undecided_hunks()
    if undecided:
        where = ", ".join(f"{h.get('file')} hunk {h.get('index')}" for h in undecided[:3])
        return AuditFinding(commit, f"{len(undecided)} hunk(s) without a human verdict: {where}")
    problem = lines_problem(root, commit.sha, note)
    if problem:
        return AuditFinding(commit, problem)
    return _against_journal(root, commit, note)


def audit_range(root: Path, revisions: str) -> list[AuditFinding]:
    """Audits every step commit of `revisions`, oldest first.

    Raises:
        SlowcodeError: git cannot read the range.
    """
    return [audit_commit(root, commit) for commit in step_commits(root, revisions)]


def _audit_undo(root: Path, commit: StepCommit, undone: str) -> AuditFinding:
    """An undo has no note of its own: it must revert exactly what its step changed.

    Its diff must be the step's diff reversed, over the files it touches (a
    decision record the step created is kept, so an undo may touch fewer).
    """
    try:
        paths = changed_paths(root, commit.sha)
        step_paths = set(changed_paths(root, undone))
        base = parent_or_empty_tree(root, undone)
        reverted = git_text(root, "diff", "--no-color", "--no-ext-diff", undone, base, "--", *paths)
    except SlowcodeError:
        return AuditFinding(commit, f"the step it undoes ({undone[:12]}) is not in this repository")
    strays = sorted(set(paths) - step_paths)
    if strays:
        return AuditFinding(commit, f"it changes {', '.join(strays)}, which its step did not")
    if diff_patch_id(root, reverted) != patch_id(root, commit.sha):
        return AuditFinding(commit, f"it is not the reverse of step commit {undone[:12]}")
    return AuditFinding(commit)


def _against_journal(root: Path, commit: StepCommit, note: ProvenanceNote) -> AuditFinding:
    """The note's hash-chain head checked against the session's journal, when it is here."""
    folder = root / SESSIONS_DIR / posixpath.basename(note.session)
    if not (folder / "journal.jsonl").is_file():
        return AuditFinding(commit)
    ok, message = verify(folder)
    if not ok:
        return AuditFinding(commit, f"the session's journal fails verification: {message}", True)
    events = read_events(folder)
    if not 0 < note.journal_seq <= len(events):
        return AuditFinding(commit, f"the journal has no event {note.journal_seq}", True)
    if event_hash(events[note.journal_seq - 1]) != note.journal_hash:
        return AuditFinding(commit, "the note's hash-chain head is not the journal's", True)
    # The journal up to that head must tell the note's story, verdict for verdict.
    told = build_note(events[: note.journal_seq], note.session, note.step, note.patch_id)
    if not _has_lines(note):
        # A note from before hunks carried their lines is compared on what it holds.
        hunks = [{k: v for k, v in hunk.items() if k != "lines"} for hunk in told.hunks]
        told = dataclasses.replace(told, hunks=hunks, unreviewed=note.unreviewed)
    if told != note:
        changed = [
            name for name in note.__dataclass_fields__ if getattr(told, name) != getattr(note, name)
        ]
        return AuditFinding(
            commit, f"the note differs from the journal in: {', '.join(changed)}", True
        )
    return AuditFinding(commit, journal_checked=True)
