"""`slowcode audit verify`: session journals, or with `--commits RANGE` the step commits."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from slowcode.core.errors import SlowcodeError
from slowcode.core.literal import visible_line


def repository_root(directory: Path) -> Path:
    """The work tree of the git repository that holds `directory`.

    Raises:
        SlowcodeError: `directory` is missing or in no repository.
    """
    from slowcode.git.worktree import find_work_tree

    if not directory.is_dir():
        raise SlowcodeError(f"no such folder: {directory}")
    return find_work_tree(directory)


def run_audit_verify(directory: Path, session: str | None, out: TextIO | None = None) -> int:
    """Verifies one session's journal, or every session's; prints one line per session.

    Returns:
        0 when every journal checked is intact, 1 when one is not.

    Raises:
        SlowcodeError: No repository, or SESSION names no single session.
    """
    from slowcode.journal.log import find_sessions, resolve_session, verify

    stream = out or sys.stdout
    root = repository_root(directory)
    folders = [resolve_session(root, session)] if session else find_sessions(root)
    if not folders:
        print(f"no sessions in {root}", file=stream)
        return 0
    broken = 0
    for folder in folders:
        ok, message = verify(folder)
        broken += not ok
        print(f"{folder.name}: {'OK' if ok else 'BROKEN'}: {message}", file=stream)
    if broken:
        print(f"slowcode: {broken} of {len(folders)} journals failed verification", file=sys.stderr)
        return 1
    return 0


def run_audit_commits(directory: Path, revisions: str, out: TextIO | None = None) -> int:
    """Audits the step commits of `revisions` against their provenance notes.

    Prints one line per step commit (`OK` or what is wrong) and a summary.

    Returns:
        0 when every step commit passed (or there were none), 1 otherwise.

    Raises:
        SlowcodeError: No repository, or git cannot read the range.
    """
    from slowcode.ops.audit import audit_range

    stream = out or sys.stdout
    findings = audit_range(repository_root(directory), revisions)
    for finding in findings:
        commit = finding.commit
        status = "OK" if finding.ok else "FAIL"
        detail = finding.problem or (
            f"reverts {commit.undoes[:12]} exactly"
            if commit.undoes
            else "note matches, journal checked"
            if finding.journal_checked
            else "note matches"
        )
        line = f"{commit.sha[:12]} {status}: {detail} ({commit.subject})"
        print(visible_line(line), file=stream)
    failed = [finding for finding in findings if not finding.ok]
    if not findings:
        print(f"no slowcode step commits in {revisions}", file=stream)
    if failed:
        print(
            f"slowcode: {len(failed)} of {len(findings)} step commits failed the audit",
            file=sys.stderr,
        )
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode audit`."""
    parser = argparse.ArgumentParser(
        prog="slowcode audit",
        description="Checks the session journals in .slowcode/sessions/.",
    )
    commands = parser.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    verify = commands.add_parser(
        "verify",
        help="verify the hash chain of session journals",
        description=(
            "Verifies the hash chain of one session's journal, or of every session's: "
            "prints OK or the first broken, altered or missing event. With --commits, "
            "checks instead that every slowcode commit in RANGE has a provenance note "
            "(refs/notes/slowcode) made for its diff, with a human verdict for every hunk. "
            "Exits 1 when anything fails."
        ),
    )
    verify.add_argument(
        "--commits",
        metavar="RANGE",
        help="audit the step commits of a git range (e.g. origin/main..HEAD) instead",
    )
    verify.add_argument(
        "session",
        nargs="?",
        metavar="SESSION",
        help="a session id (or a unique prefix of one); every session when left out",
    )
    add_directory_option(verify)
    verify.set_defaults(run=_verify)
    return parser


def add_directory_option(parser: argparse.ArgumentParser) -> None:
    """Adds `-C PATH`, the folder whose repository a command works on."""
    parser.add_argument(
        "-C",
        dest="directory",
        metavar="PATH",
        default=".",
        help="run in the repository that holds PATH (default: the current folder)",
    )


def _verify(args: argparse.Namespace) -> int:
    if args.commits:
        if args.session:
            raise SlowcodeError("give either SESSION or --commits RANGE, not both")
        return run_audit_commits(Path(args.directory), args.commits)
    return run_audit_verify(Path(args.directory), args.session)
