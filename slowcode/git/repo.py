"""The developer's git repository: identity, exclusions, and one commit per applied step.

Step commits are made by `git commit` over a temporary index (`slowcode.git.commit`),
so hooks, signing and identity are git's own, and a commit holds exactly the step's
bytes and never the developer's other staged or unstaged work.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from slowcode.core.errors import RepositoryError
from slowcode.git.commit import CommitPlan, make_commit
from slowcode.git.runner import GitResult, git_text, run_git
from slowcode.git.trailers import format_message, parse_trailers
from slowcode.git.worktree import add_exclude_line, find_work_tree

_IDENT = re.compile(r"(.*) <([^<>]*)> \d+ [+-]\d{4}")


class GitRepo:
    """A non-bare git repository, seen from its work tree.

    Attributes:
        root: The top folder of the work tree.
    """

    def __init__(self, root: Path, git_dir: Path, common_dir: Path) -> None:
        """Names an opened repository's folders; use `GitRepo.open` instead."""
        self.root = root
        self._git_dir = git_dir
        self._common_dir = common_dir

    @classmethod
    def open(cls, path: Path) -> GitRepo:
        """Opens the repository that contains `path`, searching parent folders.

        Args:
            path: Any folder (or file) inside the work tree.

        Raises:
            RepositoryError: `path` is in no repository, or in a bare one.
        """
        root = find_work_tree(path)
        folders = git_text(
            root, "rev-parse", "--path-format=absolute", "--absolute-git-dir", "--git-common-dir"
        ).splitlines()
        if len(folders) != 2:
            raise RepositoryError(f"git could not name the git folder of {root}")
        return cls(root, Path(folders[0]).resolve(), Path(folders[1]).resolve())

    @property
    def git_dir(self) -> Path:
        """This work tree's own git folder (`.git`, or `.git/worktrees/<name>`)."""
        return self._git_dir

    @property
    def common_dir(self) -> Path:
        """The git folder shared by all worktrees (where `info/exclude` lives)."""
        return self._common_dir

    def identity(self) -> tuple[str, str] | None:
        """The author git would write, `(name, email)`, or None when git has no identity.

        Asked of `git var`, so `GIT_AUTHOR_*` and `GIT_COMMITTER_*` and the
        `author.*`, `committer.*` and `user.*` settings count exactly as they do for
        `git commit`; the committer must be resolvable too.
        """
        author = self._ident("GIT_AUTHOR_IDENT")
        if author is None or self._ident("GIT_COMMITTER_IDENT") is None:
            return None
        return author

    def _ident(self, variable: str) -> tuple[str, str] | None:
        result = self._run("var", variable, check=False)
        match = _IDENT.fullmatch(result.text.strip())
        if result.returncode != 0 or match is None or not match[1].strip():
            return None
        return match[1].strip(), match[2]

    def identity_hint(self) -> str:
        """One line telling the developer how to set a git identity."""
        return (
            'git has no user identity here; set one with: git config user.name "Your Name" '
            '&& git config user.email "you@example.com"'
        )

    def ensure_excluded(self, pattern: str = ".slowcode/") -> None:
        """Adds `pattern` to the repository's `info/exclude` once.

        The file lives in git's common dir, so every worktree of the repository sees it.
        """
        add_exclude_line(self.common_dir, pattern)

    def head_sha(self) -> str | None:
        """The commit HEAD points to, or None in a repository with no commits yet."""
        result = self._run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        sha = result.text.strip()
        return sha if result.returncode == 0 and sha else None

    def commit_step(
        self,
        paths: Sequence[str],
        subject: str,
        body: str,
        trailers: Sequence[tuple[str, str]],
        *,
        contents: Mapping[str, bytes | None] | None = None,
        verify: bool = True,
    ) -> str:
        """Commits `paths` on top of HEAD with `git commit`, as the developer's git would.

        Hooks run, signing and identity follow the repository's configuration (see
        `slowcode.git.commit`). The commit is built on a temporary index, so the
        developer's other staged and unstaged changes stay where they are; the real
        index entries of `paths` then hold what was committed. Works for a root
        commit, on a branch, and on a detached HEAD.

        Args:
            paths: Repository-relative paths (posix separators).
            subject: The first line of the message.
            body: The message body (may be empty).
            trailers: `(key, value)` pairs written in git's trailer format.
            contents: The bytes to commit per path (None: a deletion); a path not in
                it is committed as the work tree holds it (missing: deleted).
            verify: False commits without hooks (`--no-verify`), only ever on the
                developer's explicit choice.

        Returns:
            The new commit's sha.

        Raises:
            CommitRefused: A hook refused, signing failed, or a hook changed the files.
            RepositoryError: No identity, an unusable path, or git failed.
        """
        if self.identity() is None:
            raise RepositoryError(self.identity_hint())
        names = [self._checked_path(path) for path in paths]
        if not names:
            raise RepositoryError("a step commit needs at least one path")
        checked = {self._checked_path(k): v for k, v in (contents or {}).items()}
        message = format_message(subject, body, trailers)
        plan = CommitPlan(names, checked, message, verify=verify)
        return make_commit(self.root, self.git_dir, plan)

    def trailers(self, sha: str) -> dict[str, list[str]]:
        """The trailers of commit `sha`, as git's `interpret-trailers --parse` reads them."""
        message = self._run("log", "-1", "--format=%B", sha, "--").text
        return parse_trailers(self.root, message)

    def _checked_path(self, path: str) -> str:
        """A normalized repository-relative path, refusing anything outside the work tree."""
        normalized = posixpath.normpath(path.replace("\\", "/"))
        parts = normalized.split("/")
        if (
            not path
            or normalized.startswith("/")
            or normalized == "."
            or ".." in parts
            or parts[0] == ".git"
        ):
            raise RepositoryError(f"refusing to commit path outside the work tree: {path!r}")
        return normalized

    def _run(
        self,
        *args: str,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        check: bool = True,
    ) -> GitResult:
        return run_git(self.root, *args, env=env, stdin=stdin, check=check)
