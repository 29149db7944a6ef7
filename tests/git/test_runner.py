"""The one git runner: English messages, bytes kept, one-line errors, statuses as answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.git.runner import GitError, git_text, run_git, subcommand
from tests.context.repos import git, make_repo


def test_output_is_bytes_as_git_wrote_them(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    data = b"\x00\xff\xfe not UTF-8 \r\n"
    blob = run_git(repo, "hash-object", "-w", "--stdin", stdin=data).text.strip()

    assert run_git(repo, "cat-file", "blob", blob).stdout == data


def test_text_keeps_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    odd = "caf\udce9.txt"  # the byte 0xE9 alone, as git prints a Latin-1 name
    (repo / odd).write_bytes(b"x")

    listed = git_text(repo, "ls-files", "--others", "-z").split("\0")

    assert odd in listed


def test_a_failure_is_one_english_line_naming_the_subcommand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    # A developer's German locale must not change what slowcode parses or shows.
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")

    with pytest.raises(GitError) as failed:
        run_git(repo, "-c", "core.quotepath=off", "rev-parse", "--verify", "no-such-ref")

    message = str(failed.value)
    assert message == "git rev-parse failed: fatal: Needed a single revision"
    assert "\n" not in message
    assert not failed.value.timed_out


def test_without_check_the_status_is_the_answer(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n", ".gitignore": "*.log\n"})

    assert run_git(repo, "check-ignore", "-q", "x.log", check=False).ok
    missed = run_git(repo, "check-ignore", "-q", "x.txt", check=False)
    assert missed.returncode == 1
    assert "check-ignore failed" in str(missed.error())


def test_text_input_and_extra_environment_reach_git(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    env = {"GIT_AUTHOR_NAME": "Grace", "GIT_AUTHOR_EMAIL": "g@example.com"}

    ident = git_text(repo, "var", "GIT_AUTHOR_IDENT", env=env)
    parsed = git_text(repo, "interpret-trailers", "--parse", stdin="s\n\nKey: välue\n")

    assert ident.startswith("Grace <g@example.com>")
    assert parsed == "Key: välue\n"


def test_a_folder_that_is_not_there_is_gits_failure_to_report(tmp_path: Path) -> None:
    result = run_git(tmp_path / "missing", "status", check=False)

    assert result.returncode != 0
    assert "cannot change to" in result.error().args[0]


def test_git_missing_from_path_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(GitError, match=r"^git is not installed or not on PATH$"):
        run_git(tmp_path, "status")


def test_a_command_over_its_time_is_stopped(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    # An alias to a shell command that outlives the limit stands for a hung git.
    git(repo, "config", "alias.hang", "!sleep 5")

    with pytest.raises(GitError, match=r"did not finish within 0\.2 s") as failed:
        run_git(repo, "hang", timeout=0.2)

    assert failed.value.timed_out


def test_subcommand_skips_global_options() -> None:
    assert subcommand(["-c", "grep.lineNumber=true", "-C", "x", "grep", "-n"]) == "grep"
    assert subcommand(["--no-pager", "log"]) == "log"
    assert subcommand([]) == "(no subcommand)"
