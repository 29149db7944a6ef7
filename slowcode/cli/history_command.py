"""`slowcode history [--json] [-C PATH]`: every session, its steps, verdicts, commits and cost."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from slowcode.cli.audit_command import add_directory_option, repository_root
from slowcode.core.literal import visible_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from slowcode.ops.step_history import SessionHistory, StepHistory


def run_history(directory: Path, *, as_json: bool = False, out: TextIO | None = None) -> int:
    """Prints the repository's session history, oldest session first.

    Returns:
        0.

    Raises:
        SlowcodeError: `directory` is in no repository.
    """
    from slowcode.ops.history import load_history

    stream = out or sys.stdout
    root = repository_root(directory)
    sessions = load_history(root)
    if as_json:
        print(json.dumps([s.to_json() for s in sessions], indent=2), file=stream)
        return 0
    if not sessions:
        print(f"no sessions in {root}{_notes_hint(root)}", file=stream)
        return 0
    for session in sessions:
        for line in session_lines(session):
            print(visible_line(line), file=stream)
    return 0


def session_lines(session: SessionHistory) -> list[str]:
    """A session's summary line, then one indented line per step."""
    from slowcode.model.cost_text import format_cost
    from slowcode.ops.history import format_duration, plural

    if session.problem:
        return [f"{session.session_id}  unreadable: {session.problem}"]
    if session.source == "notes":
        lines = [
            f"{session.session_id}  from provenance notes (no journal here)  "
            f"{plural(len(session.steps), 'step')}  {session.task or '(no task)'}"
        ]
        lines += [_step_line(step) for step in session.steps]
        return lines
    state = "finished" if session.finished else "unfinished"
    cache = f" ({session.cache_note})" if session.cache_note else ""
    lines = [
        f"{session.session_id}  {state}  {plural(len(session.steps), 'step')}  "
        f"{session.tokens:,} tokens{cache}  {format_cost(session.cost_usd)}  "
        f"{format_duration(session.duration_seconds)}  {session.task or '(no task)'}"
    ]
    lines += [_step_line(step, format_cost) for step in session.steps]
    return lines


def _step_line(step: StepHistory, cost_of: Callable[[float | None], str] | None = None) -> str:
    """A step's line; with `cost_of` (a journal's history), its own tokens and cost too."""
    usage = "" if cost_of is None else f"{step.tokens:,} tokens  {cost_of(step.cost_usd)}  ·  "
    return (
        f"  {step.number:>2}  {step.title}  ·  {step.accepted} accepted, "
        f"{step.rejected} rejected, {step.edited} edited  ·  {usage}{step.outcome}"
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode history`."""
    parser = argparse.ArgumentParser(
        prog="slowcode history",
        description=(
            "Lists every session in .slowcode/sessions/: its steps with their hunk verdicts "
            "(accepted, rejected, edited) and commits, the tokens used, the estimated cost "
            "and how long it took."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_directory_option(parser)
    parser.set_defaults(run=lambda args: run_history(Path(args.directory), as_json=args.json))
    return parser


def _notes_hint(root: Path) -> str:
    """A clone without the notes: says how to get them when commits name slowcode sessions."""
    from slowcode.git.runner import git_text

    found = git_text(root, "log", "-1", "--format=%H", "--grep=^Slowcode-Session: ", check=False)
    if not found.strip():
        return ""
    return (
        "; commits here carry slowcode trailers, and "
        "`git fetch origin refs/notes/slowcode:refs/notes/slowcode` brings their provenance notes"
    )
