"""Writing a reviewed step: each file's final text from its hunk verdicts, written atomically."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from slowcode.core.errors import SlowcodeError
from slowcode.core.paths import PathPolicy
from slowcode.core.step_review import FileDiff, Hunk, LineKind, side_lines, split_lines
from slowcode.git.merge import merge_texts


class StaleFileError(SlowcodeError):
    """Files changed on disk after the model read them, and the changes could not be merged.

    Nothing was written. `paths` names the files, repository-relative; `current`
    holds each one's text on disk now (None: missing or not text), for the model.
    """

    def __init__(
        self, paths: Sequence[str], current: Mapping[str, str | None] | None = None
    ) -> None:
        self.paths = list(paths)
        self.current = dict(current or {})
        super().__init__(
            "These files changed on disk during the review in a way that conflicts with the "
            "reviewed change, so nothing was written: " + ", ".join(self.paths)
        )


def compose(file: FileDiff) -> str | None:
    """The file's final text given its hunks' verdicts.

    Accepted and edited hunks take their new side, rejected and undecided ones
    their old side; text between hunks comes from `old_text`. Hunks split from
    one hunk may share unchanged lines at their edges; the shared lines are
    taken once.

    Args:
        file: The file's diff with verdicts set.

    Returns:
        The text to write, or None when there is nothing to write: the result
        equals the old text, or the file is new and none of its hunks was taken.
    """
    if file.old_text is None and not any(hunk.takes_new_side for hunk in file.hunks):
        return None
    old_lines = split_lines(file.old_text or "")
    pieces: list[str] = []
    position = 0
    for hunk in sorted(file.hunks, key=lambda h: h.source_start):
        # A hunk with no old lines sits *after* line source_start; otherwise it
        # starts *at* it (both 1-based, as in the `@@` header).
        begin = hunk.source_start if hunk.source_length == 0 else hunk.source_start - 1
        overlap = max(position - begin, 0)
        if overlap > _leading_context(hunk) or begin + hunk.source_length > len(old_lines):
            raise ValueError(f"hunk {hunk.header} of {file.path} does not fit its old text")
        pieces.extend(old_lines[position:begin])
        pieces.extend(side_lines(hunk, new=hunk.takes_new_side)[overlap:])
        position = begin + hunk.source_length
    pieces.extend(old_lines[position:])
    result = "".join(pieces)
    if file.old_text is not None and result == file.old_text:
        return None
    return result


def _leading_context(hunk: Hunk) -> int:
    """How many unchanged lines the hunk starts with (the only lines it may share)."""
    count = 0
    for line in hunk.lines:
        if line.kind is not LineKind.CONTEXT:
            break
        count += 1
    return count


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


def stale_paths(root: Path, files: list[FileDiff], *, paths: PathPolicy | None = None) -> list[str]:
    """The files a step would write that no longer hold, on disk, the text the model saw."""
    policy = paths or PathPolicy(root)
    stale: list[str] = []
    for file in files:
        absolute, rel = policy.resolve(file.path, for_write=True)
        if _disk_text(absolute) != file.old_text:
            stale.append(rel)
    return stale


MergeSink = Callable[[str], None]


def plan_writes(
    root: Path,
    files: list[FileDiff],
    *,
    paths: PathPolicy | None = None,
    on_merged: MergeSink | None = None,
) -> list[tuple[Path, str, str]]:
    """What a step writes, `(absolute, rel, text)` per file, writing nothing.

    A file whose disk text no longer equals the text the model saw (the developer
    kept editing) gets a three-way merge: base = the text the model saw, ours = the
    disk now, theirs = the reviewed text. Every file is composed and merged before
    anything is written, so a conflict in any of them means nothing is. The
    crash-safe apply journals these final texts before the first write.

    Raises:
        StaleFileError: A changed file could not be merged cleanly.
        ToolInputError: A path is refused by the path policy.
        RepositoryError: git could not run the merge.
    """
    policy = paths or PathPolicy(root)
    plan: list[tuple[Path, str, str]] = []
    conflicts: dict[str, str | None] = {}
    merged: list[str] = []
    for file in files:
        text = compose(file)
        if text is None:
            continue
        absolute, rel = policy.resolve(file.path, for_write=True)
        disk = _disk_text(absolute)
        if disk != file.old_text:
            if disk is None or disk.startswith("\0"):
                conflicts[rel] = None
                continue
            result = merge_texts(file.old_text or "", disk, text, path=rel)
            if not result.clean:
                conflicts[rel] = disk
                continue
            text = result.text
            merged.append(rel)
        plan.append((absolute, rel, text))
    if conflicts:
        raise StaleFileError(list(conflicts), conflicts)
    if on_merged is not None:
        for rel in merged:
            on_merged(rel)
    return plan
