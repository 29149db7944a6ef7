"""The "why?" side request: a separate request about one hunk; the step is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.core.step_review import StepReview
from slowcode.engine.human import StepVerdict
from slowcode.engine.progress import Progress, UsageRecorded
from slowcode.engine.review.hunk_question import WhyQuestion
from slowcode.engine.staging.diffs import diff_texts
from slowcode.model.types import ModelError
from tests.fakeapi import FakeMessagesAPI, http_error, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import app_repo, edit, make_workflow, plan_turn

ANSWER = "The greeting is shown to users, so it should read as a sentence."


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return app_repo(tmp_path)


class AsksWhy(ScriptedHuman):
    """Asks "why?" about the first hunk, then accepts everything."""

    def __init__(self) -> None:
        super().__init__()
        self.answers_seen: list[str] = []
        self.errors: list[str] = []

    async def review_step(self, review: StepReview) -> StepVerdict:
        assert review.ask_why is not None
        try:
            self.answers_seen.append(await review.ask_why(0))
        except ModelError as error:
            self.errors.append(str(error))
        return await super().review_step(review)


async def test_why_sends_a_side_request_and_leaves_the_step_unchanged(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
        reply(ANSWER, usage={"input_tokens": 300, "output_tokens": 40}),
        reply("Done.", stop_reason="end_turn"),
    )
    events: list[Progress] = []
    human = AsksWhy()
    workflow = make_workflow(repo, fake_api, human, events)
    await workflow.run("Make greetings nicer")

    assert human.answers_seen == [ANSWER]
    hunk = human.reviews[0].hunks[0]
    assert hunk.why == ANSWER

    side = fake_api.message_requests[2].body
    assert "tools" not in side
    assert "answering a side question" in side["system"][0]["text"]
    (message,) = side["messages"]
    prompt = message["content"]
    assert "Task: Make greetings nicer" in prompt
    assert "Step 'Greet politely': because greet politely" in prompt
    assert "-    return 'hello ' + name" in prompt and "+    return 'Hello, ' + name" in prompt
    assert "Polite." in prompt

    # The conversation goes on as if nothing was asked.
    after = fake_api.message_requests[3].body["messages"]
    assert ANSWER not in str(after)
    assert '"applied": true' in after[-1]["content"][-1]["content"]
    assert "'Hello, '" in (repo / "app.py").read_text()

    assert any(isinstance(e, UsageRecorded) and e.request.input_tokens == 300 for e in events)
    journal = workflow.journal
    assert journal is not None
    answered = [e["data"] for e in journal.events() if e["type"] == "why_answered"]
    assert answered == [
        {
            "step": 1,
            "file": "app.py",
            "index": 0,
            "answer": ANSWER,
            "usage": {
                "input_tokens": 300,
                "output_tokens": 40,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
            },
        }
    ]


async def test_a_failed_why_is_an_error_for_the_developer_not_the_session(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
        http_error(400, "bad request"),
        reply("Done.", stop_reason="end_turn"),
    )
    human = AsksWhy()
    workflow = make_workflow(repo, fake_api, human, [])
    await workflow.run("polite")
    assert len(human.errors) == 1 and human.answers_seen == []
    assert human.reviews[0].hunks[0].why == ""
    assert "'Hello, '" in (repo / "app.py").read_text()


def test_the_question_shows_the_file_around_the_hunk() -> None:
    old = "".join(f"row {n}\n" for n in range(1, 200))
    new = old.replace("row 100\n", "row one hundred\n")
    review = StepReview(3, "Rename a row", "Renames row 100.", diff_texts({"t.txt": (old, new)}))
    prompt = WhyQuestion.of(review, 0, "task", "").prompt()
    assert "  100  row one hundred" in prompt
    # 40 lines either side of the hunk (lines 97-103 with its context).
    assert "   57  row 57" in prompt and "   56  row 56" not in prompt
    assert "  143  row 143" in prompt and "  144  row 144" not in prompt
    assert "Step 'Rename a row'\n" in prompt
