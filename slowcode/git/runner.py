"""The one way slowcode runs git: `run_git`, its result, and its error.

Every git command slowcode runs goes through here, so each one behaves the same:
git speaks English (`LC_ALL=C`, its output is parsed and its messages quoted),
never prompts for a password, returns its output as bytes (file contents and odd
file names survive), and a failure is one `GitError` line naming the subcommand
and git's own first line of complaint.

Only the standard library is imported: start-up runs git before anything heavy loads.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from slowcode.core.errors import RepositoryError

# Options that take the next argument as their value, before the subcommand.
_GLOBAL_OPTIONS_WITH_VALUE = frozenset({"-c", "-C", "--git-dir", "--work-tree"})


class GitError(RepositoryError):
    """git could not run, did not finish in time, or exited with a failure status.

    Attributes:
        timed_out: True when git was stopped because it ran longer than allowed.
    """

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        """Makes the one-line error; `timed_out` marks a command that ran too long."""
        super().__init__(message)
        self.timed_out = timed_out


@dataclass(frozen=True)
class GitResult:
    """What one git command printed and how it exited.

    Attributes:
        args: The arguments after `git`.
        returncode: git's exit status.
        stdout: Standard output, as git wrote it.
        stderr: Standard error, as git wrote it.
    """

    args: tuple[str, ...]
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def ok(self) -> bool:
        """True when git exited with status 0."""
        return self.returncode == 0

    @property
    def text(self) -> str:
        """Standard output as text; bytes that are not UTF-8 survive a round trip."""
        return self.stdout.decode("utf-8", "surrogateescape")

    def error(self) -> GitError:
        """The one-line error for this result: `git SUBCOMMAND failed: git's first line`."""
        lines = self.stderr.decode("utf-8", "replace").strip().splitlines()
        if not lines:
            lines = self.stdout.decode("utf-8", "replace").strip().splitlines()
        reason = lines[0].strip() if lines else f"exit status {self.returncode}"
        return GitError(f"git {subcommand(self.args)} failed: {reason}")


def run_git(
    cwd: Path | str,
    *args: str,
    stdin: bytes | str | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    timeout: float | None = None,
) -> GitResult:
    """Runs `git -C CWD ARGS` and returns what it printed.

    Args:
        cwd: The folder git runs in (a work tree, or a scratch folder for
            `merge-file` and `diff --no-index`). A folder that does not exist is
            git's failure to report, not an error of its own.
        *args: The arguments after `git`.
        stdin: Bytes (or text, sent as UTF-8) for git's standard input.
        env: Variables added to the environment (`GIT_INDEX_FILE`, an identity, …).
        check: Raise when git exits with a failure status; without it the caller
            reads `returncode` (for the commands whose status is an answer).
        timeout: Seconds after which git is stopped and `GitError` raised.

    Returns:
        The exit status and both outputs, as bytes.

    Raises:
        GitError: git could not be started, ran out of time, or (with `check`)
            failed; always one line.
    """
    full_env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    if env:
        full_env.update(env)
    data = stdin.encode("utf-8", "surrogateescape") if isinstance(stdin, str) else stdin
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *args],
            input=data,
            stdin=subprocess.DEVNULL if data is None else None,
            capture_output=True,
            env=full_env,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise GitError(
            f"git {subcommand(args)} did not finish within {timeout:g} s", timed_out=True
        ) from None
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    result = GitResult(tuple(args), done.returncode, done.stdout, done.stderr)
    if check and not result.ok:
        raise result.error()
    return result


def git_text(
    cwd: Path | str,
    *args: str,
    stdin: bytes | str | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    timeout: float | None = None,
) -> str:
    """`run_git(...).text`: git's standard output as text.

    Raises:
        GitError: As `run_git` does.
    """
    return run_git(cwd, *args, stdin=stdin, env=env, check=check, timeout=timeout).text


def subcommand(args: Sequence[str]) -> str:
    """The git subcommand among `args` (`grep` in `-c grep.lineNumber=true grep -n …`)."""
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
        elif arg in _GLOBAL_OPTIONS_WITH_VALUE:
            skip_next = True
        elif not arg.startswith("-"):
            return arg
    return "(no subcommand)"
