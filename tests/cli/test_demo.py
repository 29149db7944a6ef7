"""The offline demo: the sample repository it creates and the session it replays."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from slowcode.context.policy import ContextPolicy
from slowcode.core.paths import PathPolicy
from slowcode.demo.runner import (
    DEMO_USER_EMAIL,
    DEMO_USER_NAME,
    SAMPLE_DIR,
    closing_lines,
    commit_count,
    create_sample_repository,
    load_session,
)
from slowcode.engine.staging.diffs import diff_step
from slowcode.engine.staging.editor_tool import run_editor_command
from slowcode.engine.staging.tree import StagedTree


def git(repository: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repository, capture_output=True, text=True, check=True
    ).stdout.strip()


def run_sample_tests(repository: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=repository,
        capture_output=True,
        text=True,
    )


def test_the_sample_becomes_a_repository_with_one_commit_and_a_local_identity(
    tmp_path: Path,
) -> None:
    repository = create_sample_repository(tmp_path / "demo")
    assert commit_count(repository) == 1
    assert git(repository, "config", "--local", "user.name") == DEMO_USER_NAME
    assert git(repository, "config", "--local", "user.email") == DEMO_USER_EMAIL
    assert git(repository, "log", "-1", "--format=%an <%ae>") == (
        f"{DEMO_USER_NAME} <{DEMO_USER_EMAIL}>"
    )
    assert git(repository, "status", "--porcelain") == ""
    committed = sorted(git(repository, "ls-files").splitlines())
    assert committed == ["README.md", "cli.py", "pyproject.toml", "test_todo.py", "todo.py"]
    for name in committed:
        assert filecmp.cmp(SAMPLE_DIR / name, repository / name, shallow=False), name


def test_a_new_temporary_folder_is_used_when_none_is_given() -> None:
    repository = create_sample_repository()
    try:
        assert repository.name.startswith("slowcode-demo-")
        assert commit_count(repository) == 1
    finally:
        shutil.rmtree(repository)


def test_the_sample_tests_pass_as_shipped(tmp_path: Path) -> None:
    repository = create_sample_repository(tmp_path / "demo")
    result = run_sample_tests(repository)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_untouched_copy_is_removed_at_the_end(tmp_path: Path) -> None:
    repository = create_sample_repository(tmp_path / "demo")
    message = closing_lines(repository, keep=False)
    assert not repository.exists()
    assert str(repository) in message
    assert "--keep" in message


def test_keep_leaves_an_untouched_copy(tmp_path: Path) -> None:
    repository = create_sample_repository(tmp_path / "demo")
    message = closing_lines(repository, keep=True)
    assert repository.exists()
    assert f"The sample repository is in {repository} (0 steps" in message


def test_a_copy_with_applied_steps_is_kept_and_its_path_printed(tmp_path: Path) -> None:
    repository = create_sample_repository(tmp_path / "demo")
    (repository / "todo.py").write_text("# changed\n", encoding="utf-8")
    git(repository, "commit", "--quiet", "-am", "A step", "-m", "Slowcode-Step: 1")
    # An undo's revert and a decision-log commit are not steps.
    git(repository, "commit", "--quiet", "--allow-empty", "-m", "Revert", "-m", "Slowcode-Undo: x")
    message = closing_lines(repository, keep=False)
    assert repository.exists()
    assert f"The sample repository is in {repository} (1 step applied by slowcode)" in message
    assert f"rm -rf {repository}" in message


def test_an_unfinished_session_left_behind_is_said_to_resume_with_slowcode(
    tmp_path: Path,
) -> None:
    from slowcode.journal import events as ev
    from slowcode.journal.log import Journal

    repository = create_sample_repository(tmp_path / "demo")
    assert "session there is unfinished" not in closing_lines(repository, keep=True)
    journal = Journal.create(repository)
    journal.record(ev.SessionStarted(task="Store the list as JSON", model="claude-sonnet-5-5"))
    message = closing_lines(repository, keep=True)
    assert "The session there is unfinished: `slowcode` in that folder resumes it" in message
    assert f"cd {repository} && slowcode" in message
    journal.record(ev.SessionFinished(summary="done"))
    assert "session there is unfinished" not in closing_lines(repository, keep=True)


def test_the_recorded_session_has_the_protocol_s_shape() -> None:
    session = load_session()
    assert session.task
    assert session.model == "claude-sonnet-5-5"
    responses = session.responses
    assert [r["stop_reason"] for r in responses] == ["tool_use"] * 4 + ["end_turn"]
    for response in responses:
        assert response["type"] == "message"
        assert response["role"] == "assistant"
        assert response["model"] == session.model
        assert response["id"].startswith("msg_")
        assert response["usage"]["input_tokens"] > 0
        assert response["usage"]["output_tokens"] > 0
    tool_uses = [b for r in responses for b in r["content"] if b["type"] == "tool_use"]
    ids = [b["id"] for b in tool_uses]
    assert len(ids) == len(set(ids))

    def names(index: int) -> list[str]:
        return [b["name"] for b in responses[index]["content"] if b["type"] == "tool_use"]

    assert set(names(0)) == {"str_replace_based_edit_tool"}
    assert names(1) == ["propose_plan"]
    plan = tool_uses[len(names(0))]["input"]
    assert len(plan["steps"]) == 2
    assert all(step["title"] and step["why"] for step in plan["steps"])
    for index, architectural in ((2, False), (3, True)):
        assert names(index)[-1] == "finish_step"
        assert set(names(index)[:-1]) == {"str_replace_based_edit_tool"}
        finish = responses[index]["content"][-1]["input"]
        assert finish["architectural"] is architectural
        assert finish["summary"]
    decision = responses[3]["content"][-1]["input"]["decision"]
    assert set(decision) == {"title", "context", "decision", "consequences", "alternatives"}
    assert all(a["option"] and a["why_not"] for a in decision["alternatives"])
    assert [b["type"] for b in responses[4]["content"]] == ["text"]


def editor_calls(response: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        block["input"]
        for block in response["content"]
        if block["type"] == "tool_use" and block["name"] == "str_replace_based_edit_tool"
    ]


def stage(repository: Path, calls: list[dict[str, Any]]) -> StagedTree:
    """Runs the calls through the engine's editor tool, as the session would."""
    tree = StagedTree(repository, PathPolicy(repository), ContextPolicy(repository))
    for call in calls:
        if call["command"] == "str_replace":
            # The protocol's rule, checked here too so a failure names the edit.
            assert tree.read(call["path"]).count(call["old_str"]) == 1, call
        outcome = run_editor_command(tree, call)
        assert not outcome.is_error, (call, outcome.text)
    return tree


def test_the_recorded_edits_apply_to_the_sample_step_by_step(tmp_path: Path) -> None:
    repository = create_sample_repository(tmp_path / "demo")
    responses = load_session().responses
    views = stage(repository, editor_calls(responses[0]))
    assert views.staged_paths() == []

    for index, expected_paths in (
        (2, ["cli.py", "test_todo.py", "todo.py"]),
        (3, ["README.md", "cli.py", "storage.py", "todo.py"]),
    ):
        tree = stage(repository, editor_calls(responses[index]))
        assert tree.staged_paths() == expected_paths
        changed = sum(hunk.changed_lines for file in diff_step(tree) for hunk in file.hunks)
        assert 0 < changed <= 40
        for path in tree.staged_paths():
            text = tree.staged_text(path)
            assert text is not None
            (repository / path).write_text(text, encoding="utf-8")
        git(repository, "add", "--all")
        git(repository, "commit", "--quiet", "-m", f"step {index - 1}")

    # The steps leave a working project: its own tests (two of them new) pass.
    result = run_sample_tests(repository)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout
    assert "import storage" in (repository / "todo.py").read_text(encoding="utf-8")
