"""What the tests of the conformance suite share: the scripted step, journal and request readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slowcode.engine.progress import NoticeRaised, Progress, SessionState
from slowcode.engine.session.workflow import Workflow
from slowcode.journal.log import read_events, verify
from tests.fakeapi import (
    FakeMessagesAPI,
    reply,
    tool_use_block,
)
from tests.helpers.sessions import edit, log, plan_turn

S = SessionState
POLITE = "'Hello, '"
FINISH = tool_use_block("finish_step", {"summary": "Polite greetings."})


def polite_step() -> Any:
    """The step done right: the edit and finish_step in one turn."""
    return reply(edit("'hello '", POLITE), FINISH)


def journal(workflow: Workflow) -> list[dict[str, Any]]:
    assert workflow.journal is not None
    assert verify(workflow.journal.path)[0]
    return read_events(workflow.journal.path)


def of_kind(workflow: Workflow, kind: str) -> list[dict[str, Any]]:
    return [event["data"] for event in journal(workflow) if event["type"] == kind]


def notices(events: list[Progress]) -> list[tuple[str, str]]:
    return [(e.level, e.message) for e in events if isinstance(e, NoticeRaised)]


def sent(fake: FakeMessagesAPI, request: int) -> list[dict[str, Any]]:
    """The messages of request number `request` (from 0)."""
    messages: list[dict[str, Any]] = fake.message_requests[request].body["messages"]
    return messages


def results(message: dict[str, Any]) -> list[str]:
    return [str(block["content"]) for block in message["content"] if "tool_use_id" in block]


def assert_committed(workflow: Workflow, repo: Path, *subjects: str) -> None:
    assert workflow.session.state is S.DONE
    assert log(repo, "--format=%s").splitlines()[: len(subjects)] == list(reversed(subjects))
    assert of_kind(workflow, "session_finished")


def two_steps(*between: Any) -> list[Any]:
    """Two steps; `between` is what the model answers first in step 2."""
    return [
        plan_turn("Greet politely", "Shout louder"),
        polite_step(),
        *between,
        reply(
            edit("name.upper()", "name.upper() + '!'"),
            tool_use_block("finish_step", {"summary": "Loud."}),
        ),
        reply("Both done.", stop_reason="end_turn"),
    ]
