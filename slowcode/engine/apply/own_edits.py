"""What a step's commit holds when the developer has uncommitted edits of their own.

`git add -p` is the expectation: the commit holds the file as it is in HEAD plus
the step's accepted change, and the developer's other uncommitted edits in the
same file stay uncommitted in the work tree. The step's change is the difference
between the file on disk before the write and the text written; it is carried
onto HEAD's version by a three-way merge (base: the disk before, ours: HEAD's
file as git would check it out, theirs: the text written). When the two touch
the same lines that cannot be done cleanly, and the developer is told before
anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from slowcode.core.errors import SlowcodeError
from slowcode.core.step_review import FileDiff
from slowcode.engine.apply.writes import StaleFileError, plan_writes
from slowcode.git.merge import merge_texts
from slowcode.git.runner import run_git


class OwnEditsOverlap(SlowcodeError):
    """The developer's uncommitted edits in the step's files touch the lines the step changes.

    Nothing was written. `paths` names the files, repository-relative.
    """

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        super().__init__(
            "your uncommitted edits in "
            + ", ".join(self.paths)
            + " touch the lines this step changes, so the commit cannot leave them out: "
            "commit or stash them and apply again, or apply again to include them in the "
            "step's commit knowingly (nothing was written)"
        )


def head_version(root: Path, rel: str) -> bytes | None:
    """HEAD's `rel` as git would check it out (eol and filters applied); None: not in HEAD."""
    result = run_git(root, "cat-file", "--filters", f"HEAD:{rel}", check=False)
    return result.stdout if result.ok else None


def committed_version(root: Path, rel: str, before: bytes | None, after: bytes) -> bytes | None:
    """The bytes the step's commit gives `rel`: HEAD's file plus the step's change.

    Args:
        root: The work tree.
        rel: The file, repository-relative.
        before: The file on disk before the step writes it (None: absent).
        after: The text the step writes.

    Returns:
        The bytes to commit, or None when they cannot be worked out cleanly (the
        developer's uncommitted edits overlap the step's change).
    """
    head = head_version(root, rel)
    if head == before:
        return after
    if head is None or before is None:
        # A file git does not know yet, or one the developer deleted: all of it is theirs.
        return None
    try:
        texts = [data.decode("utf-8") for data in (before, head, after)]
    except UnicodeDecodeError:
        return None
    merged = merge_texts(texts[0], texts[1], texts[2], path=rel)
    return merged.text.encode("utf-8") if merged.clean else None


def overlapping_files(root: Path, files: list[FileDiff]) -> list[str]:
    """The step's files whose commit would have to include the developer's own edits.

    Works the writes out without writing. A file that changed so that the step
    cannot be applied at all is left to the apply, which says so.
    """
    try:
        planned = plan_writes(root, files)
    except StaleFileError:
        return []
    overlapping: list[str] = []
    for absolute, rel, text in planned:
        before = disk_bytes(absolute)
        if committed_version(root, rel, before, text.encode("utf-8")) is None:
            overlapping.append(rel)
    return overlapping


def disk_bytes(path: Path) -> bytes | None:
    """The file's bytes, None when absent; a folder in its place reads as a marker."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        return b"\0 a folder"
