"""The bounded conversation (decision 0008): a step done is folded into a summary.

A five-step session runs against the fake server, which refuses a conversation the
real API would refuse (`tests/fakeapi/conversation_rules.py`): a step sent back
once, a decision recorded, a step skipped, a hunk commented on. The requests are
checked for their shape, for the summary's content, against what a resume rebuilds
from the journal at every request, and against a session really resumed.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from slowcode.core.step_review import StepReview, Verdict
from slowcode.engine.human import DecisionAction, StepAction, StepVerdict
from slowcode.engine.model_loop.conversation import Conversation
from slowcode.engine.progress import SessionState
from slowcode.engine.session.resume import resume_point
from slowcode.journal import events as ev
from slowcode.journal.log import JOURNAL_FILE, find_sessions, read_events
from slowcode.model.cache_breakpoints import with_conversation_breakpoints
from tests.context.repos import git, make_repo, with_identity
from tests.engine.hostile import RawJsonAPI, plan_reply, workflow_for
from tests.fakeapi import Turn, reply, tool_use_block
from tests.fakeapi.conversation_rules import conversation_problem
from tests.helpers.humans import ApprovingHuman

EDITOR = "str_replace_based_edit_tool"
TASK = "add five small modules"
TITLES = ("Add one", "Add two", "Choose storage", "Try three", "Add five")
DECISION = {
    "title": "Store data in JSON files",
    "context": "The modules need somewhere to keep data.",
    "decision": "One JSON file per module.",
    "consequences": "No database to run.",
}


def step_turn(path: str, text: str, summary: str, **finish: Any) -> Turn:
    return reply(
        tool_use_block(EDITOR, {"command": "create", "path": path, "file_text": text}),
        tool_use_block("finish_step", {"summary": summary, **finish}),
    )


def script() -> list[Turn]:
    return [
        plan_reply(*TITLES),
        step_turn("one.py", "ONE = 1\n", "One."),
        step_turn("two.py", "TWO = 1 + 1\n", "Two."),
        step_turn("two.py", "TWO = 2\n", "Two, simpler."),
        step_turn(
            "store.py", "FOLDER = 'data'\n", "Storage.", architectural=True, decision=DECISION
        ),
        step_turn("three.py", "THREE = 3\n", "Three."),
        step_turn("five.py", "FIVE = 5\n", "Five."),
        reply("All five done.", stop_reason="end_turn"),
    ]


class StepHuman(ApprovingHuman):
    """Sends step 2 back once, comments on step 3's hunk, rejects step 4, accepts the rest."""

    def __init__(self, quit_at_review: int | None = None) -> None:
        super().__init__()
        self.quit_at_review = quit_at_review

    async def review_step(self, review: StepReview) -> StepVerdict:
        if len(self.reviews) == self.quit_at_review:
            raise KeyboardInterrupt  # the developer quit with the review open
        if review.step_number == 2 and len(self.reviews) == 1:
            self.reviews.append(review)
            return StepVerdict(StepAction.SEND_BACK, feedback="use a plain constant")
        if review.step_number == 4:
            self.reviews.append(review)
            for position in range(len(review.hunks)):
                review.set_verdict(position, Verdict.REJECTED)
            return StepVerdict(
                StepAction.APPLY, decision_action=DecisionAction.NOT_ARCHITECTURAL, reason="a test"
            )
        verdict = await super().review_step(review)
        if review.step_number == 3:
            review.set_verdict(0, Verdict.ACCEPTED, comment="keep the folder name")
        return verdict


def new_repo(folder: Path) -> Path:
    root = make_repo(folder, {"README.md": "# five\n"})
    with_identity(root)
    return root


def run(root: Path, server: RawJsonAPI, human: StepHuman, *, resume: bool = False) -> Any:
    workflow = workflow_for(root, server, human)

    async def drive() -> None:
        try:
            if resume:
                assert await workflow.resume() is True
            else:
                await workflow.run(TASK)
        finally:
            await workflow.client.aclose()

    asyncio.run(drive())
    return workflow


def sent(server: RawJsonAPI) -> list[list[dict[str, Any]]]:
    return [request.body["messages"] for request in server.message_requests]


def unmarked(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages without their cache breakpoints."""
    return [
        {
            **message,
            "content": [
                {key: value for key, value in block.items() if key != "cache_control"}
                for block in message["content"]
            ],
        }
        for message in messages
    ]


def commits(root: Path) -> dict[str, str]:
    """Commit subject -> sha, for the session's commits."""
    lines = git(root, "log", "--format=%s%x00%H").splitlines()
    return dict(line.split("\0") for line in lines)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return new_repo(tmp_path / "project")


@pytest.fixture(autouse=True)
def pinned_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    # Commits made at another second would have other ids: pin git's clock.
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-11-21T14:25:01+0000")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-21T14:25:01+0000")


