"""`slowcode decisions status` and `supersede` commit the edit on its own, with trailers."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.decisions.store import DecisionStore
from slowcode.git.trailers import parse_trailers
from tests.context.repos import make_repo, write

RECORD = "docs/decisions/0001-use-a-queue.md"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "p", {"README.md": "# p\n", "app.py": "x = 1\n"})
    DecisionStore(root).write(
        DecisionRecord(
            title="Use a queue",
            context="Jobs pile up.",
            outcome="Use a queue.",
            status=DecisionStatus.PROPOSED,
            date="2026-11-21",
        )
    )
    git(root, "add", RECORD)
    git(root, "commit", "-qm", "The decision log")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_status_change_is_one_commit_of_the_record_with_its_trailers(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The developer's own work in progress, staged and unstaged, stays out of it.
    write(repo, "app.py", "x = 2\n")
    write(repo, "notes.txt", "mine\n")
    git(repo, "add", "notes.txt")
    before = git(repo, "rev-parse", "HEAD").strip()

    code, out, err = run(capsys, "decisions", "-C", str(repo), "status", "1", "accepted")

    assert (code, err) == (0, "")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert f"committed {head[:8]}" in out
    assert git(repo, "rev-parse", "HEAD^").strip() == before
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [RECORD]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == "Decision 0001 accepted: Use a queue"
    trailers = parse_trailers(repo, message)
    assert trailers["Decision"] == [RECORD]
    assert trailers["Slowcode-Action"] == ["accepted"]
    assert git(repo, "status", "--porcelain").splitlines() == [" M app.py", "A  notes.txt"]


def test_a_refusing_hook_leaves_the_edit_written_uncommitted_and_says_why(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hook = repo / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'decision log is frozen this week' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = git(repo, "rev-parse", "HEAD").strip()

    code, out, err = run(capsys, "decisions", "-C", str(repo), "status", "1", "rejected")

    assert code == 1
    assert "not committed" in out
    assert "decision log is frozen this week" in err
    assert git(repo, "rev-parse", "HEAD").strip() == before
    assert "status: rejected" in (repo / RECORD).read_text()


def test_no_commit_writes_the_change_and_commits_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = git(repo, "rev-parse", "HEAD").strip()
    code, out, _ = run(
        capsys, "decisions", "-C", str(repo), "status", "1", "accepted", "--no-commit"
    )
    assert code == 0 and "committed" not in out
    assert git(repo, "rev-parse", "HEAD").strip() == before
    assert git(repo, "status", "--porcelain").splitlines() == [f" M {RECORD}"]


def test_a_supersede_commits_both_records_naming_each(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "decisions", "-C", str(repo), "status", "1", "accepted")
    code, out, _ = run(
        capsys,
        "decisions",
        "-C",
        str(repo),
        "supersede",
        "1",
        "--title",
        "Use a log",
        "--decision",
        "Use an append-only log.",
    )
    assert code == 0, out
    new = "docs/decisions/0002-use-a-log.md"
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == [RECORD, new]
    trailers = parse_trailers(repo, git(repo, "log", "-1", "--format=%B"))
    assert trailers["Decision"] == [new, RECORD]
    assert trailers["Slowcode-Action"] == ["supersedes 0001"]
    assert git(repo, "status", "--porcelain") == ""
