"""The `search_code` tool: a regular-expression search over the files the model may see."""

from __future__ import annotations

import os
from pathlib import Path

from slowcode.context.policy import ContextPolicy
from slowcode.core.errors import ToolInputError
from slowcode.git.runner import GitError, run_git

DEFAULT_MAX_RESULTS = 50
MAX_RESULTS_LIMIT = 500
MAX_LINE_CHARS = 300
MAX_OUTPUT_CHARS = 16_000
"""A result stops at the last whole match line that fits (as `view` pages at this size)."""
"""Matched lines longer than this (minified code, data) are cut: one hit must not flood context."""

NO_MATCHES = "No matches."

_GIT_TIMEOUT_SECONDS = 30


def _pathspec_for(path_glob: str) -> str:
    # With glob magic `*` stops at `/`, so a bare `*.py` would only match the
    # top level; a glob without a folder part is meant "anywhere" by the model.
    glob = path_glob.strip().removeprefix("./")
    if "/" not in glob:
        glob = "**/" + glob
    return f":(glob){glob}"


def _one_line(stderr: bytes) -> str:
    lines = [
        line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()
    ]
    text = "; ".join(lines) if lines else "git grep failed"
    return text.removeprefix("fatal: ")


def search_code(
    root: Path,
    policy: ContextPolicy,
    pattern: str,
    path_glob: str | None = None,
    max_results: int = DEFAULT_MAX_RESULTS,
) -> str:
    """Searches tracked and untracked-not-ignored text files with `git grep -E`.

    Args:
        root: The repository's working tree.
        policy: Files it excludes are never shown.
        pattern: An extended regular expression.
        path_glob: Optional glob limiting the files (`src/**/*.py`; `*.py` means anywhere).
        max_results: At most this many lines are returned; a last line says how many more.

    Returns:
        `path:line: text` lines, or "No matches.".

    Raises:
        ToolInputError: The pattern, glob or limit is invalid (git's message, on one line).
    """
    if not isinstance(pattern, str) or not pattern:
        raise ToolInputError("The search pattern is empty.")
    if "\0" in pattern or (isinstance(path_glob, str) and "\0" in path_glob):
        # git takes its arguments as C strings: a NUL byte cannot be passed, let alone matched.
        raise ToolInputError("The search pattern and path_glob cannot contain a NUL character.")
    if isinstance(max_results, bool) or not isinstance(max_results, int) or max_results < 1:
        raise ToolInputError("max_results must be a whole number of at least 1.")
    max_results = min(max_results, MAX_RESULTS_LIMIT)
    threads = str(max(1, min(os.cpu_count() or 1, 8)))
    argv = [
        "-c",
        "grep.lineNumber=true",
        "grep",
        "-n",
        "-I",
        "-z",
        "--no-color",
        "--untracked",
        "--exclude-standard",
        "-E",
        "--threads",
        threads,
        "-e",
        pattern,
        "--",
    ]
    if path_glob is not None:
        if not isinstance(path_glob, str) or not path_glob.strip():
            raise ToolInputError("path_glob is empty; leave it out to search every file.")
        argv.append(_pathspec_for(path_glob))
    try:
        result = run_git(root, *argv, check=False, timeout=_GIT_TIMEOUT_SECONDS)
    except GitError as error:
        if error.timed_out:
            raise ToolInputError(
                "The search took too long; use a narrower pattern or path_glob."
            ) from None
        raise ToolInputError(f"git grep could not run: {error}.") from None
    if result.returncode == 1 and not result.stderr.strip():
        return NO_MATCHES
    if result.returncode != 0:
        raise ToolInputError(f"The search failed: {_one_line(result.stderr)}.")
    lines: list[str] = []
    for raw in result.stdout.decode("utf-8", "replace").split("\n"):
        # -z separates path, line number and text with NUL, so paths holding ':' stay intact.
        fields = raw.split("\0", 2)
        if len(fields) != 3:
            continue
        path, number, text = fields
        text = text.rstrip("\r")
        if policy.is_excluded(path):
            continue
        if len(text) > MAX_LINE_CHARS:
            text = text[:MAX_LINE_CHARS] + " …"
        lines.append(f"{path}:{number}: {text}")
    if not lines:
        return NO_MATCHES
    shown: list[str] = []
    size = 0
    for line in lines[:max_results]:
        # Whole lines only: the result is capped at a line boundary, never mid-line.
        if size + len(line) + 1 > MAX_OUTPUT_CHARS:
            break
        shown.append(line)
        size += len(line) + 1
    hidden = len(lines) - len(shown)
    if hidden:
        shown.append(f"… {hidden} more matches not shown; narrow the pattern or path_glob.")
    return "\n".join(shown)
