"""`slowcode why FILE:LINE`: which commit, session, step, explanation and decision made a line."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TextIO

from slowcode.core.errors import SlowcodeError
from slowcode.core.literal import visible
from slowcode.ops.blame import LineOrigin, line_origin

_LOCATION = re.compile(r"(.+):(\d+)")


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode why`."""
    parser = argparse.ArgumentParser(
        prog="slowcode why",
        description=(
            "Explain a line: the commit that last changed it (git blame) and, when slowcode "
            "made that commit, the session, step, the step's explanation and its decision "
            "record."
        ),
    )
    parser.add_argument(
        "location", metavar="FILE:LINE", type=_location_argument, help="e.g. src/app.py:42"
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(run=run_why)
    return parser


def _location_argument(text: str) -> str:
    """`FILE:LINE` as given; anything else is a usage error (status 2)."""
    if _LOCATION.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"expected FILE:LINE (e.g. app.py:12), got {text!r}")
    return text


def _resolve(location: str) -> tuple[Path, str, int]:
    """The repository root, the file relative to it, and the line number."""
    from slowcode.git.repo import GitRepo

    match = _LOCATION.fullmatch(location)
    if match is None:
        raise SlowcodeError(f"expected FILE:LINE (e.g. app.py:12), got {location!r}")
    file = Path(match.group(1)).resolve()
    if not file.is_file():
        raise SlowcodeError(f"no such file: {match.group(1)}")
    repo = GitRepo.open(file.parent)
    try:
        relative = file.relative_to(repo.root).as_posix()
    except ValueError:
        raise SlowcodeError(f"{match.group(1)} is outside the repository") from None
    return repo.root, relative, int(match.group(2))


def describe(origin: LineOrigin) -> str:
    """The origin as a few lines of plain text."""
    where = f"{origin.path}:{origin.line}"
    if origin.commit is None:
        return f"{where} is not committed yet: nobody can say why it is there."
    head = (
        f"{where} was last changed by commit {origin.commit[:12]} ({origin.date}, {origin.author})"
    )
    if origin.session is None:
        return (
            f"{head}: {origin.subject}\n"
            "slowcode did not write this line (the commit has no Slowcode-Session trailer)."
        )
    step = f"step {origin.step}" if origin.step is not None else "a step"
    lines = [head, f"session {origin.session}, {step}: {origin.subject}"]
    if origin.task:
        lines.append(f"task: {origin.task}")
    if origin.explanation:
        lines += ["", origin.explanation, ""]
    if origin.model:
        lines.append(f"model: {origin.model}")
    lines.append(_verdict_line(origin))
    lines.append(f"source: {_SOURCES[origin.source]}")
    if origin.decision_path:
        title = f" ({origin.decision_title})" if origin.decision_title else ""
        lines.append(f"decision: {origin.decision_path}{title}")
    else:
        lines.append("decision: none recorded for this step")
    return "\n".join(lines)


_SOURCES = {
    "note": "the commit's provenance note (refs/notes/slowcode)",
    "journal": "the session's journal in .slowcode/ (this commit has no provenance note)",
    "commit": (
        "the commit message only (no provenance note, no journal here; "
        "`git fetch origin refs/notes/slowcode:refs/notes/slowcode` brings the notes)"
    ),
}

_VERDICT_WORDS = {
    "accepted": "accepted as proposed",
    "edited": "edited by the developer, then accepted",
}


def _verdict_line(origin: LineOrigin) -> str:
    """What the developer decided about the hunk that wrote the line, as far as is known."""
    if origin.hunk is not None:
        verdict = str(origin.hunk.get("verdict", ""))
        word = _VERDICT_WORDS.get(verdict, verdict)
        comment = f" ({origin.hunk['comment']})" if origin.hunk.get("comment") else ""
        index = origin.hunk.get("index")
        # Counted from 1, as the review's "hunk 2/4" counts them.
        number = index + 1 if isinstance(index, int) else "?"
        return f"hunk {number} of {origin.path}: {word}{comment}"
    if origin.file_hunks:
        counts: dict[str, int] = {}
        for hunk in origin.file_hunks:
            counts[str(hunk.get("verdict"))] = counts.get(str(hunk.get("verdict")), 0) + 1
        listed = ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items()))
        return f"hunks of {origin.path} in this step: {listed}"
    return "hunk verdicts: not known here"


def run_why(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Runs `slowcode why`."""
    out = out or sys.stdout
    root, relative, line = _resolve(args.location)
    origin = line_origin(root, relative, line)
    if args.json:
        print(json.dumps(origin.to_json(), ensure_ascii=False, indent=2), file=out)
    else:
        print(visible(describe(origin)), file=out)
    return 0
