"""`slowcode undo [-C PATH] [--yes]`: reverts the last applied step with a new commit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from slowcode.cli.audit_command import add_directory_option, repository_root


def run_undo(
    directory: Path,
    out: TextIO | None = None,
    *,
    yes: bool = False,
    answers: TextIO | None = None,
) -> int:
    """Says which step the undo reverts, asks, then undoes it.

    Args:
        directory: A folder inside the repository.
        out: Where the lines go (None: standard output).
        yes: Undo without asking.
        answers: Where the answer is read (None: standard input, a terminal's or
            a pipe's).

    Returns:
        0 once the revert commit is made, 1 when the developer said no or a kept
        decision record could not be committed.

    Raises:
        SlowcodeError: No repository, another slowcode works in it, or the step
            cannot be undone (the reason in one line; nothing was written).
    """
    from slowcode.git.repo import GitRepo
    from slowcode.journal.lock import InstanceLock
    from slowcode.ops.undo import plan_undo, undo_last_step

    out = out or sys.stdout
    root = repository_root(directory)
    # The lock lives in .slowcode/: it never shows in `git status`, even when nothing is undone.
    GitRepo.open(root).ensure_excluded(".slowcode/")
    # A running session would race the undo for HEAD and for its own journal.
    with InstanceLock(root):
        plan = plan_undo(root)
        print(plan.describe(), file=out)
        refusal = None if yes else _refusal(out, answers)
        if refusal is not None:
            print(refusal, file=out)
            return 1
        result = undo_last_step(root, plan)
    step = f"step {result.step} of " if result.step else ""
    print(
        f"undid {result.undone[:8]} ({step}session {result.session_id}) with commit "
        f"{result.commit[:8]}: {', '.join(result.paths)}",
        file=out,
    )
    for path, marked in zip(result.kept, result.decision_commits, strict=True):
        print(f"kept {path}, marked deprecated; {marked.line}", file=out)
    return 0 if all(marked.commit for marked in result.decision_commits) else 1


def _refusal(out: TextIO, answers: TextIO | None) -> str | None:
    """Asks `Undo it? [y/N]`; None for an explicit y, else the line saying nothing was undone.

    The answer is read from the terminal (keys typed before the question are
    dropped) or from the pipe; without one, nothing is undone.
    """
    if answers is None:
        answers = sys.stdin
        if answers.isatty():
            _drop_type_ahead()
    print("Undo it? [y/N] ", end="", file=out, flush=True)
    try:
        answer = answers.readline()
    except (OSError, ValueError):
        answer = ""
    if not answer:
        return "\nno answer: nothing was undone (--yes undoes without asking)"
    if answer.strip().lower() in ("y", "yes"):
        return None
    return "nothing was undone"


def _drop_type_ahead() -> None:
    """Discards keys typed before the question was on the screen."""
    try:
        import termios

        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError):
        return


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode undo`."""
    parser = argparse.ArgumentParser(
        prog="slowcode undo",
        description=(
            "Reverts the last step slowcode applied with a new commit; history is never "
            "rewritten. The step is HEAD, or the one beneath the decision-log commits made "
            "after it. It says which step and files first and asks (y on standard input; "
            "--yes skips the question). Refuses "
            "when that commit is not a slowcode step, was already undone, or when the "
            "step's files have uncommitted changes."
        ),
    )
    add_directory_option(parser)
    parser.add_argument(
        "-y", "--yes", action="store_true", help="undo without asking (scripts, CI)"
    )
    parser.set_defaults(run=lambda args: run_undo(Path(args.directory), yes=args.yes))
    return parser
