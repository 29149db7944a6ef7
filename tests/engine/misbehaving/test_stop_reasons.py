"""Answers that stop with `refusal` or `pause_turn`: no tool call to answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slowcode.engine.progress import Progress
from slowcode.model.types import ModelError
from tests.engine.misbehaving.helpers import (
    FINISH,
    POLITE,
    S,
    assert_committed,
    notices,
    of_kind,
    polite_step,
    sent,
)
from tests.fakeapi import (
    FakeMessagesAPI,
    paused_reply,
    refusal_reply,
    reply,
    web_search_blocks,
)
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, edit, make_workflow, plan_turn


async def test_a_refusal_stops_the_step_resumably_and_is_never_sent_back(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    explanation = "This request was declined because it could enable cyber harm."
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", POLITE)),
        refusal_reply("I can't help with th", category="cyber", explanation=explanation),
    )
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), events)
    with pytest.raises(ModelError) as raised:
        await workflow.run("polite")

    line = (
        "The model refused to go on (stop_reason refusal, category cyber): This request was "
        "declined because it could enable cyber harm; nothing in its answer was run and it "
        "was left out of the conversation: sending the request again asks anew"
    )
    assert (raised.value.kind, str(raised.value), raised.value.retryable) == ("refusal", line, True)
    assert workflow.session.state is S.FAILED
    assert notices(events)[-1] == ("error", line)
    assert of_kind(workflow, "turn_withdrawn") == [{"stop_reason": "refusal"}]
    assert of_kind(workflow, "model_failed") == [{"kind": "refusal", "message": line}]
    assert (repo / "app.py").read_text() == APP

    fake_api.script(reply(FINISH), reply("Done.", stop_reason="end_turn"))
    resumed = make_workflow(repo, fake_api, ScriptedHuman(), [])
    assert await resumed.resume() is True
    asked_again = sent(fake_api, 3)
    assert "I can't help" not in json.dumps(asked_again)
    assert asked_again == sent(fake_api, 2)  # the very request the refusal answered
    assert_committed(resumed, repo, "Greet politely")


async def test_pause_turn_sends_the_paused_answer_back_for_the_model_to_go_on(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    searching: list[dict[str, Any] | str] = [
        "Let me look up how greetings are usually worded.",
        *web_search_blocks("greet"),
    ]
    fake_api.script(
        plan_turn("Greet politely"),
        paused_reply(*searching),
        polite_step(),
        reply("Done.", stop_reason="end_turn"),
    )
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), events)
    await workflow.run("polite")

    paused = fake_api.message_requests[1]
    continued = sent(fake_api, 2)
    # The fake refuses a continuation that changed the paused answer.
    assert continued[:-1] == paused.body["messages"]
    assert continued[-1]["role"] == "assistant"
    assert continued[-1]["content"][0] == {"type": "text", "text": searching[0]}
    whole = sent(fake_api, 3)[-2]["content"]  # the paused answer and what followed: one turn
    assert [b["type"] for b in whole] == [
        "text",
        "server_tool_use",
        "web_search_tool_result",
        "tool_use",
        "tool_use",
    ]
    told = "The model paused a long-running turn (pause_turn); sent back as it is so it goes on"
    assert ("info", f"{told} (1 of 3)") in notices(events)
    assert of_kind(workflow, "turn_paused") == [{"pauses": 1}]
    assert of_kind(workflow, "protocol_error") == []  # not a strike
    assert_committed(workflow, repo, "Greet politely")


async def test_pause_turn_without_end_stops_after_three_and_a_resume_goes_on(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        *(paused_reply(*web_search_blocks("greet", f"srvtoolu_{n}")) for n in range(4)),
    )
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    with pytest.raises(ModelError) as raised:
        await workflow.run("polite")
    line = (
        "The model paused its turn 4 times in a row (stop_reason pause_turn) without "
        "finishing it; sending the request again lets it go on"
    )
    assert (raised.value.kind, str(raised.value)) == ("pause_turn", line)
    assert workflow.session.state is S.FAILED
    assert [p["pauses"] for p in of_kind(workflow, "turn_paused")] == [1, 2, 3, 4]

    # Started again, the session sends the paused turn back (the fake checks it) and goes on.
    fake_api.script(polite_step(), reply("Done.", stop_reason="end_turn"))
    resumed = make_workflow(repo, fake_api, ScriptedHuman(), [])
    assert await resumed.resume() is True
    continued = sent(fake_api, 5)  # after the plan, four paused answers, then this
    assert continued[-1]["role"] == "assistant" and len(continued[-1]["content"]) == 8
    assert_committed(resumed, repo, "Greet politely")
