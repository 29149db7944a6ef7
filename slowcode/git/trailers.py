"""Commit-message trailers (`Key: value` lines at the end), written and read one way.

Writing checks each key is one git reads back; reading asks git itself
(`git interpret-trailers --parse`), so slowcode sees exactly the trailers that
`git log --format=%(trailers)` and every other git tool see.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path

from slowcode.core.errors import RepositoryError
from slowcode.git.runner import git_text

_TRAILER_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
_TRAILER_LINE = re.compile(r"([A-Za-z0-9][A-Za-z0-9-]*):[ \t]*(.*?)\s*")


def format_message(subject: str, body: str, trailers: Sequence[tuple[str, str]]) -> str:
    """A commit message: subject, blank line, body, blank line, `Key: value` trailers.

    A NUL, which git refuses in a message, is written as its picture, `␀`: the
    title and summary come from the model, and may hold anything.

    Raises:
        RepositoryError: An empty subject or a trailer key git would not read back.
    """
    first_line = " ".join(subject.split())
    if not first_line:
        raise RepositoryError("a step commit needs a non-empty subject")
    paragraphs = [first_line]
    if body.strip():
        paragraphs.append(body.strip("\n").rstrip())
    lines = []
    for key, value in trailers:
        if not _TRAILER_KEY.fullmatch(key):
            raise RepositoryError(f"invalid commit trailer key: {key!r}")
        lines.append(f"{key}: {' '.join(value.split())}")
    if lines:
        paragraphs.append("\n".join(lines))
    return ("\n\n".join(paragraphs) + "\n").replace("\0", "\u2400")


def parse_trailers(root: Path, message: str) -> dict[str, list[str]]:
    """The trailers of a commit message, key → values in order, as git reads them.

    Args:
        root: Any folder git can run in (the work tree; its trailer config applies).
        message: The whole commit message.

    Raises:
        GitError: git could not run.
    """
    parsed = git_text(root, "interpret-trailers", "--parse", stdin=message)
    found: dict[str, list[str]] = {}
    for line in parsed.splitlines():
        key, separator, value = line.partition(":")
        if separator:
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def trailer_lines(message: str) -> list[tuple[str, str]]:
    """Every `Key: value` line of a message, in order, whichever paragraph holds it.

    `parse_trailers` reads the closing trailer block only, as git does. A squashed
    commit's message holds each squashed commit's block in turn; this reads them
    all, for the one question that needs it: which steps a commit carries.
    """
    return [(m[1], m[2]) for m in map(_TRAILER_LINE.fullmatch, message.splitlines()) if m]


def without_trailers(text: str, keys: Collection[str]) -> str:
    """`text` (a message body) without its closing trailer paragraph, when it has one.

    Args:
        text: The message, or its body after the subject.
        keys: The trailer keys `parse_trailers` found in the message; the last
            paragraph goes only when every line of it starts with one of them.
    """
    paragraphs = text.strip().split("\n\n")
    if keys:
        last = paragraphs[-1].splitlines()
        found = {line.partition(":")[0].strip() for line in last if not line[:1].isspace()}
        if found and found <= set(keys):
            paragraphs = paragraphs[:-1]
    return "\n\n".join(paragraphs)
