"""`slowcode undo [-C PATH]`: reverts the last applied step with a new commit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from slowcode.cli.audit_command import add_directory_option, repository_root


def run_undo(directory: Path, out: TextIO | None = None) -> int:
    """Undoes HEAD's step and prints one line saying what was reverted.

    Returns:
        0 once the revert commit is made.

    Raises:
        SlowcodeError: No repository, another slowcode works in it, or the step
            cannot be undone (the reason in one line; nothing was written).
    """
    from slowcode.journal.lock import InstanceLock
    from slowcode.ops.undo import undo_last_step

    root = repository_root(directory)
    # A running session would race the undo for HEAD and for its own journal.
    with InstanceLock(root):
        result = undo_last_step(root)
    step = f"step {result.step} of " if result.step else ""
    print(
        f"undid {result.undone[:8]} ({step}session {result.session_id}) with commit "
        f"{result.commit[:8]}: {', '.join(result.paths)}",
        file=out or sys.stdout,
    )
    for path, marked in zip(result.kept, result.decision_commits, strict=True):
        print(f"kept {path}, marked deprecated; {marked.line}", file=out or sys.stdout)
    return 0 if all(marked.commit for marked in result.decision_commits) else 1


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode undo`."""
    parser = argparse.ArgumentParser(
        prog="slowcode undo",
        description=(
            "Reverts the last step slowcode applied (HEAD) with a new commit; history is "
            "never rewritten. Refuses when HEAD is not a slowcode step, was already undone, "
            "or when the step's files have uncommitted changes."
        ),
    )
    add_directory_option(parser)
    parser.set_defaults(run=lambda args: run_undo(Path(args.directory)))
    return parser
