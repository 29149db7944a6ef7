"""A step's commit, made by `git commit` itself over a temporary index.

`git commit` runs the repository's hooks (from `.git/hooks`, `core.hooksPath`, or
whatever the `pre-commit` framework installed there), signs as the configuration
says (`commit.gpgsign`, `gpg.format`, `user.signingkey`) and resolves the author
and committer as it always does (`GIT_AUTHOR_*` and `GIT_COMMITTER_*`, then
`author.*`, `committer.*` and `user.*`). slowcode only chooses what the commit
holds: a temporary index (`GIT_INDEX_FILE`) starts as HEAD, keeping the real
index's stat data where it agrees with HEAD, and gets exactly the step's bytes
for the step's paths. The developer's staged work and their other uncommitted
edits, in those files or any other, stay out of the commit.

A hook that refuses raises `CommitRefused` with its output in full; nothing is
committed. A hook that changes what is committed (a formatter that re-adds the
files) is caught by comparing the commit's tree with the tree slowcode built:
the commit is taken back off the branch and `CommitRefused` names the change,
so nobody commits bytes they have not seen.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from slowcode.core.errors import RepositoryError
from slowcode.git.runner import GitResult, run_git

EMPTY_OLD_VALUE = "0" * 40
_OUTPUT_LIMIT = 200_000


class CommitRefused(RepositoryError):
    """`git commit` did not make the commit: a hook refused, signing failed, or a hook
    changed the committed files.

    Attributes:
        output: Everything git and its hooks printed, in full.
        changed_by_hook: When a hook changed what was to be committed, the diff of its
            change (from the bytes slowcode wrote to the bytes the hook left); else "".
    """

    def __init__(self, summary: str, output: str, changed_by_hook: str = "") -> None:
        self.output = output
        self.changed_by_hook = changed_by_hook
        super().__init__(summary)


_PRE_COMMIT_CONFIG_UNSTAGED = "Your pre-commit configuration is unstaged"
_STATUS_ONLY = re.compile(r"^\[INFO\]|\.{3,}\s*\(?(Passed|Skipped|no files to check)")


def refusal_reason(output: str) -> str:
    """The line of a refused commit's output that says why, for a one-line summary.

    That is the last line that is not a hook framework's bookkeeping (pre-commit's
    `[INFO] Restored changes …`, a hook that passed). pre-commit's refusal of a
    configuration with staged changes gets its own sentence: the step's commit
    holds only the step's files, so `git add` (pre-commit's advice) cannot help.
    """
    if _PRE_COMMIT_CONFIG_UNSTAGED in output:
        return (
            "pre-commit refuses while .pre-commit-config.yaml has changes outside this "
            "commit (a step's commit holds only its own files): commit the configuration "
            "first, then retry"
        )
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    telling = [line for line in lines if not _STATUS_ONLY.search(line)]
    return (telling or lines or [""])[-1]


@dataclass(frozen=True)
class CommitPlan:
    """What one step's commit holds.

    Attributes:
        paths: Repository-relative posix paths the commit changes.
        contents: Each path's committed bytes (None: deleted). A path not in it
            is committed as the work tree holds it.
        message: The full commit message.
        verify: False only when the developer chose to commit without hooks
            (`--no-verify`).
    """

    paths: Sequence[str]
    contents: Mapping[str, bytes | None]
    message: str
    verify: bool = True


def _text(result: GitResult) -> str:
    return result.text.strip()


EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's empty tree: what a root commit is compared with."""


def changed_paths(root: Path, commit: str) -> list[str]:
    """The files `commit` changes against its first parent (a root commit: all it holds)."""
    out = run_git(
        root,
        "diff-tree",
        "-r",
        "-z",
        "--no-renames",
        "--no-commit-id",
        "--name-only",
        "--root",
        commit,
    ).stdout.decode("utf-8", "surrogateescape")
    return [path for path in out.split("\0") if path]


def parent_or_empty_tree(root: Path, commit: str) -> str:
    """`commit`'s first parent, or the empty tree for a root commit: what its diff is against."""
    parents = _text(run_git(root, "rev-list", "--parents", "-n1", commit)).split()[1:2]
    return parents[0] if parents else EMPTY_TREE


def head_commit(root: Path) -> str | None:
    """The commit HEAD points to, or None on an unborn branch."""
    result = run_git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
    sha = _text(result)
    return sha if result.returncode == 0 and sha else None


@contextlib.contextmanager
def temporary_index(root: Path, git_dir: Path, parent: str | None) -> Iterator[dict[str, str]]:
    """A scratch index holding `parent`'s tree; yields the environment that selects it.

    It lives in the git folder, as `git commit --only` keeps its own, and starts as
    a copy of the real index put through `git read-tree -m`: every entry becomes
    HEAD's, but the real index's stat data is kept where the two agree, so hooks
    that compare the index with the work tree do not rehash every file.
    """
    real = Path(os.environ.get("GIT_INDEX_FILE") or git_dir / "index")
    handle, name = tempfile.mkstemp(prefix="slowcode-index-", dir=git_dir)
    os.close(handle)
    scratch = Path(name)
    env = {"GIT_INDEX_FILE": str(scratch)}
    try:
        kept = False
        if parent is not None and real.is_file():
            shutil.copyfile(real, scratch)
            # Refused while the real index holds a conflict: then HEAD alone.
            kept = run_git(root, "read-tree", "-m", parent, env=env, check=False).returncode == 0
        if parent is not None and not kept:
            scratch.unlink(missing_ok=True)
            run_git(root, "read-tree", parent, env=env)
        if parent is None:
            scratch.unlink()
            run_git(root, "read-tree", "--empty", env=env)
        yield env
    finally:
        scratch.unlink(missing_ok=True)
        Path(f"{scratch}.lock").unlink(missing_ok=True)


