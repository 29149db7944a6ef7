"""Decision-log edits made as commits of their own, with trailers saying what changed.

A status change or a supersede, from the TUI or the shell, is committed on its
own with `git commit` (hooks, signing and identity as the developer's git makes
them, over a temporary index, so nothing else the developer has staged or
changed goes in). The `Decision:` trailer names the record, as in a step's
commit; `Slowcode-Action:` says what was done to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slowcode.core.decision_record import DecisionRecord
from slowcode.core.errors import SlowcodeError
from slowcode.git.commit import CommitRefused
from slowcode.git.repo import GitRepo

ACTION_TRAILER = "Slowcode-Action"
DECISION_TRAILER = "Decision"


@dataclass(frozen=True)
class DecisionCommit:
    """What became of a decision-log edit's commit.

    Attributes:
        commit: The new commit's id, None when none was made.
        problem: Why none was made, one line ("" when one was).
        output: What git and its hooks printed when they refused, in full.
    """

    commit: str | None
    problem: str = ""
    output: str = ""

    @property
    def line(self) -> str:
        """`committed 1a2b3c4d` or `not committed: …`."""
        if self.commit:
            return f"committed {self.commit[:8]}"
        return f"not committed: {self.problem}"


def commit_decision_edit(
    root: Path, paths: Sequence[str], record: DecisionRecord, action: str
) -> DecisionCommit:
    """Commits the decision-log files an edit changed, and only those.

    Args:
        root: A folder inside the repository.
        paths: The files the edit wrote, repository-relative (the record's first).
        record: The record the edit was about.
        action: What was done, for the subject and the trailer: `accepted`,
            `rejected`, `deprecated`, `proposed`, `superseded by 0007`.

    Returns:
        The commit made, or why none was (a hook refused, no git identity): the
        files stay written and the developer can commit them by hand.
    """
    number = f"{record.record_id} " if record.record_id else ""
    subject = f"Decision {number}{action}: {record.title}"
    trailers = [(DECISION_TRAILER, path) for path in paths]
    trailers.append((ACTION_TRAILER, action))
    try:
        repo = GitRepo.open(root)
        commit = repo.commit_step(list(paths), subject, "", trailers)
    except CommitRefused as refused:
        return DecisionCommit(None, _one_line(refused), refused.output)
    except SlowcodeError as error:
        return DecisionCommit(None, _one_line(error))
    return DecisionCommit(commit)


def supersede_action(old: DecisionRecord) -> str:
    """The `Slowcode-Action` of a supersede: `supersedes 0003`."""
    return f"supersedes {old.record_id}" if old.record_id else "supersedes"


def _one_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