def test_a_step_done_is_folded_into_the_summary(repo: Path, server: RawJsonAPI) -> None:
    server.script(*script())
    workflow = run(repo, server, StepHuman())
    assert workflow.session.state is SessionState.DONE
    requests = sent(server)
    assert len(requests) == 8
    assert all(conversation_problem(messages) is None for messages in requests)
    # Planning and step 1 are sent as they happened: the task, then every turn.
    assert requests[1][0]["role"] == "user"
    assert [block["text"] for block in requests[1][0]["content"]] == [TASK]
    assert len(requests[1]) == 3
    # After step 1: the summary, then the model's closing turn and its results only.
    after_one = requests[2]
    assert len(after_one) == 3
    assert after_one[0]["role"] == "user"
    task, progress = (block["text"] for block in after_one[0]["content"])
    assert task == TASK
    sha = commits(repo)
    assert "1. [applied] Add one: because add one" in progress
    assert "2. [current] Add two" in progress and "3. [pending] Choose storage" in progress
    assert f'- Step 1 "Add one": applied as commit {sha["Add one"][:7]}; files: one.py' in progress
    closing = after_one[1]["content"]
    assert [b["name"] for b in closing if b["type"] == "tool_use"] == [EDITOR, "finish_step"]
    result = json.loads(after_one[2]["content"][1]["content"])
    assert result["applied"] is True and result["next_step"] == 2
    # Step 2 was sent back: its rounds stay until it is done, then only the note does.
    assert len(requests[3]) == 5
    after_two = requests[4][0]["content"][1]["text"]
    assert "Developer: sent back: use a plain constant" in after_two
    assert "hunks: 1 accepted" in after_two and "TWO = 1 + 1" not in json.dumps(requests[4])
    after_three = requests[5][0]["content"][1]["text"]
    record = "docs/decisions/0001-store-data-in-json-files.md"
    assert f"decision: {record} (Store data in JSON files)" in after_three
    assert "Developer: store.py hunk 0 (accepted): keep the folder name" in after_three
    after_four = requests[6][0]["content"][1]["text"]
    assert "4. [skipped] Try three" in after_four and "5. [current] Add five" in after_four
    assert '- Step 4 "Try three": skipped; hunks: 1 rejected.' in after_four
    # The last step is not folded: the closing request extends the step's requests.
    assert unmarked(requests[7][: len(requests[6])]) == unmarked(requests[6])
    assert requests[7][0]["content"][1]["text"].count("- Step ") == 4


def test_every_request_is_what_the_journal_rebuilds(repo: Path, server: RawJsonAPI) -> None:
    server.script(*script())
    run(repo, server, StepHuman())
    (folder,) = find_sessions(repo)
    events = read_events(folder)
    requests = sent(server)
    at = [index for index, event in enumerate(events) if event["type"] == "model_request"]
    assert len(at) == len(requests)
    for index, messages in zip(at, requests, strict=True):
        rebuilt = resume_point(folder.name, events[:index]).conversation.request_messages()
        # The breakpoints are placed on the request, never kept in the conversation.
        assert json.dumps(with_conversation_breakpoints(rebuilt)) == json.dumps(messages)


def test_a_resumed_session_sends_what_an_uninterrupted_one_sends(
    tmp_path: Path, server: RawJsonAPI
) -> None:
    reference = new_repo(tmp_path / "reference")
    turns = script()
    server.script(*turns)
    run(reference, server, StepHuman())
    uninterrupted = sent(server)

    # The same session stopped with step 2's second review open: the repository as it
    # was then (HEAD at step 1's commit) and the journal up to that review.
    copy = tmp_path / "copy"
    shutil.copytree(reference, copy, symlinks=True)
    git(copy, "reset", "-q", "--hard", commits(reference)["Add one"])
    (folder,) = find_sessions(copy)
    lines = (folder / JOURNAL_FILE).read_text().splitlines(keepends=True)
    opened = [
        number
        for number, line in enumerate(lines)
        if json.loads(line)["type"] == "step_review_opened"
        and json.loads(line)["data"]["step"] == 2
    ]
    cut = opened[1] + 1
    (folder / JOURNAL_FILE).write_text("".join(lines[:cut]))
    asked = sum(1 for line in lines[:cut] if json.loads(line)["type"] == "model_request")
    assert asked == 4

    server.requests.clear()
    server.script(*turns[asked:])
    workflow = run(copy.resolve(), server, StepHuman(), resume=True)
    assert workflow.session.state is SessionState.DONE
    resumed = sent(server)
    assert resumed and len(resumed) == len(uninterrupted) - asked
    for again, before in zip(resumed, uninterrupted[asked:], strict=True):
        assert json.dumps(again) == json.dumps(before)
    assert commits(copy) == commits(reference)


def test_the_request_size_does_not_grow_with_the_steps_done() -> None:
    conversation = Conversation()
    plan = {"goal": "many", "steps": [{"title": f"Step {n}", "why": "w"} for n in range(1, 61)]}
    conversation.follow(ev.SessionStarted(task=TASK))
    conversation.follow(ev.ConversationMessage(message={"role": "user", "content": TASK}))
    conversation.follow(ev.PlanApproved(plan=plan))
    sizes = []
    for n in range(1, 61):
        use = tool_use_block("finish_step", {"summary": f"Step {n}."})
        conversation.follow(ev.ConversationMessage(message={"role": "assistant", "content": [use]}))
        hunks = [{"file": f"m{n}.py", "index": 0, "verdict": "accepted", "comment": "ok " * 200}]
        conversation.follow(ev.StepVerdictGiven(step=n, action="apply", hunks=hunks))
        conversation.follow(ev.StepApplied(step=n, commit=f"{n:040x}", paths=[f"m{n}.py"]))
        result = {"type": "tool_result", "tool_use_id": use["id"], "content": "{}"}
        conversation.follow(ev.ConversationMessage(message={"role": "user", "content": [result]}))
        messages = conversation.request_messages()
        assert conversation_problem(messages) is None
        if n == 60:
            # The last step is not folded: the closing request reads it from the cache.
            assert len(messages) == 5
            break
        assert len(messages) == 3
        sizes.append(len(json.dumps(messages)))
    # Once the detailed window is full, only the digits of step numbers change.
    assert max(sizes[10:]) - min(sizes[10:]) <= 64
