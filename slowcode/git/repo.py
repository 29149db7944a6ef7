"""The developer's git repository: identity, exclusions, and one commit per applied step.

Step commits are built with git's plumbing on a temporary index, so a commit holds
exactly the step's files and never the developer's other staged or unstaged work.
"""

from __future__ import annotations

import posixpath
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from slowcode.core.errors import RepositoryError
from slowcode.git.runner import GitResult, git_text, run_git
from slowcode.git.trailers import format_message, parse_trailers
from slowcode.git.worktree import add_exclude_line, find_work_tree

_NO_COMMITS_OLD_VALUE = "0" * 40


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
        """The developer's `user.name` and `user.email` from git config, or None if unset."""
        name = self._config_value("user.name")
        email = self._config_value("user.email")
        if not name or not email:
            return None
        return name, email

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
    ) -> str:
        """Commits exactly `paths` (their work-tree contents) on top of HEAD.

        The developer's other staged and unstaged changes stay where they are: the
        commit is built on a temporary index, and afterwards only the real index
        entries of `paths` are refreshed, so `git status` shows them clean. Works for
        a root commit, on a branch, and on a detached HEAD. The author and committer
        are the developer's git identity.

        Args:
            paths: Repository-relative paths (posix separators); a path missing from
                the work tree is committed as a deletion.
            subject: The first line of the message.
            body: The message body (may be empty).
            trailers: `(key, value)` pairs written in git's trailer format.

        Returns:
            The new commit's sha.

        Raises:
            RepositoryError: No identity, an unusable path, or git refused.
        """
        who = self.identity()
        if who is None:
            raise RepositoryError(self.identity_hint())
        names = [self._checked_path(path) for path in paths]
        if not names:
            raise RepositoryError("a step commit needs at least one path")
        message = format_message(subject, body, trailers)
        parent = self.head_sha()
        name, email = who
        identity_env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
        with tempfile.TemporaryDirectory(prefix="slowcode-index-") as scratch:
            index_env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            if parent is None:
                self._run("read-tree", "--empty", env=index_env)
            else:
                self._run("read-tree", parent, env=index_env)
            self._run("update-index", "--add", "--remove", "--", *names, env=index_env)
            tree = self._run("write-tree", env=index_env).text.strip()
        parent_args = [] if parent is None else ["-p", parent]
        commit = self._run(
            "commit-tree", tree, *parent_args, "-F", "-", env=identity_env, stdin=message
        ).text.strip()
        self._run(
            "update-ref",
            "-m",
            f"slowcode: {message.splitlines()[0]}",
            "HEAD",
            commit,
            parent or _NO_COMMITS_OLD_VALUE,
        )
        # The real index now lags behind HEAD for these paths only; catching it up
        # leaves every other staged entry of the developer untouched.
        self._run("update-index", "--add", "--remove", "--", *names)
        return commit

    def trailers(self, sha: str) -> dict[str, list[str]]:
        """The trailers of commit `sha`, as git's `interpret-trailers --parse` reads them."""
        message = self._run("log", "-1", "--format=%B", sha, "--").text
        return parse_trailers(self.root, message)

    def _config_value(self, key: str) -> str | None:
        result = self._run("config", "--get", key, check=False)
        value = result.text.strip()
        return value if result.returncode == 0 and value else None

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
