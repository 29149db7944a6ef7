"""Writing a reviewed step: each file's final text from its hunk verdicts, written atomically."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from slowcode.engine.atomic import write_text_atomic
from slowcode.engine.errors import SlowcodeError
from slowcode.engine.paths import PathPolicy
from slowcode.engine.review import FileDiff, Hunk, LineKind


class StaleFileError(SlowcodeError):
    """Files changed on disk after the model read them (the developer kept editing).

    Nothing was written. `paths` names the files, repository-relative.
    """

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        super().__init__(
            "These files changed on disk during the review, so nothing was written: "
            + ", ".join(self.paths)
        )


def _split_lines(text: str) -> list[str]:
    """Lines with their "\\n" endings, split as unified diffs count them (only at "\\n")."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _side(hunk: Hunk, *, new: bool) -> list[str]:
    """The hunk's lines on one side, with line endings restored."""
    skipped = LineKind.REMOVED if new else LineKind.ADDED
    return [
        line.text if line.no_newline else line.text + "\n"
        for line in hunk.lines
        if line.kind is not skipped
    ]


def compose(file: FileDiff) -> str | None:
    """The file's final text given its hunks' verdicts.

    Accepted and edited hunks take their new side, rejected and undecided ones
    their old side; text between hunks comes from `old_text`.

    Args:
        file: The file's diff with verdicts set.

    Returns:
        The text to write, or None when there is nothing to write: the result
        equals the old text, or the file is new and none of its hunks was taken.
    """
    if file.old_text is None and not any(hunk.takes_new_side for hunk in file.hunks):
        return None
    old_lines = _split_lines(file.old_text or "")
    pieces: list[str] = []
    position = 0
    for hunk in sorted(file.hunks, key=lambda h: h.source_start):
        # A hunk with no old lines sits *after* line source_start; otherwise it
        # starts *at* it (both 1-based, as in the `@@` header).
        begin = hunk.source_start if hunk.source_length == 0 else hunk.source_start - 1
        if begin < position or begin + hunk.source_length > len(old_lines):
            raise ValueError(f"hunk {hunk.header} of {file.path} does not fit its old text")
        pieces.extend(old_lines[position:begin])
        pieces.extend(_side(hunk, new=hunk.takes_new_side))
        position = begin + hunk.source_length
    pieces.extend(old_lines[position:])
    result = "".join(pieces)
    if file.old_text is not None and result == file.old_text:
        return None
    return result


def _disk_text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        return "\0 a folder"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "\0 not text"


def apply_step(root: Path, files: list[FileDiff], *, paths: PathPolicy | None = None) -> list[str]:
    """Writes every file's composed text, after checking none changed on disk.

    The check covers every file that would be written and happens before the
    first write, so a stale file means nothing at all was written.

    Args:
        root: The repository's working tree.
        files: The step's file diffs with verdicts set.
        paths: The path policy to check each path against again (one for `root` by default).

    Returns:
        The repository-relative paths written, in the order of `files`.

    Raises:
        StaleFileError: A file on disk no longer equals the text the model saw.
        ToolInputError: A path is refused by the path policy.
        OSError: A write failed; files written before it stay written.
    """
    policy = paths or PathPolicy(root)
    plan: list[tuple[Path, str, str]] = []
    stale: list[str] = []
    for file in files:
        text = compose(file)
        if text is None:
            continue
        absolute, rel = policy.resolve(file.path, for_write=True)
        if _disk_text(absolute) != file.old_text:
            stale.append(rel)
        plan.append((absolute, rel, text))
    if stale:
        raise StaleFileError(stale)
    for absolute, _rel, text in plan:
        absolute.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(absolute, text)
    return [rel for _absolute, rel, _text in plan]
