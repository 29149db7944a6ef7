"""Deviations answered with a tool error (or a protocol error), after which the step goes on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slowcode.core.step_review import StepReview
from slowcode.engine.human import StepVerdict
from slowcode.engine.progress import Progress, StepApplied, ToolCalled, ToolFailed
from tests.engine.misbehaving.helpers import (
    FINISH,
    POLITE,
    assert_committed,
    journal,
    notices,
    of_kind,
    polite_step,
    results,
    sent,
)
from tests.fakeapi import (
    FakeMessagesAPI,
    cut_mid_tool_input,
    reply,
    tool_use_block,
)
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, EDITOR, edit, make_workflow, plan_turn


async def test_plain_text_in_the_middle_of_a_step_is_answered_and_the_step_goes_on(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply("The greeting should say Hello with a comma.", stop_reason="end_turn"),
        polite_step(),
        reply("Done.", stop_reason="end_turn"),
    )
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), events)
    await workflow.run("polite")

    told = (
        "Act through the tools: step 1 is in progress; stage its edits with "
        "str_replace_based_edit_tool and call finish_step when it is done (plain text "
        "only reaches the developer as commentary)."
    )
    assert sent(fake_api, 2)[-1]["content"][0]["text"] == told
    assert of_kind(workflow, "protocol_error") == [{"problem": told}]
    assert ("warning", f"The model broke the protocol: {told}") in notices(events)
    assert_committed(workflow, repo, "Greet politely")
    assert POLITE in (repo / "app.py").read_text()


async def test_finish_step_with_nothing_staged_is_sent_back_to_work(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply(FINISH),
        polite_step(),
        reply("Done.", stop_reason="end_turn"),
    )
    human = ScriptedHuman()
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, human, events)
    await workflow.run("polite")

    told = "This step stages no change. Stage its edits, then call finish_step."
    assert results(sent(fake_api, 2)[-1]) == [told]
    calls = of_kind(workflow, "tool_call")
    assert [(c["name"], c["is_error"]) for c in calls] == [
        ("propose_plan", False),
        ("finish_step", True),
        (EDITOR, False),
        ("finish_step", False),
    ]
    assert calls[1]["result"] == told
    at = events.index(ToolCalled("finish_step", "finish step"))
    assert events[at + 1] == ToolFailed("finish_step", "finish step", told)
    # A call is announced before what it leads to: the review, then the applied step.
    last_call = max(i for i, event in enumerate(events) if isinstance(event, ToolCalled))
    applied = next(i for i, event in enumerate(events) if isinstance(event, StepApplied))
    assert events[last_call] == ToolCalled("finish_step", "finish step") and last_call < applied
    assert len(human.reviews) == 1  # the empty step never reached the developer
    assert_committed(workflow, repo, "Greet politely")


async def test_edits_before_propose_plan_are_refused_and_nothing_is_staged(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        reply(edit("'hello '", POLITE)),
        plan_turn("Greet politely"),
        polite_step(),
        reply("Done.", stop_reason="end_turn"),
    )
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    await workflow.run("polite")

    told = "No approved plan yet: call propose_plan and wait for approval before staging edits."
    assert results(sent(fake_api, 1)[-1]) == [told]
    kinds = [event["type"] for event in journal(workflow)]
    assert kinds.index("staged") > kinds.index("plan_approved")  # nothing staged before
    first = of_kind(workflow, "tool_call")[0]
    assert (first["is_error"], first["result"]) == (True, told)
    assert_committed(workflow, repo, "Greet politely")


async def test_reads_and_edits_in_one_turn_are_answered_in_call_order(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    view = tool_use_block(EDITOR, {"command": "view", "path": "app.py", "view_range": [1, 2]})
    fake_api.script(
        plan_turn("Greet politely"),
        reply(view, edit("'hello '", POLITE), view, FINISH),
        reply("Done.", stop_reason="end_turn"),
    )
    on_disk: list[str] = []

    class Looks(ScriptedHuman):
        async def review_step(self, review: StepReview) -> StepVerdict:
            on_disk.append((repo / "app.py").read_text())
            return await super().review_step(review)

    workflow = make_workflow(repo, fake_api, Looks(), [])
    await workflow.run("polite")

    calls = sent(fake_api, 2)[-2]["content"]
    answered = sent(fake_api, 2)[-1]["content"]
    assert [b["tool_use_id"] for b in answered] == [c["id"] for c in calls]
    before, staged, after, finished = (str(b["content"]) for b in answered)
    assert "return 'hello ' + name" in before and POLITE not in before
    assert "has been edited (staged for review)" in staged
    assert POLITE in after  # the later view reads the step's own staged edit
    assert json.loads(finished)["applied"] is True
    assert on_disk == [APP]  # nothing reached the disk before the review
    kinds = [e["type"] for e in journal(workflow) if e["type"] in ("tool_call", "staged")]
    assert kinds == ["tool_call", "tool_call", "staged", "tool_call", "tool_call", "tool_call"]
    assert_committed(workflow, repo, "Greet politely")


async def test_the_same_non_unique_old_str_three_times_running_is_named_as_a_loop(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    def again(n: int) -> Any:
        same = {"command": "str_replace", "path": "app.py", "old_str": "return ", "new_str": "x"}
        return reply(tool_use_block(EDITOR, same, id=f"toolu_again_{n}"))

    fake_api.script(
        plan_turn("Greet politely"),
        again(1),
        again(2),
        again(3),
        polite_step(),
        reply("Done.", stop_reason="end_turn"),
    )
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    await workflow.run("polite")

    error = (
        "No replacement was performed: old_str occurs 5 times in app.py "
        "(lines 2, 6, 10, 14, 18); include more surrounding lines to make it unique."
    )
    looped = (
        f"{error} This exact call failed 3 times in a row: change it (view the file "
        "again, use a longer old_str) instead of repeating it."
    )
    assert [results(sent(fake_api, n)[-1]) for n in (2, 3, 4)] == [[error], [error], [looped]]
    assert of_kind(workflow, "protocol_error") == [{"problem": looped}]
    assert_committed(workflow, repo, "Greet politely")


async def test_the_same_failing_call_repeated_on_and_on_stops_the_session_resumably(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    same = {"command": "str_replace", "path": "app.py", "old_str": "return ", "new_str": "x"}
    fake_api.script(
        plan_turn("Greet politely"),
        *(reply(tool_use_block(EDITOR, same, id=f"toolu_loop_{n}")) for n in range(5)),
    )
    with pytest.raises(Exception, match="broke the protocol 3 times in a row"):
        await make_workflow(repo, fake_api, ScriptedHuman(), []).run("polite")

    fake_api.script(polite_step(), reply("Done.", stop_reason="end_turn"))
    resumed = make_workflow(repo, fake_api, ScriptedHuman(), [])
    assert await resumed.resume() is True
    assert_committed(resumed, repo, "Greet politely")


async def test_a_path_that_does_not_exist_is_named_and_the_model_finds_the_file(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply(tool_use_block(EDITOR, {"command": "view", "path": "src/greetings.py"})),
        reply(tool_use_block(EDITOR, {"command": "view", "path": "."})),
        polite_step(),
        reply("Done.", stop_reason="end_turn"),
    )
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    await workflow.run("polite")

    told = (
        "The file src/greetings.py does not exist: view a folder (`.` is the top) to see "
        "which files there are, or create it with the create command."
    )
    assert results(sent(fake_api, 2)[-1]) == [told]
    missing = of_kind(workflow, "tool_call")[1]
    assert (missing["is_error"], missing["result"]) == (True, told)
    assert "app.py" in results(sent(fake_api, 3)[-1])[0]
    assert_committed(workflow, repo, "Greet politely")


async def test_max_tokens_in_the_middle_of_a_tool_input_runs_nothing_and_asks_for_less(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    farewell = {"command": "create", "path": "CHANGES.md", "file_text": "# Changes\n\n- bye\n"}
    fake_api.script(
        plan_turn("Add a change log"),
        cut_mid_tool_input(reply(tool_use_block(EDITOR, farewell)), 44),
        reply(tool_use_block(EDITOR, farewell), tool_use_block("finish_step", {"summary": "Bye."})),
        reply("Done.", stop_reason="end_turn"),
    )
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    await workflow.run("farewell")

    cut = sent(fake_api, 2)[-2]["content"][0]
    assert (cut["name"], cut["input"]) == (EDITOR, {})  # cut short: not JSON, never run
    told = (
        "Your response hit max_tokens before it ended; nothing in it was run. "
        "Make smaller tool calls (smaller files, fewer edits per call)."
    )
    assert results(sent(fake_api, 2)[-1]) == [told]
    assert of_kind(workflow, "protocol_error") == [{"problem": told}]
    assert [e["path"] for e in of_kind(workflow, "staged")] == ["CHANGES.md"]  # once
    assert_committed(workflow, repo, "Add a change log")
