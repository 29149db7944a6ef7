"""Which files are never read into the model's context.

Git-ignored files, environment files, keys and certificates, and the project's
own `exclude` globs. Every tool that reads files for the model asks this policy
first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pathspec

from slowcode.core.errors import RepositoryError
from slowcode.git.runner import run_git

SECRET_PATTERNS: tuple[str, ...] = (
    ".env*",
    ".envrc",
    ".netrc",
    ".pgpass",
    ".npmrc",
    ".pypirc",
    ".git-credentials",
    "**/.aws/credentials",
    "**/.docker/config.json",
    ".ssh/",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.ppk",
    "*.kdbx",
    "*.crt",
    "*.cer",
    "*.der",
    "*.jks",
    "*.keystore",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    "id_xmss*",
)
"""Built-in gitwildmatch globs for secrets: environment and credential files, private keys
(`id_*` of every OpenSSH key type, with their `_sk` and `.pub` forms), key stores and
certificates. Matched case-insensitively (the patterns are lower case), against the path
as named and the path it resolves to through symbolic links."""

STATE_FOLDER = ".slowcode"
"""slowcode's own folder: journals and locks are never the model's, whatever `.gitignore` says."""

_GIT_TIMEOUT_SECONDS = 30


def _git_paths(root: Path, *args: str) -> list[str] | None:
    """Runs a `git ls-files -z` style command; None when git cannot answer (not a repository)."""
    try:
        result = run_git(root, *args, check=False, timeout=_GIT_TIMEOUT_SECONDS)
    except RepositoryError:
        return None
    if not result.ok:
        return None
    return [item for item in result.text.split("\0") if item]


class ContextPolicy:
    """Decides which repository-relative paths the model may never see.

    Git is asked once (lazily) for the ignored and the visible files; a path git
    did not mention then is checked with `git check-ignore` and the answer cached.

    Args:
        root: The repository's working tree.
        exclude: The configuration's extra globs (gitwildmatch syntax).
    """

    def __init__(self, root: Path, exclude: Sequence[str] = ()) -> None:
        self.root = root.resolve()
        self.exclude = tuple(exclude)
        self._secrets = pathspec.GitIgnoreSpec.from_lines(SECRET_PATTERNS)
        self._configured = pathspec.GitIgnoreSpec.from_lines(self.exclude)
        self._loaded = False
        self._ignored_files: set[str] = set()
        self._ignored_dirs: tuple[str, ...] = ()
        self._visible: set[str] = set()
        self._checked: dict[str, bool] = {}
        self._git_available = True

    def refresh(self) -> None:
        """Forgets what git said, so the next question asks again."""
        self._loaded = False
        self._checked.clear()

    def is_excluded(self, rel_path: str) -> bool:
        """True when the file (or folder) at `rel_path` must never reach the model."""
        return self.refusal(rel_path) is not None

    def refusal(self, rel_path: str) -> str | None:
        """The one-sentence reason `rel_path` is excluded, or None when it may be read."""
        rel = rel_path.strip("/")
        if rel in ("", "."):
            return None
        for named in (rel, *self._resolved_names(rel)):
            if named.split("/", 1)[0].casefold() == STATE_FOLDER:
                return f"{rel} is slowcode's own session data and is never read."
            if self._secrets.match_file(named.casefold()):
                return (
                    f"{rel} looks like a secret (environment, credential, key or certificate "
                    "file) and is never read."
                )
        if self._configured.match_file(rel) or self._configured.match_file(rel + "/"):
            return f"{rel} matches the project's exclude settings and is never read."
        if self._is_git_ignored(rel):
            return f"{rel} is ignored by git and is never read."
        return None

    def _resolved_names(self, rel: str) -> list[str]:
        """The path `rel` resolves to through symbolic links, when that differs.

        Inside the repository it is the resolved relative path; outside, the whole
        resolved path (so a link to `~/.ssh/id_rsa` or `/app/.env` still matches).
        """
        candidate = self.root.joinpath(*rel.split("/"))
        try:
            real = candidate.resolve()
        except (OSError, RuntimeError):
            return []
        if real == candidate:
            return []
        if real.is_relative_to(self.root):
            return [real.relative_to(self.root).as_posix()]
        return [real.as_posix().lstrip("/")]

    def _load(self) -> None:
        ignored = _git_paths(
            self.root,
            "ls-files",
            "--others",
            "--ignored",
            "--exclude-standard",
            "--directory",
            "-z",
        )
        visible = _git_paths(
            self.root, "ls-files", "--cached", "--others", "--exclude-standard", "-z"
        )
        self._git_available = ignored is not None and visible is not None
        self._ignored_files = {p for p in ignored or () if not p.endswith("/")}
        self._ignored_dirs = tuple(p for p in ignored or () if p.endswith("/"))
        self._visible = set(visible or ())
        self._loaded = True

    def _is_git_ignored(self, rel: str) -> bool:
        if not self._loaded:
            self._load()
        if not self._git_available:
            return False
        if rel in self._ignored_files or (rel + "/") in self._ignored_dirs:
            return True
        if any(rel.startswith(folder) for folder in self._ignored_dirs):
            return True
        if rel in self._visible:
            return False
        if rel not in self._checked:
            self._checked[rel] = self._check_ignore(rel)
        return self._checked[rel]

    def _check_ignore(self, rel: str) -> bool:
        # Exit status 0 means ignored, 1 means not ignored; anything else is an
        # error, which is treated as "not ignored" like every path git lists.
        try:
            result = run_git(
                self.root,
                "check-ignore",
                "-q",
                "--",
                rel,
                check=False,
                timeout=_GIT_TIMEOUT_SECONDS,
            )
        except RepositoryError:
            return False
        return result.ok
