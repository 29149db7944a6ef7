"""Sessions with extended thinking: blocks journaled, sent back exactly, through kills, replays."""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from slowcode.cli.main import main
from slowcode.engine.progress import ModelThinkingStreamed, Progress, SessionState
from slowcode.journal.log import find_sessions, read_events, verify
from slowcode.ops.replay import recorded_responses
from tests.context.repos import git, make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI, Turn, redacted_thinking_block, thinking_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, make_workflow, two_step_script

CHILD = Path(__file__).with_name("session_kill_child.py")
# Looks like a secret to the journal's redaction, which must leave signed blocks alone.
THOUGHT = "Step {n}: read before editing. The header said Bearer abcdefghijklmnop."


def thinking_script() -> list[Turn]:
    """The two-step script, with thinking (and once redacted thinking) before each tool call."""
    turns = []
    for number, turn in enumerate(two_step_script()):
        assert turn.message is not None
        content = turn.message["content"]
        if any(block["type"] == "tool_use" for block in content):
            thinking = [thinking_block(THOUGHT.format(n=number))]
            if number == 2:
                thinking.append(redacted_thinking_block(f"opaque-{number}=="))
            content = [*thinking, *content]
        turns.append(dataclasses.replace(turn, message={**turn.message, "content": content}))
    return turns


def served_thinking() -> list[list[dict[str, object]]]:
    return [
        [b for b in turn.message["content"] if b["type"] in ("thinking", "redacted_thinking")]
        for turn in thinking_script()
        if turn.message is not None
    ]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    return root


def journaled_thinking(root: Path) -> list[list[dict[str, object]]]:
    """The thinking blocks of each assistant message in the session's journal."""
    found = []
    for event in read_events(find_sessions(root)[-1]):
        message = event["data"].get("message") if event["type"] == "conversation_message" else None
        if message and message["role"] == "assistant":
            content = message["content"]
            blocks = content if isinstance(content, list) else []
            found.append([b for b in blocks if b["type"] in ("thinking", "redacted_thinking")])
    return found


async def test_thinking_streams_and_is_journaled_and_sent_back_exactly(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*thinking_script())
    events: list[Progress] = []
    human = ScriptedHuman()
    workflow = make_workflow(repo, fake_api, human, events)
    workflow.settings = dataclasses.replace(workflow.settings, thinking="4096")

    await workflow.run("Make greetings nicer")
    await workflow.client.aclose()

    # The fake refuses any request whose thinking was dropped or changed, so the
    # session could only finish with every block sent back as it came.
    assert workflow.session.state is SessionState.DONE
    assert fake_api.pending == 0
    streamed = "".join(e.text for e in events if isinstance(e, ModelThinkingStreamed))
    assert THOUGHT.format(n=0) in streamed and THOUGHT.format(n=4) in streamed
    assert journaled_thinking(repo) == served_thinking()


def child(root: Path, server: FakeMessagesAPI, mode: str, kill_after: int) -> Any:
    return subprocess.run(
        [sys.executable, str(CHILD), str(root), server.base_url, mode, str(kill_after), "4096"],
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_a_session_with_thinking_resumes_after_sigkill_mid_step_and_replays(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*thinking_script())
    reference = [e["type"] for e in read_events_of_reference(repo.parent / "reference")]
    kill_after = reference.index("staged") + 1  # step 1's first edit is staged

    killed = await asyncio.to_thread(child, repo, fake_api, "run", kill_after)
    assert killed.returncode == -9, killed.stderr[-2000:]
    resumed = await asyncio.to_thread(child, repo, fake_api, "resume", 0)
    assert resumed.returncode == 0, resumed.stderr[-2000:]

    assert fake_api.pending == 0  # nothing asked twice, nothing refused
    subjects = git(repo, "log", "--format=%s").splitlines()
    assert subjects[:2] == ["Add a farewell module", "Greet politely"]
    folder = find_sessions(repo)[-1]
    assert verify(folder)[0]
    assert journaled_thinking(repo) == served_thinking()
    responses = recorded_responses(read_events(folder), "claude-sonnet-5-5")
    served = served_thinking()
    assert len(responses) == len(served)
    assert [r["content"][: len(t)] for r, t in zip(responses, served, strict=True)] == served
    session_id = folder.name
    check = await asyncio.to_thread(main, ["replay", session_id, "--check", "-C", str(repo)])
    assert check == 0


def read_events_of_reference(where: Path) -> list[dict[str, object]]:
    """The journal of an uninterrupted run of the same script, for its event order."""
    root = make_repo(where, {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    with FakeMessagesAPI() as server:
        server.script(*thinking_script())
        done = child(root, server, "run", 0)
        assert done.returncode == 0, done.stderr[-2000:]
    return read_events(find_sessions(root)[-1])
