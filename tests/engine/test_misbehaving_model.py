"""The conformance suite of a model that misbehaves: one test per deviation of issue 16.

Each deviation is scripted on the fake Messages API and goes through the real SDK.
Each test checks what the model (or the developer) is told, word for word, the
journal event that records the recovery, and the end state: the session goes on
and commits the step, or it stops FAILED with one line and a resume from the
journal picks it up. See docs/reliability.md ("A model that misbehaves").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slowcode.core.step_review import StepReview
from slowcode.engine.human import StepVerdict
from slowcode.engine.progress import NoticeRaised, Progress, SessionState, ToolCalled
from slowcode.engine.session.workflow import Workflow
from slowcode.journal.log import read_events, verify
from slowcode.model.types import ModelError
from tests.fakeapi import (
    FakeMessagesAPI,
    cut_mid_tool_input,
    paused_reply,
    refusal_reply,
    reply,
    tool_use_block,
    web_search_blocks,
    window_exceeded_reply,
)
from tests.fakeapi.server import prompt_tokens
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, EDITOR, edit, log, make_workflow, plan_turn

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


# -- answered with a tool error, and the step goes on ------------------------------------


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
    assert ToolCalled("finish_step", "finish step", True) in events
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


# -- stop reasons with no tool to answer -------------------------------------------------


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


# -- the context outgrows the model's window -------------------------------------------------


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


async def test_model_context_window_exceeded_shrinks_the_context_and_says_so(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*two_steps(window_exceeded_reply("Now the second step: I wi")))
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), events)
    await workflow.run("polite and loud")

    assert fake_api.message_requests[2].body["messages"][-2]["content"][-1]["name"] == "finish_step"
    shrunk = sent(fake_api, 3)
    assert len(shrunk) == 1  # the summary alone: step 1's closing turn was folded into it
    assert "I wi" not in json.dumps(shrunk)  # the cut-off answer is never sent again
    assert "The prompt outgrew your context window" in shrunk[0]["content"][-1]["text"]
    notice = (
        "The prompt was too long for the model's context window; the repository map was cut "
        "to 2048 tokens and 1 finished step was folded; sending it again (shrink 1 of 3)"
    )
    assert ("warning", notice) in notices(events)
    assert of_kind(workflow, "turn_withdrawn") == [{"stop_reason": "model_context_window_exceeded"}]
    assert of_kind(workflow, "context_shrunk") == [
        {
            "reason": "the answer stopped with model_context_window_exceeded",
            "map_tokens": 2048,
            "folded_steps": 1,
            "dropped_messages": 2,
            "detailed_steps": 2,
            "shrinks": 1,
        }
    ]
    assert workflow.context.budget == 2048
    assert_committed(workflow, repo, "Greet politely", "Shout louder")


async def test_a_400_prompt_too_long_shrinks_the_context_until_it_fits(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    notes = "".join(f"{n:02d} " + "a note worth keeping. " * 30 + "\n" for n in range(12))
    create = {"command": "create", "path": "NOTES.txt", "file_text": notes}
    script = two_steps()
    script[1] = reply(tool_use_block(EDITOR, create), FINISH)

    class Narrow(ScriptedHuman):
        async def review_step(self, review: StepReview) -> StepVerdict:
            # From step 2 on, the window holds a little more than step 1's prompt did:
            # step 1's closing turn, with the whole file in it, does not fit.
            if fake_api.context_window is None:
                fake_api.context_window = prompt_tokens(fake_api.requests[-1].body) + 400
            return await super().review_step(review)

    fake_api.script(*script)
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, Narrow(), events)
    await workflow.run("notes, then loud")

    window = fake_api.context_window
    assert window is not None
    too_long = fake_api.requests[2].body  # answered 400 by the fake, as the API does
    assert prompt_tokens(too_long) > window
    assert notes in json.dumps(too_long["messages"], ensure_ascii=False).replace("\\n", "\n")
    (shrunk,) = of_kind(workflow, "context_shrunk")
    assert shrunk["reason"] == (
        "The prompt is too long for the model's context window (HTTP 400): prompt is too "
        f"long: {prompt_tokens(too_long)} tokens > {window} maximum"
    )
    assert (shrunk["map_tokens"], shrunk["folded_steps"], shrunk["shrinks"]) == (2048, 1, 1)
    assert prompt_tokens(fake_api.requests[3].body) <= window
    assert of_kind(workflow, "model_failed") == []
    assert any("cut to 2048 tokens and 1 finished step was folded" in m for _, m in notices(events))
    assert_committed(workflow, repo, "Greet politely", "Shout louder")


async def test_a_prompt_that_never_fits_fails_clearly_and_resumes_with_a_larger_window(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.context_window = 50  # smaller than the system prompt itself
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    with pytest.raises(ModelError) as raised:
        await workflow.run("polite")

    assert raised.value.kind == "context_overflow" and raised.value.retryable
    assert workflow.session.state is S.FAILED
    assert len(fake_api.message_requests) == 4  # the first request and three shrunk ones
    shrinks = of_kind(workflow, "context_shrunk")
    assert [(s["map_tokens"], s["shrinks"]) for s in shrinks] == [(2048, 1), (1024, 2), (512, 3)]
    (failed,) = of_kind(workflow, "model_failed")
    assert failed["kind"] == "context_overflow"
    assert failed["message"].startswith(
        "The prompt is still too long for the model's context window after 3 shrinks in a "
        "row (repository map 512 tokens, finished steps folded): The prompt is too long"
    )
    assert failed["message"].endswith(
        "Sending it again shrinks it further; a model with a larger context window "
        "resumes the session as it is"
    )

    fake_api.context_window = None  # the developer picked a model with a larger window
    fake_api.script(
        plan_turn("Greet politely"), polite_step(), reply("Done.", stop_reason="end_turn")
    )
    resumed = make_workflow(repo, fake_api, ScriptedHuman(), [])
    assert await resumed.resume() is True
    assert resumed.context.budget == 512  # the map stays as small as the journal left it
    assert_committed(resumed, repo, "Greet politely")
