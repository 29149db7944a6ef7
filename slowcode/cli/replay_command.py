"""`slowcode replay SESSION [--check] [-C PATH]`: re-runs a session from its journal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from slowcode.cli.audit_command import add_directory_option, repository_root


def run_replay(
    directory: Path, session: str, *, check: bool = False, out: TextIO | None = None
) -> int:
    """Replays a session in a scratch worktree; with `check`, one line per step.

    Returns:
        0 when the replay ran to its end (and, with `check`, every step's tree
        matches its commit); 1 otherwise.

    Raises:
        SlowcodeError: No repository, SESSION names no single session, or the
            session cannot be replayed.
    """
    from slowcode.journal.log import resolve_session
    from slowcode.ops.replay import replay_session

    stream = out or sys.stdout
    root = repository_root(directory)
    folder = resolve_session(root, session)
    report = replay_session(root, folder)
    if check:
        for step in report.steps:
            print(step.line(), file=stream)
    if report.unused_responses:
        print(f"{report.unused_responses} recorded responses were not asked for", file=stream)
    if report.problem:
        print(f"slowcode: {report.problem}", file=sys.stderr)
        return 1
    if check and not report.ok:
        mismatched = sum(not step.matches for step in report.steps)
        print(f"slowcode: {mismatched} of {len(report.steps)} steps differ", file=sys.stderr)
        return 1
    if not check:
        print(f"replayed session {report.session_id}: {len(report.steps)} steps", file=stream)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode replay`."""
    parser = argparse.ArgumentParser(
        prog="slowcode replay",
        description=(
            "Re-runs a session from its journal in a scratch worktree (removed afterwards): "
            "the recorded model responses are served on loopback and the recorded human "
            "verdicts given back. With --check, says for each step whether the replayed "
            "tree equals the committed one, and exits 1 when one does not."
        ),
    )
    parser.add_argument("session", metavar="SESSION", help="a session id or a unique prefix")
    parser.add_argument(
        "--check", action="store_true", help="compare each step's tree with its commit"
    )
    add_directory_option(parser)
    parser.set_defaults(
        run=lambda args: run_replay(Path(args.directory), args.session, check=args.check)
    )
    return parser
