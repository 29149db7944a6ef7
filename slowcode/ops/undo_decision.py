"""An undone step's decision record is kept, marked as undone, rather than deleted.

Reverting a step that recorded a decision would delete the record, and the log
would forget the decision was ever made. The undo leaves the record out of the
revert; then the record moves from `accepted` to `deprecated` (the lifecycle's
way out of accepted), gains a line naming the revert commit, and that change is
committed on its own like every decision-log edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from slowcode.core.atomic import write_text_atomic
from slowcode.core.decision_record import DecisionStatus
from slowcode.core.errors import SlowcodeError
from slowcode.decisions import edits
from slowcode.decisions.formats import parse_any
from slowcode.decisions.lifecycle import can_move
from slowcode.ops.decision_commits import DECISION_TRAILER, DecisionCommit, commit_decision_edit

UNDONE_ACTION = "deprecated (its step was undone)"


def records_to_keep(
    trailers: Mapping[str, Sequence[str]], paths: Sequence[str], created: Sequence[str]
) -> list[str]:
    """The decision records the step created, which its undo keeps.

    Args:
        trailers: The step commit's trailers (`Decision:` names its record).
        paths: Every path the step changed.
        created: The paths the step created (absent in its parent).
    """
    named = set(trailers.get(DECISION_TRAILER, []))
    return [path for path in paths if path in named and path in created]


def mark_undone(
    root: Path, path: str, undone: str, revert: str, today: dt.date | None = None
) -> DecisionCommit:
    """Deprecates the kept record, names the revert commit in it, and commits that.

    Args:
        root: The work tree.
        path: The record, repository-relative.
        undone: The step's commit.
        revert: The commit that reverted it.
        today: The date the record gets (None: today).

    Returns:
        The decision-log commit, or why none was made (the record stays as the
        step wrote it when it cannot be read).
    """
    file = root / path
    try:
        text = file.read_text(encoding="utf-8")
        record = parse_any(text, path)
    except (OSError, UnicodeDecodeError, SlowcodeError) as error:
        return DecisionCommit(None, f"{path} was kept but could not be marked: {error}")
    if can_move(record.status, DecisionStatus.DEPRECATED):
        date = (today or dt.date.today()).isoformat()
        text = edits.change_status(text, DecisionStatus.DEPRECATED, date=date)
    newline = "\r\n" if "\r\n" in text else "\n"
    if not text.endswith(newline):
        text += newline
    text += (
        f"{newline}The step that recorded this decision ({undone[:8]}) was undone "
        f"by commit {revert}.{newline}"
    )
    write_text_atomic(file, text)
    record.path = path
    return commit_decision_edit(root, [path], record, UNDONE_ACTION)
