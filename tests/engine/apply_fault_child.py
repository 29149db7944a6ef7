"""Runs one step's apply (or a recovery) and SIGKILLs itself at a numbered point.

Usage: python apply_fault_child.py ROOT MODE KILL_AT

MODE is `apply` (apply the scripted step) or `recover` (recover an interrupted
apply). Points are counted before and after every journal append, file write,
blob store and git command; at point KILL_AT (1-based) the process sends itself
SIGKILL, as a crash or `kill -9` would. The number of points reached is printed
when the run was not killed.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT_OF_PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT_OF_PROJECT))

from slowcode.core.decision_record import DecisionRecord  # noqa: E402
from slowcode.core.step_review import StepReview, Verdict  # noqa: E402
from slowcode.decisions.store import DecisionStore  # noqa: E402
from slowcode.engine.apply import commit as step_commit  # noqa: E402
from slowcode.engine.session.recovery import recover_apply  # noqa: E402
from slowcode.engine.staging.diffs import diff_texts  # noqa: E402
from slowcode.git import commit as gitcommit  # noqa: E402
from slowcode.git import repo as gitrepo  # noqa: E402
from slowcode.journal import log as journal  # noqa: E402
from slowcode.journal.log import Journal, find_sessions  # noqa: E402

OLD_A = "".join(f"line {n}\n" for n in range(1, 30))
NEW_A = OLD_A.replace("line 3\n", "line three\n").replace("line 25\n", "line twenty-five\n")
OLD_B = "def b():\n    return 1\n"
NEW_B = "def b():\n    return 2\n"
NEW_C = "created = True\n"
TEXTS: dict[str, tuple[str | None, str]] = {
    "a.txt": (OLD_A, NEW_A),
    "pkg/b.py": (OLD_B, NEW_B),
    "pkg/new/c.py": (None, NEW_C),
}
MODEL = "claude-sonnet-5-5"

_count = 0
_kill_at = 0


def point() -> None:
    """Counts one point; dies here when it is the chosen one."""
    global _count
    _count += 1
    if _count == _kill_at:
        os.kill(os.getpid(), signal.SIGKILL)


def around(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        point()
        result = function(*args, **kwargs)
        point()
        return result

    return wrapper


def install_points() -> None:
    journal.Journal.append = around(journal.Journal.append)  # type: ignore[method-assign]
    # The committer's own names for the writer and the git runner are the ones it calls.
    step_commit.write_bytes_atomic = around(step_commit.write_bytes_atomic)  # type: ignore[attr-defined]
    step_commit.run_git = around(step_commit.run_git)  # type: ignore[attr-defined]
    step_commit.git_text = around(step_commit.git_text)  # type: ignore[attr-defined]
    gitrepo.GitRepo._run = around(gitrepo.GitRepo._run)  # type: ignore[method-assign]
    gitcommit.run_git = around(gitcommit.run_git)  # type: ignore[attr-defined]


def scripted_review() -> StepReview:
    files = diff_texts(TEXTS)
    review = StepReview(1, "Rename lines", "Spell out two numbers.", files)
    for position, hunk in enumerate(review.hunks):
        # The second hunk of a.txt is rejected: the commit must hold only the first.
        verdict = Verdict.REJECTED if hunk.file == "a.txt" and hunk.index == 1 else Verdict.ACCEPTED
        review.set_verdict(position, verdict)
    review.decision = DecisionRecord(
        title="Spell numbers out", context="Readers asked.", outcome="Use words."
    )
    return review


def main() -> None:
    global _kill_at
    root, mode, kill_at = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    folder = find_sessions(root)[-1]
    session = Journal.open(folder)
    repo = gitrepo.GitRepo.open(root)
    committer = step_commit.StepCommitter(
        repo, DecisionStore(root), session.session_id, MODEL, session.record
    )
    review = scripted_review() if mode == "apply" else None
    _kill_at = kill_at
    install_points()
    if review is not None:
        committer.apply(review, review.decision)
    else:
        recover_apply(committer, session.events())
    print(_count)


if __name__ == "__main__":
    main()
