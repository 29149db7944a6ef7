"""`slowcode provenance export --format agent-trace`: notes in the line-attribution format."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from slowcode.cli.audit_command import add_directory_option, repository_root
from slowcode.core.errors import SlowcodeError

FORMATS = ("agent-trace",)


def run_export(directory: Path, revisions: str, fmt: str, out: TextIO | None = None) -> int:
    """Prints one record per noted step commit of `revisions`, as JSON Lines.

    Raises:
        SlowcodeError: No repository, an unknown format, or git cannot read the range.
    """
    from unidiff.patch import PatchSet

    from slowcode.git.notes import read_note
    from slowcode.git.runner import git_text
    from slowcode.journal.provenance import ProvenanceNote
    from slowcode.ops.agent_trace import Run, added_runs, trace_record
    from slowcode.ops.audit import step_commits

    if fmt not in FORMATS:
        raise SlowcodeError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    stream = out or sys.stdout
    root = repository_root(directory)
    exported = 0
    for commit in step_commits(root, revisions):
        text = read_note(root, commit.sha)
        if text is None:
            continue
        note = ProvenanceNote.from_text(text)
        shown = git_text(root, "show", "--no-color", "--no-ext-diff", "--format=%cI", commit.sha)
        timestamp, _, diff = shown.partition("\n")
        hunks: dict[str, list[list[Run]]] = {}
        for patched in PatchSet(diff):
            for hunk in patched:
                hunks.setdefault(patched.path, []).append(added_runs(hunk))
        record = trace_record(note, commit.sha, timestamp.strip(), hunks)
        print(json.dumps(record, ensure_ascii=False), file=stream)
        exported += 1
    print(f"exported {exported} step commits", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode provenance`."""
    parser = argparse.ArgumentParser(
        prog="slowcode provenance",
        description="Exports the provenance notes of step commits to other tools' formats.",
    )
    commands = parser.add_subparsers(dest="provenance_command", required=True, metavar="COMMAND")
    export = commands.add_parser(
        "export",
        help="print the notes of a range of commits in another format",
        description=(
            "Prints one Agent Trace record (agent-trace.dev 0.1.0) per step commit of RANGE "
            "that has a provenance note, as JSON Lines: each applied hunk is a line range, "
            "`ai` when accepted as proposed, `mixed` when the developer edited it."
        ),
    )
    export.add_argument("--format", default="agent-trace", choices=FORMATS)
    export.add_argument("--commits", metavar="RANGE", default="HEAD", help="default: HEAD")
    add_directory_option(export)
    export.set_defaults(
        run=lambda args: run_export(Path(args.directory), args.commits, args.format)
    )
    return parser
