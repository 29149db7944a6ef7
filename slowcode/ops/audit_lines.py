"""Checking a step commit's lines against the verdicts its provenance note records.

Each hunk of a note carries its changed lines as the developer left them. A
commit then holds, file by file, exactly the lines of its accepted and edited
hunks: for every line text, the number of times it appears in the file after the
commit, less the number of times before, is the number of times the taken hunks
add it, less the number they remove. That net count depends only on the two
versions of the file, not on how a diff aligns them, so it needs no journal and
no diff of git's own: a note that calls a committed hunk rejected, or leaves
one out, fails. A hunk whose lines only move (it adds what it removes) nets
nothing, so its verdict is not checked this way.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from slowcode.core.errors import SlowcodeError
from slowcode.git.commit import EMPTY_TREE, changed_paths, parent_or_empty_tree
from slowcode.git.runner import run_git
from slowcode.journal.provenance import ProvenanceNote

_TAKEN = ("accepted", "edited")


def has_lines(note: ProvenanceNote) -> bool:
    """True when the note's hunks carry their lines (notes written before do not)."""
    return any("lines" in hunk for hunk in note.hunks)


def lines_problem(root: Path, sha: str, note: ProvenanceNote) -> str:
    """What in the commit the note's verdicts do not account for ("" when all of it is).

    Files the note names as changed beyond their hunks (`unreviewed`) and the
    step's decision record are not counted.
    """
    if not has_lines(note):
        return ""
    skipped = set(note.unreviewed)
    if note.decision is not None:
        skipped.add(str(note.decision.get("path", "")))
    expected: dict[str, Counter[str]] = {}
    for hunk in note.hunks:
        if hunk.get("verdict") in _TAKEN:
            net = expected.setdefault(str(hunk.get("file")), Counter())
            for line in hunk.get("lines", []):
                sign = 1 if str(line).startswith("+") else -1
                net[_normal(str(line)[1:])] += sign
    try:
        paths = changed_paths(root, sha)
        base = parent_or_empty_tree(root, sha)
        for path in sorted(set(paths) | set(expected)):
            if path in skipped:
                continue
            found = _net(_lines_at(root, sha, path), _lines_at(root, base, path))
            if found != _nonzero(expected.get(path, Counter())):
                return (
                    f"{path} in the commit is not what the note's accepted and edited hunks "
                    "make of it (a committed hunk called rejected, or one left out)"
                )
    except SlowcodeError as error:
        return f"the commit's files could not be read: {error}"
    return ""


def _lines_at(root: Path, revision: str, path: str) -> list[str]:
    """The file's lines in `revision` (none when it is not there)."""
    if revision == EMPTY_TREE:
        return []
    shown = run_git(root, "cat-file", "blob", f"{revision}:{path}", check=False)
    if shown.returncode != 0:
        return []
    parts = shown.stdout.decode("utf-8", "surrogateescape").split("\n")
    if parts[-1] == "":
        parts.pop()  # the last line's ending, not a line
    return [_normal(line) for line in parts]


def _net(after: list[str], before: list[str]) -> Counter[str]:
    net = Counter(after)
    net.subtract(Counter(before))
    return _nonzero(net)


def _nonzero(counts: Counter[str]) -> Counter[str]:
    return Counter({line: n for line, n in counts.items() if n})


def _normal(line: str) -> str:
    return line.removesuffix("\r")
