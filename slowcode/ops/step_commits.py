"""Each step's commit as the current branch holds it, found by its trailers.

The journal names the commit a step made; a rebase, an amend or a squash gives
that change a new id. The `Slowcode-Session` and `Slowcode-Step` trailers travel
with the message, so one `git log` of the branch finds every step's current
commit. A squash keeps each squashed commit's message, trailers included, so its
message is read whole: one commit can hold several steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from slowcode.core.errors import SlowcodeError
from slowcode.engine.apply.commit import SESSION_TRAILER, STEP_TRAILER
from slowcode.git.runner import git_text
from slowcode.git.trailers import trailer_lines
from slowcode.ops.decision_commits import ACTION_TRAILER
from slowcode.ops.undo import UNDO_TRAILER

_FIELD, _RECORD = "\x1f", "\x1e"


@dataclass(frozen=True)
class BranchSteps:
    """The step commits of the current branch.

    Attributes:
        commits: Every commit reachable from HEAD.
        steps: (session, step) → the newest commit on the branch that carries them.
        by_commit: commit → the (session, step) pairs it carries, in message order.
    """

    commits: frozenset[str] = frozenset()
    steps: dict[tuple[str, int], str] = field(default_factory=dict)
    by_commit: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def current(self, session: str, step: int, recorded: str | None = None) -> str | None:
        """The commit step `step` of `session` is now, or None when the branch lost it.

        Args:
            session: The session's id.
            step: The step's number.
            recorded: The commit the journal names: kept when the branch still holds it.
        """
        if recorded and recorded in self.commits:
            return recorded
        return self.steps.get((session, step))

    def steps_of(self, commit: str) -> list[tuple[str, int]]:
        """The (session, step) pairs `commit` carries (more than one after a squash)."""
        return [key for key in self.by_commit.get(commit, []) if self.steps[key] == commit]


def branch_steps(root: Path) -> BranchSteps | None:
    """Reads the step commits reachable from HEAD with one `git log`.

    Undo commits (`Slowcode-Undo`) and decision-log commits (`Slowcode-Action`)
    are no step's commit and are left out. None when there is no history to read
    (no repository, or no commit yet): nothing can be said about any commit then.
    """
    try:
        out = git_text(root, "log", f"--format=%H{_FIELD}%B{_RECORD}", "HEAD")
    except SlowcodeError:
        return None
    commits: set[str] = set()
    steps: dict[tuple[str, int], str] = {}
    by_commit: dict[str, list[tuple[str, int]]] = {}
    for record in out.split(_RECORD):
        sha, separator, message = record.lstrip("\n").partition(_FIELD)
        if not separator:
            continue
        commits.add(sha)
        carried = _steps_in(message)
        if carried:
            by_commit[sha] = carried
        for key in carried:
            # `git log` lists the newest first: a step picked twice is its newest copy.
            steps.setdefault(key, sha)
    return BranchSteps(frozenset(commits), steps, by_commit)


def _steps_in(message: str) -> list[tuple[str, int]]:
    """The (session, step) pairs of every trailer block of a message."""
    found: list[tuple[str, int]] = []
    session: str | None = None
    for key, value in trailer_lines(message):
        if key in (UNDO_TRAILER, ACTION_TRAILER):
            return []
        if key == SESSION_TRAILER:
            session = value
        elif key == STEP_TRAILER and session and value.isdigit():
            found.append((session, int(value)))
            session = None
    return found
