"""The whole flow headlessly: the real model client against the fake server, a scripted human."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from slowcode.core.plan import Plan
from slowcode.core.step_review import StepReview, Verdict
from slowcode.engine.human import (
    Answer,
    PlanVerdict,
    StepAction,
    StepVerdict,
)
from slowcode.engine.progress import Progress, SessionFinished, SessionState, StepApplied
from slowcode.engine.session.workflow import ProtocolStop
from slowcode.journal.log import read_events, verify
from slowcode.model.types import ModelError
from tests.fakeapi import FakeMessagesAPI, http_error, reply, tool_use_block
from tests.helpers.humans import Quit, ScriptedHuman
from tests.helpers.sessions import (
    APP,
    EDITOR,
    edit,
    log,
    make_workflow,
    plan_turn,
    two_step_script,
)


async def test_two_steps_end_in_two_commits_and_a_decision_record(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*two_step_script())
    human = ScriptedHuman(hunk_verdicts=[[Verdict.ACCEPTED, Verdict.REJECTED]])
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, human, events)

    await workflow.run("Make greetings nicer")

    assert workflow.session.state is SessionState.DONE
    app = (repo / "app.py").read_text()
    assert "'Hello, '" in app and "name.upper()\n" in app  # second hunk was rejected
    assert (repo / "farewell.py").read_text() == "def bye():\n    return 'bye'\n"
    record = repo / "docs/decisions/0001-keep-greetings-in-a-module-of-their-own.md"
    assert "status: accepted" in record.read_text()

    subjects = log(repo, "--format=%s").splitlines()
    assert subjects[:2] == ["Add a farewell module", "Greet politely"]
    trailers = subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--format=%(trailers:only)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    session_id = workflow.session.session_id
    assert f"Slowcode-Session: {session_id}" in trailers
    assert "Slowcode-Step: 2" in trailers
    assert f"Decision: {record.relative_to(repo).as_posix()}" in trailers
    assert "Assisted-by: slowcode:claude-sonnet-5-5" in trailers
    assert log(repo, "-1", "--format=%an <%ae>").strip() == "Ada Developer <ada@example.com>"

    applied = [e for e in events if isinstance(e, StepApplied)]
    assert [e.number for e in applied] == [1, 2]
    assert any(isinstance(e, SessionFinished) for e in events)

    # What the model was told after step 1: the real verdicts and the next step.
    result = json.loads(fake_api.message_requests[4].body["messages"][-1]["content"][0]["content"])
    assert result["applied"] is True and result["next_step"] == 2
    assert [h["verdict"] for h in result["hunks"]] == ["accepted", "rejected"]
    assert result["decision"] == "none"

    journal = repo / ".slowcode/sessions" / session_id / "journal.jsonl"
    assert verify(journal)[0]
    kinds = [e["type"] for e in read_events(journal)]
    for kind in (
        "session_started",
        "plan_approved",
        "step_verdict",
        "commit_made",
        "session_finished",
    ):
        assert kind in kinds
    assert ".slowcode/" in (repo / ".git/info/exclude").read_text()


async def test_nothing_touches_the_disk_until_the_step_is_accepted(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
        reply(tool_use_block("finish_step", {"summary": "Polite again."})),
        reply("All done.", stop_reason="end_turn"),
    )
    seen_on_disk: list[str] = []

    class Watching(ScriptedHuman):
        async def review_step(self, review: StepReview) -> StepVerdict:
            seen_on_disk.append((repo / "app.py").read_text())
            if len(seen_on_disk) == 1:
                return StepVerdict(StepAction.SEND_BACK, feedback="use a comma")
            return await super().review_step(review)

    workflow = make_workflow(repo, fake_api, Watching(), [])
    await workflow.run("polite")

    assert seen_on_disk == [APP, APP]
    assert "'Hello, '" in (repo / "app.py").read_text()
    sent_back = json.loads(
        fake_api.message_requests[2].body["messages"][-1]["content"][1]["content"]
    )
    assert sent_back == {
        "applied": False,
        "feedback": "use a comma",
        "hunks": [{"file": "app.py", "index": 0, "verdict": "undecided"}],
    }


async def test_plan_feedback_and_edited_plan_reach_the_model(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("One", "Two"),
        plan_turn("One", "Two"),
        reply("Nothing to change after all.", stop_reason="end_turn"),
    )
    edited = Plan.from_tool_input({"goal": "g", "steps": [{"title": "Two only", "why": "simpler"}]})
    human = ScriptedHuman(
        plan_verdicts=[
            PlanVerdict(approved=False, feedback="fewer steps"),
            PlanVerdict(approved=True, steps=edited.steps),
        ]
    )
    workflow = make_workflow(repo, fake_api, human, [])
    with pytest.raises(ProtocolStop):
        # The model ends the turn with steps left: a protocol error each time until it stops.
        fake_api.script(
            reply("still nothing", stop_reason="end_turn"), reply("no", stop_reason="end_turn")
        )
        await workflow.run("task")
    first = json.loads(fake_api.message_requests[1].body["messages"][-1]["content"][0]["content"])
    assert first == {"approved": False, "feedback": "fewer steps"}
    second = json.loads(fake_api.message_requests[2].body["messages"][-1]["content"][0]["content"])
    assert second == {
        "approved": True,
        "steps": [{"title": "Two only", "why": "simpler"}],
        "current_step": 1,
    }
    assert workflow.session.state is SessionState.FAILED


async def test_edits_before_a_plan_and_oversized_steps_are_refused(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    big = "".join(f"line {n}\n" for n in range(30))
    fake_api.script(
        reply(edit("'hello '", "'Hi '")),
        plan_turn("Big step"),
        reply(
            tool_use_block(EDITOR, {"command": "create", "path": "big.txt", "file_text": big}),
            tool_use_block("finish_step", {"summary": "big"}),
        ),
        reply("giving up", stop_reason="end_turn"),
        reply("giving up", stop_reason="end_turn"),
        reply("giving up", stop_reason="end_turn"),
    )
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [], max_changed_lines=10)
    with pytest.raises(ProtocolStop):
        await workflow.run("task")
    refused = fake_api.message_requests[1].body["messages"][-1]["content"][0]
    assert refused["is_error"] is True and "propose_plan" in refused["content"]
    too_big = fake_api.message_requests[3].body["messages"][-1]["content"][1]
    assert too_big["is_error"] is True and "over the limit of 10" in too_big["content"]
    assert not (repo / "big.txt").exists()
    assert (repo / "app.py").read_text() == APP


async def test_a_failed_request_leaves_a_state_to_retry_from(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        http_error(500),
        http_error(500),
        plan_turn("One"),
        reply(edit("'hello '", "'Hi '"), tool_use_block("finish_step", {"summary": "hi"})),
        reply("done", stop_reason="end_turn"),
    )
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    with pytest.raises(ModelError):
        await workflow.run("task")
    failed = workflow.session.state
    assert failed is SessionState.FAILED
    await workflow.retry()
    assert workflow.session.state is SessionState.DONE
    assert "'Hi '" in (repo / "app.py").read_text()


async def test_an_architectural_answer_becomes_the_decision_draft(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    question = {
        "question": "Which format should greetings be stored in?",
        "options": [{"label": "JSON", "consequences": "readable"}, {"label": "SQLite"}],
        "architectural": True,
    }
    fake_api.script(
        plan_turn("Store greetings"),
        reply(tool_use_block("ask_human", question)),
        reply(
            tool_use_block(
                EDITOR, {"command": "create", "path": "greetings.json", "file_text": "[]\n"}
            ),
            tool_use_block("finish_step", {"summary": "Greetings file."}),
        ),
        reply("done", stop_reason="end_turn"),
    )
    human = ScriptedHuman(answers=[Answer("JSON", option=0)])
    workflow = make_workflow(repo, fake_api, human, [])
    await workflow.run("store greetings")
    review = human.reviews[0]
    assert review.architectural and review.decision is not None
    assert review.decision.chosen == "JSON"
    records = list((repo / "docs/decisions").glob("0001-*.md"))
    assert len(records) == 1 and "Which format" in records[0].read_text()


async def test_resume_reopens_the_review_without_asking_the_model_again(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely", "Shout louder"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
    )

    class QuitsAtReview(ScriptedHuman):
        async def review_step(self, review: StepReview) -> StepVerdict:
            raise Quit

    with pytest.raises(Quit):
        await make_workflow(repo, fake_api, QuitsAtReview(), []).run("polite")
    assert len(fake_api.message_requests) == 2
    assert (repo / "app.py").read_text() == APP

    fake_api.script(
        reply(
            edit("name.upper()", "name.upper() + '!'"),
            tool_use_block("finish_step", {"summary": "Loud."}),
        ),
        reply("Both done.", stop_reason="end_turn"),
    )
    human = ScriptedHuman()
    resumed = make_workflow(repo, fake_api, human, [])
    assert await resumed.resume() is True

    assert resumed.session.state is SessionState.DONE
    assert len(fake_api.message_requests) == 4  # two new requests, none repeated
    assert human.plans == []  # the approved plan was not asked for again
    assert human.reviews[0].title == "Greet politely"
    assert [h.lines for h in human.reviews[0].hunks] != []
    text = (repo / "app.py").read_text()
    assert "'Hello, '" in text and "name.upper() + '!'" in text
    assert log(repo, "--format=%s").splitlines()[:2] == ["Shout louder", "Greet politely"]
    # The request after the resumed review answers both calls of the interrupted turn.
    interrupted = fake_api.message_requests[2].body["messages"][-2]["content"]
    answered = fake_api.message_requests[2].body["messages"][-1]["content"]
    assert [b["tool_use_id"] for b in answered] == [b["id"] for b in interrupted]
    assert '"applied": true' in answered[1]["content"]
    assert await make_workflow(repo, fake_api, ScriptedHuman(), []).resume() is False
