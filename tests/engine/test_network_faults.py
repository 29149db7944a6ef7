"""Network faults through the fake server, in a real session: retried by slowcode itself
("retrying in N s"), or failed clearly; the session stays resumable, nothing is lost,
and a partial answer is never acted on."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from slowcode.engine.progress import NoticeRaised, Progress, SessionState
from slowcode.journal.log import read_events
from slowcode.model.types import ModelError
from tests.context.repos import git, make_repo, with_identity
from tests.engine.hostile import RawJsonAPI, plan_reply, workflow_for
from tests.fakeapi import Turn, http_error, reply, tool_use_block
from tests.helpers.humans import ApprovingHuman

S = SessionState
EDITOR = "str_replace_based_edit_tool"
RETRIES = 3

# The faulted turn would stage a file and finish the step: if any of it were acted
# on, evil.py would be staged, reviewed, written or committed.
PARTIAL = reply(
    tool_use_block(EDITOR, {"command": "create", "path": "evil.py", "file_text": "boom()\n"}),
    tool_use_block("finish_step", {"summary": "half an answer"}),
)

FAULTS: dict[str, Turn] = {
    "429 with retry-after": http_error(429, retry_after_ms=50),
    "500": http_error(500),
    "529 overloaded": http_error(529),
    "timeout before the answer": PARTIAL.delayed(3.0),
    "stall mid-stream": PARTIAL.delayed(3.0, after_events=6),
    "dropped connection": PARTIAL.drop_connection(after_events=6),
    "error event mid-stream": PARTIAL.error_mid_stream(after_events=6),
    "no message_stop": PARTIAL.without_message_stop(),
}

# Figures for docs/reliability.md.
INJECTED: dict[str, int] = {}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "project", {"app.py": "x = 1\n"})
    with_identity(root)
    return root


def faulty_workflow(repo: Path, server: RawJsonAPI, events: list[Progress]) -> Any:
    # The SDK's own retries are off: every retry here is slowcode's.
    return workflow_for(
        repo,
        server,
        ApprovingHuman(),
        events,
        stream_retries=RETRIES,
        max_retries=0,
        timeout_seconds=0.5,
    )


def create(path: str, text: str) -> dict[str, Any]:
    return tool_use_block(EDITOR, {"command": "create", "path": path, "file_text": text})


GOOD_STEP = reply(create("good.py", "ok = True\n"), tool_use_block("finish_step", {"summary": "s"}))
SUMMED_UP = reply("done", stop_reason="end_turn")


def retry_notices(events: list[Progress]) -> list[str]:
    return [
        event.message
        for event in events
        if isinstance(event, NoticeRaised) and "retrying in" in event.message
    ]


def assert_partial_never_acted_on(repo: Path, journal: Path) -> None:
    assert not (repo / "evil.py").exists()
    assert "evil.py" not in git(repo, "log", "--all", "--name-only", "--format=")
    for event in read_events(journal):
        if event["type"] in ("tool_call", "staged"):
            assert "evil.py" not in str(event["data"]), event
        assert "half an answer" not in str(event["data"]), event


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_fault_is_retried_by_slowcode_and_the_session_goes_on(
    repo: Path, server: RawJsonAPI, fault: str
) -> None:
    server.script(
        plan_reply("Add good.py"),
        *[FAULTS[fault]] * RETRIES,
        GOOD_STEP,
        SUMMED_UP,
    )
    events: list[Progress] = []
    workflow = faulty_workflow(repo, server, events)
    await workflow.run("task")
    await workflow.client.aclose()
    INJECTED[fault] = INJECTED.get(fault, 0) + RETRIES

    assert workflow.session.state is S.DONE
    notices = retry_notices(events)
    assert len(notices) == RETRIES
    assert all(" s" in line and "retrying in" in line for line in notices)
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["good.py"]
    assert workflow.journal is not None
    assert_partial_never_acted_on(repo, workflow.journal.path)


async def test_retry_after_is_honoured(repo: Path, server: RawJsonAPI) -> None:
    server.script(
        plan_reply("Add good.py"),
        *[http_error(429, retry_after_ms=300)] * 2,
        GOOD_STEP,
        SUMMED_UP,
    )
    events: list[Progress] = []
    workflow = faulty_workflow(repo, server, events)
    started = time.monotonic()
    await workflow.run("task")
    await workflow.client.aclose()
    assert time.monotonic() - started >= 0.6  # a lower bound: a loaded machine only adds to it
    assert all(line.startswith("rate_limited") for line in retry_notices(events))


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_fault_that_persists_fails_clearly_and_resumes_losing_nothing(
    repo: Path, server: RawJsonAPI, fault: str
) -> None:
    server.script(
        plan_reply("Add good.py"),
        reply(create("good.py", "ok = True\n")),  # staged before the network fails
        *[FAULTS[fault]] * (RETRIES + 1),
    )
    events: list[Progress] = []
    workflow = faulty_workflow(repo, server, events)
    with pytest.raises(ModelError) as failed:
        await workflow.run("task")
    await workflow.client.aclose()
    INJECTED[fault] = INJECTED.get(fault, 0) + RETRIES + 1

    assert failed.value.retryable and "\n" not in str(failed.value)
    assert workflow.session.state is S.FAILED
    errors = [e for e in events if isinstance(e, NoticeRaised) and e.level == "error"]
    assert errors and errors[-1].message == str(failed.value)
    assert workflow.journal is not None
    kinds = [event["type"] for event in read_events(workflow.journal.path)]
    assert kinds[-2:] == ["model_failed", "state_changed"] or kinds[-1] == "model_failed"
    assert not (repo / "good.py").exists()  # staged, never written without a review

    # slowcode started again: the session resumes from its journal, the staged edit kept.
    server.script(
        reply(tool_use_block("finish_step", {"summary": "s"})),
        SUMMED_UP,
    )
    human = ApprovingHuman()
    resumed = faulty_workflow(repo, server, [])
    resumed.human = human
    assert await resumed.resume() is True
    await resumed.client.aclose()
    assert resumed.session.state is S.DONE
    assert human.plans == []  # the approved plan was not asked for again
    assert git(repo, "show", "HEAD:good.py") == "ok = True\n"
    assert_partial_never_acted_on(repo, workflow.journal.path)


async def test_r_retries_the_failed_request_in_the_same_session(
    repo: Path, server: RawJsonAPI
) -> None:
    server.script(plan_reply("Add good.py"), *[http_error(529)] * (RETRIES + 1))
    workflow = faulty_workflow(repo, server, [])
    with pytest.raises(ModelError):
        await workflow.run("task")
    requests_before = len(server.message_requests)
    server.script(
        GOOD_STEP,
        SUMMED_UP,
    )
    await workflow.retry()  # what `r` does in the TUI
    await workflow.client.aclose()
    assert workflow.session.state is S.DONE
    # The retried request is the same conversation as the failed one.
    failed = server.message_requests[requests_before - 1].body["messages"]
    retried = server.message_requests[requests_before].body["messages"]
    assert retried == failed
