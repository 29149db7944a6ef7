"""Three-way merge of a reviewed file with the developer's own edits made meanwhile.

git's `merge-file` does the work (the same diff3 the developer knows from `git
merge`), on temporary files: base is the text the model saw, ours is the disk now,
theirs is the text the review accepted.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from slowcode.git.runner import run_git

_GIT_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class MergeResult:
    """The merged text, and how many conflicts it has (0: clean, `text` can be written)."""

    text: str
    conflicts: int

    @property
    def clean(self) -> bool:
        """True when the merge has no conflict."""
        return self.conflicts == 0


def merge_texts(base: str, ours: str, theirs: str, *, path: str = "file") -> MergeResult:
    """Merges `ours` and `theirs`, both made from `base`, with `git merge-file -p`.

    Args:
        base: The common ancestor: the text the model saw.
        ours: The developer's text: the file on disk now.
        theirs: The reviewed text: what the accepted hunks make of `base`.
        path: The file's name, used only in the conflict markers' labels.

    Returns:
        The merged text (with conflict markers when `conflicts` > 0).

    Raises:
        RepositoryError: git could not run or failed.
    """
    if ours == theirs or theirs == base:
        return MergeResult(ours, 0)
    if ours == base:
        return MergeResult(theirs, 0)
    with tempfile.TemporaryDirectory(prefix="slowcode-merge-") as scratch:
        names = {"ours": ours, "base": base, "theirs": theirs}
        for name, text in names.items():
            Path(scratch, name).write_bytes(text.encode("utf-8"))
        argv = [
            "merge-file",
            "-p",
            "-L",
            f"{path} (on disk)",
            "-L",
            f"{path} (as the model saw it)",
            "-L",
            f"{path} (as reviewed)",
            "ours",
            "base",
            "theirs",
        ]
        result = run_git(scratch, *argv, check=False, timeout=_GIT_TIMEOUT_SECONDS)
    # The exit status is the number of conflicts (capped at 127); negative or higher
    # values are git's own errors.
    if not 0 <= result.returncode <= 127:
        raise result.error()
    return MergeResult(result.stdout.decode("utf-8", "replace"), result.returncode)
