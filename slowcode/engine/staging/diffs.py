"""The step's diff: staged texts against their bases, computed by git and parsed by unidiff.

git is far faster than difflib on large files and gives the same hunks a
developer sees everywhere else; unidiff turns its output into the review's
`FileDiff` / `Hunk` / `DiffLine` objects.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from unidiff.constants import (
    LINE_TYPE_ADDED,
    LINE_TYPE_CONTEXT,
    LINE_TYPE_NO_NEWLINE,
    LINE_TYPE_REMOVED,
)
from unidiff.patch import PatchedFile, PatchSet

from slowcode.core.errors import RepositoryError
from slowcode.core.step_review import DiffLine, FileDiff, Hunk, LineKind
from slowcode.engine.staging.tree import StagedTree
from slowcode.git.runner import run_git

CONTEXT_LINES = 3
_GIT_TIMEOUT_SECONDS = 120
_KINDS = {
    LINE_TYPE_CONTEXT: LineKind.CONTEXT,
    LINE_TYPE_REMOVED: LineKind.REMOVED,
    LINE_TYPE_ADDED: LineKind.ADDED,
}

FileTexts = Mapping[str, tuple[str | None, str]]
"""Repository-relative path → (old text or None for a new file, new text)."""


def diff_step(tree: StagedTree) -> list[FileDiff]:
    """The diff of every staged file whose staged text differs from its base.

    Args:
        tree: The step's staged tree.

    Returns:
        One `FileDiff` per changed file, sorted by path.

    Raises:
        RepositoryError: git could not compute the diff.
    """
    texts: dict[str, tuple[str | None, str]] = {}
    for rel in tree.staged_paths():
        new_text = tree.staged_text(rel)
        old_text = tree.base_text(rel)
        if new_text is not None and new_text != old_text:
            texts[rel] = (old_text, new_text)
    return diff_texts(texts)


def diff_texts(texts: FileTexts) -> list[FileDiff]:
    """Diffs each (old, new) pair with one `git diff --no-index` call over two folders.

    The files are written under numbered names, so any path (spaces, quotes,
    non-ASCII) comes back unambiguously.

    Args:
        texts: The files to diff; pairs with equal texts give no `FileDiff`.

    Returns:
        One `FileDiff` per changed file, sorted by path.

    Raises:
        RepositoryError: git could not compute the diff.
    """
    changed = sorted((rel, pair) for rel, pair in texts.items() if pair[0] != pair[1])
    if not changed:
        return []
    by_name: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="slowcode-diff-") as scratch:
        old_dir = Path(scratch, "old")
        new_dir = Path(scratch, "new")
        old_dir.mkdir()
        new_dir.mkdir()
        for number, (rel, (old_text, new_text)) in enumerate(changed):
            name = str(number)
            by_name[name] = rel
            if old_text is not None:
                old_dir.joinpath(name).write_bytes(old_text.encode("utf-8"))
            new_dir.joinpath(name).write_bytes(new_text.encode("utf-8"))
        output = _git_diff_no_index(Path(scratch))
    hunks_by_path = _parse(output, by_name)
    files: list[FileDiff] = []
    for rel, (old_text, new_text) in changed:
        hunks = hunks_by_path.get(rel, [])
        if not hunks and old_text is None:
            # git shows no hunk for a new empty file; the developer still needs
            # one to accept or reject its creation.
            hunks = [Hunk(rel, 0, 0, 0, 0, 0, "", [])]
        files.append(FileDiff(path=rel, old_text=old_text, new_text=new_text, hunks=hunks))
    return files


def parse_unified_diff(diff_text: str, texts: FileTexts) -> list[FileDiff]:
    """Maps a unified diff with repository-relative `a/`/`b/` paths into `FileDiff`s.

    For diffs that already exist as text (a recorded session, a large generated
    diff); `texts` supplies each file's old and new text.

    Args:
        diff_text: The unified diff (as `git diff` prints it).
        texts: Path → (old text or None, new text) for every file in the diff.

    Returns:
        One `FileDiff` per file of the diff that appears in `texts`, in diff order.
    """
    patch = PatchSet(diff_text)
    files: list[FileDiff] = []
    for patched in patch:
        rel = _strip_prefix(
            patched.target_file if patched.target_file != "/dev/null" else patched.source_file
        )
        if rel not in texts:
            continue
        old_text, new_text = texts[rel]
        files.append(FileDiff(rel, old_text, new_text, _hunks_of(patched, rel)))
    return files


def _strip_prefix(name: str) -> str:
    for prefix in ("a/", "b/"):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _git_diff_no_index(scratch: Path) -> str:
    argv = [
        "-c",
        "core.quotepath=off",
        "-c",
        "diff.noprefix=false",
        "-c",
        "diff.mnemonicPrefix=false",
        "diff",
        "--no-index",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--no-renames",
        "--text",
        f"-U{CONTEXT_LINES}",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--",
        "old",
        "new",
    ]
    result = run_git(scratch, *argv, check=False, timeout=_GIT_TIMEOUT_SECONDS)
    # Exit status 1 means "the files differ", which is the expected case.
    if result.returncode not in (0, 1):
        raise result.error()
    return result.stdout.decode("utf-8")


def _parse(output: str, by_name: Mapping[str, str]) -> dict[str, list[Hunk]]:
    hunks_by_path: dict[str, list[Hunk]] = {}
    for patched in PatchSet(output):
        side = patched.target_file if patched.target_file != "/dev/null" else patched.source_file
        name = side.rsplit("/", 1)[-1]
        rel = by_name.get(name)
        if rel is None:
            raise RepositoryError(f"git diff named an unexpected file: {side}")
        hunks_by_path[rel] = _hunks_of(patched, rel)
    return hunks_by_path


def _hunks_of(patched: PatchedFile, rel: str) -> list[Hunk]:
    hunks: list[Hunk] = []
    for index, source_hunk in enumerate(patched):
        lines: list[DiffLine] = []
        for line in source_hunk:
            if line.line_type == LINE_TYPE_NO_NEWLINE:
                if lines:
                    last = lines[-1]
                    lines[-1] = DiffLine(
                        last.kind, last.text, last.old_number, last.new_number, no_newline=True
                    )
                continue
            kind = _KINDS.get(line.line_type)
            if kind is None:
                continue
            text = line.value[:-1] if line.value.endswith("\n") else line.value
            lines.append(DiffLine(kind, text, line.source_line_no, line.target_line_no))
        hunks.append(
            Hunk(
                file=rel,
                index=index,
                source_start=source_hunk.source_start,
                source_length=source_hunk.source_length,
                target_start=source_hunk.target_start,
                target_length=source_hunk.target_length,
                section=source_hunk.section_header or "",
                lines=lines,
            )
        )
    return hunks
