"""Replaying a scripted session from its journal reproduces every step's committed tree."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.core.step_review import Verdict
from slowcode.engine.human import StepAction, StepVerdict
from slowcode.journal.log import JOURNAL_FILE, SESSIONS_DIR, canonical_json, read_events
from slowcode.ops.replay import ReplayHuman, recorded_responses
from tests.context.repos import git, make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, make_workflow, two_step_script


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    return root


async def scripted_session(repo: Path, fake_api: FakeMessagesAPI) -> str:
    """Two steps: the first sent back once, then applied with one hunk rejected."""
    script = two_step_script()
    resend = reply(tool_use_block("finish_step", {"summary": "Polite greetings, again."}))
    fake_api.script(*script[:4], resend, *script[4:])
    human = ScriptedHuman(
        hunk_verdicts=[[Verdict.REJECTED, Verdict.ACCEPTED], [Verdict.ACCEPTED, Verdict.REJECTED]],
        step_actions=[StepVerdict(StepAction.SEND_BACK, feedback="other way round")],
    )
    workflow = make_workflow(repo, fake_api, human, [])
    await workflow.run("Make greetings nicer")
    return workflow.session.session_id


def worktrees(repo: Path) -> int:
    return git(repo, "worktree", "list").count("\n")


async def test_replay_check_says_every_step_matches(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = await scripted_session(repo, fake_api)
    head = git(repo, "rev-parse", "HEAD")

    # In a thread: the command runs its own event loop.
    assert (
        await asyncio.to_thread(main, ["replay", session_id[:15], "--check", "-C", str(repo)]) == 0
    )

    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[:2] for line in lines] == [["step 1", " OK"], ["step 2", " OK"]]
    assert worktrees(repo) == 1  # the scratch worktree is gone
    assert git(repo, "rev-parse", "HEAD") == head  # the repository itself is untouched
    assert git(repo, "status", "--porcelain") == ""


async def test_a_changed_verdict_in_the_journal_is_a_mismatch(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = await scripted_session(repo, fake_api)
    journal = repo / SESSIONS_DIR / session_id / JOURNAL_FILE
    events = read_events(journal)
    for event in events:
        # The applied round of step 1 said: accept, reject. Say reject, accept instead.
        if event["type"] == "step_verdict" and event["data"]["action"] == "apply":
            rows = event["data"]["hunks"]
            if event["data"]["step"] == 1:
                rows[0]["verdict"], rows[1]["verdict"] = "rejected", "accepted"
        if event["type"] == "review_progress":
            event["data"]["hunks"] = []
    journal.write_text("".join(canonical_json(e) + "\n" for e in events))

    assert await asyncio.to_thread(main, ["replay", session_id, "--check", "-C", str(repo)]) == 1

    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("step 1: MISMATCH: commit ")
    assert captured.err.startswith("slowcode: ") and "differ" in captured.err
    assert worktrees(repo) == 1


async def test_responses_and_verdicts_are_rebuilt_from_the_journal(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    session_id = await scripted_session(repo, fake_api)
    events = read_events(repo / SESSIONS_DIR / session_id)
    responses = recorded_responses(events, "claude-sonnet-5-5")
    assert len(responses) == len(fake_api.message_requests)
    assert [r["stop_reason"] for r in responses][-1] == "end_turn"
    assert responses[1]["content"][0]["name"] == "propose_plan"
    human = ReplayHuman.from_events(events)
    assert [plan["approved"] for plan in human.plans] == [True]
    assert [data["action"] for data, _hunks in human.steps] == ["send_back", "apply", "apply"]
    assert json.dumps(responses)  # served as JSON as they are


def test_a_session_without_commits_cannot_be_replayed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = repo / SESSIONS_DIR / "20260101-000000-abcdef"
    folder.mkdir(parents=True)
    event = {"seq": 1, "ts": "2026-01-01T00:00:00.000Z", "type": "session_started"}
    event |= {"data": {"task": "t", "model": "m"}, "prev": None}
    (folder / JOURNAL_FILE).write_text(canonical_json(event) + "\n")
    assert main(["replay", "20260101", "-C", str(repo)]) == 1
    assert capsys.readouterr().err == (
        "slowcode: session 20260101-000000-abcdef made no commit: there is nothing to replay\n"
    )
