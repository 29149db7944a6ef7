"""When `git commit` refuses a step: the output in full, and the developer's choice.

The step's files are written and its intent journaled when a hook refuses, so
nothing accepted is lost. The developer then retries (after fixing something by
hand, or taking a formatter's change, shown to them first), sends the step back
to the model with the hook's output, or, by an explicit and journaled choice,
commits without hooks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import difflib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from slowcode.engine.apply.commit import (
    AppliedStep,
    ApplyIntent,
    PlannedFile,
    StepCommitter,
    read_blob,
    roll_back,
    sha256_of,
    store_blob,
)
from slowcode.engine.apply.own_edits import disk_bytes
from slowcode.engine.human import CommitChoice, RefusedCommit
from slowcode.engine.progress import CheckOutput, NoticeRaised
from slowcode.git.commit import CommitRefused
from slowcode.git.merge import merge_texts
from slowcode.journal import events as ev

if TYPE_CHECKING:
    from slowcode.engine.ports import SessionPorts

_JOURNALED_OUTPUT = 20_000


def hook_changes(root: Path, intent: ApplyIntent) -> str:
    """A diff of what changed in the intent's files since they were written ("" if nothing)."""
    pieces: list[str] = []
    for planned in intent.files:
        now = disk_bytes(root / planned.path)
        if sha256_of(now) == planned.after:
            continue
        written = read_blob(root, planned.after_blob).decode("utf-8", "replace")
        current = "" if now is None else now.decode("utf-8", "replace")
        pieces.extend(
            difflib.unified_diff(
                written.splitlines(keepends=True),
                current.splitlines(keepends=True),
                f"a/{planned.path} (as written)",
                f"b/{planned.path} (now)",
            )
        )
    return "".join(pieces)


def taken_over(root: Path, intent: ApplyIntent) -> ApplyIntent:
    """The intent with each file's bytes as they are now: a hook's (or the developer's) fix.

    Where the commit holds less than the file (the developer's own edits left out),
    the change since the write is carried onto the committed bytes too.
    """
    files: list[PlannedFile] = []
    for planned in intent.files:
        now = disk_bytes(root / planned.path)
        if sha256_of(now) == planned.after or now is None:
            files.append(planned)
            continue
        commit_blob = planned.commit_blob
        if commit_blob is not None:
            written = read_blob(root, planned.after_blob).decode("utf-8", "replace")
            committed = read_blob(root, commit_blob).decode("utf-8", "replace")
            merged = merge_texts(written, committed, now.decode("utf-8", "replace"))
            # Not clean: the fix touches the developer's own lines; commit the file as it is.
            commit_blob = store_blob(root, merged.text.encode()) if merged.clean else None
        files.append(
            dataclasses.replace(
                planned,
                after=sha256_of(now) or "",
                after_blob=store_blob(root, now),
                commit_blob=commit_blob,
            )
        )
    return dataclasses.replace(intent, files=tuple(files), contents={})


async def settle_refusal(
    flow: SessionPorts,
    committer: StepCommitter,
    intent: ApplyIntent,
    refusal: CommitRefused,
    title: str,
) -> AppliedStep | str:
    """Asks the developer what to do until the step is committed or sent back.

    Returns:
        The committed step, or the feedback for the model when it goes back (the
        step's written files then hold their old bytes again).
    """
    root = flow.root
    record: Callable[..., None] = flow.record
    while True:
        changes = refusal.changed_by_hook or hook_changes(root, intent)
        record(
            ev.CommitRefused(
                step=intent.step, output=refusal.output[-_JOURNALED_OUTPUT:], changes=changes
            ),
            sync=True,
        )
        flow.emit(NoticeRaised("error", str(refusal)))
        for line in refusal.output.splitlines():
            flow.emit(CheckOutput(line))
        choice = await flow.human.resolve_refused_commit(
            RefusedCommit(intent.step, title, refusal.output, changes)
        )
        record(ev.CommitChoiceMade(step=intent.step, choice=choice.value), sync=True)
        if choice is CommitChoice.SEND_BACK:
            restored = await asyncio.to_thread(roll_back, root, intent)
            record(ev.ApplyRolledBack(step=intent.step, conflicts=[], restored=restored), sync=True)
            return (
                "git commit refused the step, so nothing was committed and its files were "
                "put back as they were. The hook's output:\n" + refusal.output
            )
        intent = await asyncio.to_thread(taken_over, root, intent)
        if intent.files:
            record(intent.to_event(), sync=True)
        verify = choice is not CommitChoice.WITHOUT_HOOKS
        try:
            return await asyncio.to_thread(committer.execute, intent, verify=verify)
        except CommitRefused as again:
            refusal = again
