"""A prompt that outgrows the model's context window: the context shrinks, or the session stops."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slowcode.core.step_review import StepReview
from slowcode.engine.human import StepVerdict
from slowcode.engine.progress import Progress
from slowcode.model.types import ModelError
from tests.engine.misbehaving.helpers import (
    FINISH,
    S,
    assert_committed,
    notices,
    of_kind,
    polite_step,
    sent,
    two_steps,
)
from tests.fakeapi import (
    FakeMessagesAPI,
    reply,
    tool_use_block,
    window_exceeded_reply,
)
from tests.fakeapi.server import prompt_tokens
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import EDITOR, make_workflow, plan_turn


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
