"""Odd repositories: each state is handled on purpose, from the CLI and from a session."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from slowcode.cli.main import main
from slowcode.core.errors import RepositoryError
from slowcode.decisions.store import DecisionStore
from slowcode.engine.progress import NoticeRaised, Progress, SessionState
from slowcode.git import repo_state
from slowcode.journal.lock import InstanceLock
from tests.context.repos import IDENTITY, conflicting_branches, git, make_repo, with_identity, write
from tests.engine.hostile import RawJsonAPI, plan_reply, workflow_for
from tests.fakeapi import reply, tool_use_block
from tests.helpers.humans import ApprovingHuman, CautiousHuman

EDITOR = "str_replace_based_edit_tool"


def try_git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(root), *IDENTITY, *args], capture_output=True, text=True, check=False
    )


def cli(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main([str(path)])
    error = capsys.readouterr().err
    return status, error


def refused_line(status: int, error: str) -> str:
    assert status == 1
    assert error.startswith("slowcode: ") and error.count("\n") == 1
    return error


# -- states that are refused ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "operation", "advice"),
    [
        (("merge", "other"), "a merge is in progress", "git merge --abort"),
        (("rebase", "other"), "a rebase is in progress", "git rebase --continue"),
        (("cherry-pick", "other"), "a cherry-pick is in progress", "git cherry-pick --abort"),
    ],
)
def test_an_operation_in_progress_is_one_line_and_exit_1(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    start: tuple[str, ...],
    operation: str,
    advice: str,
) -> None:
    root = conflicting_branches(tmp_path)
    assert try_git(root, *start).returncode != 0  # stopped on the conflict
    error = refused_line(*cli(root, capsys))
    assert operation in error and advice in error
    assert not (root / ".slowcode").exists()  # refused before anything was created


async def test_a_session_refuses_a_merge_in_progress_before_writing_anything(
    tmp_path: Path, server: RawJsonAPI
) -> None:
    root = conflicting_branches(tmp_path)
    try_git(root, "merge", "other")
    workflow = workflow_for(root, server, CautiousHuman())
    with pytest.raises(RepositoryError, match="a merge is in progress"):
        await workflow.run("task")
    await workflow.client.aclose()
    assert server.message_requests == []
    assert not (root / ".slowcode").exists()


def test_a_bisect_in_progress_is_refused(tmp_path: Path) -> None:
    root = conflicting_branches(tmp_path)
    git(root, "bisect", "start")
    problem = repo_state.inspect(root).blocking_problem()
    assert problem is not None and "a bisect is in progress" in problem
    assert "git bisect reset" in problem


def test_a_bare_repository_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    assert "bare git repository" in refused_line(*cli(bare, capsys))


def test_a_folder_outside_git_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").mkdir()
    assert "not a git repository" in refused_line(*cli(tmp_path / "plain", capsys))


def test_a_second_instance_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "project", {"a.txt": "a\n"})
    with InstanceLock(root):
        error = refused_line(*cli(root, capsys))
    assert "already working in this repository" in error
    assert ".slowcode/" in (root / ".git" / "info" / "exclude").read_text()


# -- states slowcode works in ---------------------------------------------------------------


def notices(events: list[Progress]) -> list[str]:
    return [event.message for event in events if isinstance(event, NoticeRaised)]


def one_step(path: str = "a.txt", text: str = "new\n") -> list[Any]:
    return [
        plan_reply("Change it"),
        reply(
            tool_use_block(EDITOR, {"command": "create", "path": path, "file_text": text}),
            tool_use_block("finish_step", {"summary": "changed"}),
        ),
        reply("done", stop_reason="end_turn"),
    ]


async def test_no_commits_the_first_step_makes_the_root_commit(
    tmp_path: Path, server: RawJsonAPI
) -> None:
    root = with_identity(make_repo(tmp_path / "project", {"a.txt": "old\n"}, commit=False))
    server.script(*one_step())
    events: list[Progress] = []
    workflow = workflow_for(root, server, ApprovingHuman(), events)
    await workflow.run("task")
    await workflow.client.aclose()
    assert workflow.session.state is SessionState.DONE
    assert any("no commits yet" in line for line in notices(events))
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(root, "log", "-1", "--format=%P").strip() == ""  # a root commit
    assert git(root, "show", "HEAD:a.txt") == "new\n"


async def test_a_detached_head_gets_the_commit_and_a_notice(
    tmp_path: Path, server: RawJsonAPI
) -> None:
    root = with_identity(make_repo(tmp_path / "project", {"a.txt": "old\n"}))
    branch_tip = git(root, "rev-parse", "main").strip()
    git(root, "checkout", "-q", "--detach")
    server.script(*one_step())
    events: list[Progress] = []
    workflow = workflow_for(root, server, ApprovingHuman(), events)
    await workflow.run("task")
    await workflow.client.aclose()
    assert any("HEAD is detached" in line and "git switch -c" in line for line in notices(events))
    assert git(root, "rev-parse", "HEAD^").strip() == branch_tip
    assert git(root, "rev-parse", "main").strip() == branch_tip  # the branch did not move


def stash_pop_conflict(tmp_path: Path) -> Path:
    root = with_identity(make_repo(tmp_path / "project", {"a.txt": "base\n", "b.txt": "b\n"}))
    write(root, "a.txt", "stashed\n")
    git(root, "stash", "-q")
    write(root, "a.txt", "committed\n")
    git(root, "commit", "-q", "-am", "change")
    assert try_git(root, "stash", "pop").returncode != 0
    return root


async def test_a_conflicted_file_is_never_edited_while_others_are(
    tmp_path: Path, server: RawJsonAPI
) -> None:
    root = stash_pop_conflict(tmp_path)
    state = repo_state.inspect(root)
    assert state.operation is None and state.conflicted == ("a.txt",)
    before = (root / "a.txt").read_text()
    plan, step, done = one_step("b.txt", "b changed\n")
    edit_conflicted = reply(
        tool_use_block(EDITOR, {"command": "create", "path": "a.txt", "file_text": "x\n"})
    )
    server.script(plan, edit_conflicted, step, done)
    events: list[Progress] = []
    workflow = workflow_for(root, server, ApprovingHuman(), events)
    await workflow.run("task")
    await workflow.client.aclose()
    assert any("unresolved conflicts in a.txt" in line for line in notices(events))
    result = server.message_requests[2].body["messages"][-1]["content"][0]
    assert result["is_error"] is True
    assert result["content"].startswith("git sees unresolved conflicts in a.txt")
    assert (root / "a.txt").read_text() == before
    assert repo_state.conflicted_paths(root) == ["a.txt"]  # still the developer's to resolve
    assert git(root, "show", "HEAD:b.txt") == "b changed\n"
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["b.txt"]


def test_a_plain_repository_has_nothing_unusual(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "project", {"a.txt": "a\n"})
    state = repo_state.inspect(root)
    assert state.blocking_problem() is None and state.notices() == []


# -- bad configuration met at run time ----------------------------------------------------

DECISION = {"title": "Use a file", "decision": "Keep it in a file.", "context": "c"}


async def test_an_unwritable_decisions_folder_is_one_clear_line_before_any_step(
    tmp_path: Path, server: RawJsonAPI
) -> None:
    root = with_identity(make_repo(tmp_path / "project", {"a.txt": "old\n", "blocked": "x\n"}))
    server.script(*one_step())
    workflow = workflow_for(root, server, ApprovingHuman())
    workflow.decisions = DecisionStore(root, "blocked/decisions")
    with pytest.raises(RepositoryError) as failed:
        await workflow.run("task")
    await workflow.client.aclose()
    message = str(failed.value)
    assert "the decisions folder blocked/decisions cannot be created: blocked is a file" in message
    assert "decisions_dir" in message and "\n" not in message
    assert server.message_requests == []  # refused before the model was asked anything
    assert (root / "a.txt").read_text() == "old\n"
