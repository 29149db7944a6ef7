"""Finishing an apply a crash interrupted, before a session resumes.

An `apply_intent` with no `commit_made` (or `apply_rolled_back`) after it means
the process stopped somewhere between the intent and the commit. Each of the
intent's files then holds either its old bytes or its new ones (writes are
atomic), so the apply can be completed: the files still old are written, and the
commit is made unless one with the session's and step's trailers already exists.
When a file holds neither (the developer changed it since), completing would
overwrite their work, so the apply is rolled back instead: files already new get
their old bytes back, and the step is applied again through the normal path,
which merges or reports the conflict. When git or a hook refuses the commit,
the apply is rolled back the same way (a hook's change to the files with it), so
the normal path meets the refusal again where the developer is shown its output
and chooses.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from slowcode.core.atomic import TEMPORARY_SUFFIX, write_bytes_atomic
from slowcode.engine.apply.commit import (
    ApplyConflict,
    ApplyIntent,
    StepCommitter,
    disk_bytes,
    read_blob,
    roll_back,
)
from slowcode.git.commit import CommitRefused
from slowcode.journal import events as ev
from slowcode.journal.log import Event, entries_of

COMPLETED = "completed"
ROLLED_BACK = "rolled_back"
REFUSED = "refused"


@dataclass(frozen=True)
class Recovery:
    """What recovering an interrupted apply did.

    Attributes:
        step: The step whose apply was interrupted.
        outcome: `completed`, `rolled_back` (a file changed since the crash), or
            `refused` (git or a hook refused the commit; rolled back too).
        commit: The step's commit when completed.
        conflicts: The files that changed since (why it was rolled back).
    """

    step: int
    outcome: str
    commit: str | None = None
    conflicts: list[str] = field(default_factory=list)


def interrupted_intent(events: list[Event]) -> ApplyIntent | None:
    """The last `apply_intent` that neither a commit nor a rollback followed."""
    open_intent: ev.ApplyIntentRecorded | None = None
    for entry in entries_of(events):
        match entry.event:
            case ev.ApplyIntentRecorded() as intent:
                open_intent = intent
            case ev.CommitMade(step=step) | ev.ApplyRolledBack(step=step) if (
                open_intent is not None and step == open_intent.step
            ):
                open_intent = None
    return None if open_intent is None else ApplyIntent.from_json(open_intent.to_data())


def recover_apply(committer: StepCommitter, events: list[Event]) -> Recovery | None:
    """Completes or rolls back the interrupted apply in `events`, journaling what it did.

    Returns:
        What was done, or None when no apply was interrupted.

    Raises:
        RepositoryError: git failed while committing (other than refusing it); the
            intent stays open, so the next start tries again.
    """
    intent = interrupted_intent(events)
    if intent is None:
        return None
    root = committer.repo.root
    _remove_temporaries(root, intent)
    try:
        applied = committer.execute(intent, recovering=True)
    except ApplyConflict as conflict:
        restored = roll_back(root, intent)
        committer.record(
            ev.ApplyRolledBack(step=intent.step, conflicts=conflict.paths, restored=restored),
            sync=True,
        )
        return Recovery(intent.step, ROLLED_BACK, conflicts=conflict.paths)
    except CommitRefused:
        # Nobody is there to ask yet: the writes are undone, and applying the step again
        # through the normal path meets the refusal where the developer sees and answers it.
        restored = _undo_writes(root, intent)
        committer.record(
            ev.ApplyRolledBack(step=intent.step, conflicts=[], restored=restored), sync=True
        )
        return Recovery(intent.step, REFUSED)
    committer.record(ev.ApplyRecovered(step=intent.step, commit=applied.commit), sync=True)
    return Recovery(intent.step, COMPLETED, commit=applied.commit)


def _undo_writes(root: Path, intent: ApplyIntent) -> list[str]:
    """Gives each of the intent's files its old bytes back, a hook's change to it too.

    Before the refused commit every file held its old or its new bytes (else the
    apply would have been rolled back as a conflict), so what differs now is the
    step's write or the hook's.
    """
    restored: list[str] = []
    for planned in intent.files:
        target = root / planned.path
        old = None if planned.before_blob is None else read_blob(root, planned.before_blob)
        if disk_bytes(target) == old:
            continue
        if old is None:
            target.unlink(missing_ok=True)
        else:
            write_bytes_atomic(target, old)
        restored.append(planned.path)
    return restored


def _remove_temporaries(root: Path, intent: ApplyIntent) -> None:
    """Removes the temporary files a write killed before its rename left behind."""
    for planned in intent.files:
        target = root / planned.path
        if not target.parent.is_dir():
            continue
        for leftover in target.parent.glob(f".{target.name}.*{TEMPORARY_SUFFIX}"):
            with contextlib.suppress(OSError):
                leftover.unlink()