def _mode_of(root: Path, parent: str | None, path: str) -> str:
    """The file mode to commit `path` with: HEAD's, else the work tree file's."""
    if parent is not None:
        entry = _text(run_git(root, "ls-tree", parent, "--", path))
        if entry and entry.split()[0] in ("100644", "100755"):
            return entry.split()[0]
    try:
        executable = (root / path).stat().st_mode & stat.S_IXUSR
    except OSError:
        executable = 0
    return "100755" if executable else "100644"


def _disk(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def _index_lines(root: Path, parent: str | None, plan: CommitPlan) -> bytes:
    """`git update-index -z --index-info` input giving each path its committed bytes."""
    entries: list[bytes] = []
    for path in plan.paths:
        data = plan.contents[path] if path in plan.contents else _disk(root, path)
        if data is None:
            entries.append(f"0 {EMPTY_OLD_VALUE}\t{path}".encode())
            continue
        # --path: the blob is cleaned as `git add` would clean it (eol, filters).
        blob = _text(run_git(root, "hash-object", "-w", "--stdin", f"--path={path}", stdin=data))
        entries.append(f"{_mode_of(root, parent, path)} {blob}\t{path}".encode())
    return b"\0".join(entries) + b"\0"


def checkout_form(root: Path, path: str, data: bytes) -> bytes:
    """`data` as git would check `path` out: `.gitattributes` eol, `core.autocrlf`, filters.

    New files are written this way, so a repository whose attributes say
    `eol=crlf` gets CRLF files, exactly as after a checkout of the commit.
    """
    blob = _text(run_git(root, "hash-object", "-w", "--stdin", f"--path={path}", stdin=data))
    return run_git(root, "cat-file", "--filters", f"--path={path}", blob).stdout


def make_commit(root: Path, git_dir: Path, plan: CommitPlan) -> str:
    """Commits `plan` on top of HEAD with `git commit`; returns the new commit's sha.

    Afterwards the real index entries of the plan's paths hold what was committed,
    so `git status` shows the developer's own remaining edits in those files as
    unstaged, and every other staged entry of theirs is left alone.

    Raises:
        CommitRefused: git or a hook refused, or a hook changed the commit.
        RepositoryError: git could not prepare the commit.
    """
    parent = head_commit(root)
    with temporary_index(root, git_dir, parent) as env:
        run_git(
            root,
            "update-index",
            "-z",
            "--index-info",
            env=env,
            stdin=_index_lines(root, parent, plan),
        )
        expected = _text(run_git(root, "write-tree", env=env))
        with tempfile.NamedTemporaryFile("wb", prefix="slowcode-msg-", delete=False) as handle:
            handle.write(plan.message.encode("utf-8"))
        try:
            args = ["commit", "--quiet", "--allow-empty", "--cleanup=whitespace", "-F", handle.name]
            if not plan.verify:
                args.append("--no-verify")
            # Hooks the developer wrote speak their own language, not git's C locale.
            locale = {"LC_ALL": os.environ.get("LC_ALL", "")}
            result = run_git(root, *args, env={**env, **locale}, check=False)
        finally:
            Path(handle.name).unlink(missing_ok=True)
    output = (result.stdout + result.stderr).decode("utf-8", "replace")[-_OUTPUT_LIMIT:]
    commit = head_commit(root)
    if result.returncode != 0 or commit is None or commit == parent:
        reason = refusal_reason(output) or f"exit status {result.returncode}"
        raise CommitRefused(f"git commit refused the step: {reason}", output)
    tree = _text(run_git(root, "rev-parse", f"{commit}^{{tree}}"))
    if tree != expected:
        change = _text(run_git(root, "diff", expected, tree))
        # Off the branch again: the developer reviews the hook's change first.
        if parent is None:
            run_git(root, "update-ref", "-d", "HEAD", commit)
        else:
            run_git(
                root,
                "update-ref",
                "-m",
                "slowcode: a hook changed the commit",
                "HEAD",
                parent,
                commit,
            )
        raise CommitRefused(
            "a commit hook changed the step's files; review its change first", output, change
        )
    catch_up_index(root, commit, plan.paths)
    return commit


def catch_up_index(root: Path, commit: str, paths: Sequence[str]) -> None:
    """Gives the real index the committed entries of `paths`, and refreshes their stat data.

    The developer's own uncommitted edits in those files then show as unstaged,
    as after `git add -p`; every other entry of the index is left alone.
    """
    listed = run_git(root, "ls-tree", "-z", commit, "--", *paths).stdout
    found: dict[str, bytes] = {}
    for record in listed.split(b"\0"):
        if b"\t" in record:
            meta, name = record.split(b"\t", 1)
            mode, _kind, blob = meta.decode().split()
            found[name.decode("utf-8", "surrogateescape")] = f"{mode} {blob}\t".encode() + name
    lines = [found.get(path, f"0 {EMPTY_OLD_VALUE}\t{path}".encode()) for path in paths]
    run_git(root, "update-index", "-z", "--index-info", stdin=b"\0".join(lines) + b"\0")
    run_git(root, "update-index", "-q", "--refresh", check=False)
