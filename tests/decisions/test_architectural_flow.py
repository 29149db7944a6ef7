"""The detector inside a session: reasons shown in the review, and no silent apply."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.core.plan import Plan
from slowcode.core.step_review import StepReview
from slowcode.decisions.store import DecisionStore
from slowcode.engine.human import (
    Answer,
    DecisionAction,
    PlanVerdict,
    Question,
    StepAction,
    StepVerdict,
)
from slowcode.engine.progress import NoticeRaised, Progress
from slowcode.engine.session.step_flow import ARCHITECTURAL_HINT
from slowcode.journal.log import read_events
from tests.context.repos import git
from tests.decisions.sessions import edit, finish, plan, project, workflow
from tests.fakeapi import FakeMessagesAPI, reply


@dataclass
class Developer:
    """Accepts every hunk and answers the step with the queued verdicts."""

    verdicts: list[StepVerdict]
    reviews: list[StepReview] = field(default_factory=list)

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        return PlanVerdict(approved=True, steps=list(plan.steps))

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.reviews.append(review)
        review.accept_all()
        return self.verdicts.pop(0)

    async def answer_question(self, question: Question) -> Answer:
        raise AssertionError("no question expected")


async def test_a_signature_change_needs_a_reason_before_it_applies(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = project(tmp_path / "p")
    fake_api.script(
        plan("Let greet take a greeting"),
        reply(edit("def greet(name):", "def greet(name, greeting='hello'):")),
        reply(finish("greet takes the greeting.")),
        reply("Done."),
    )
    human = Developer(
        [
            StepVerdict(StepAction.APPLY),
            StepVerdict(StepAction.APPLY, decision_action=DecisionAction.NOT_ARCHITECTURAL),
            StepVerdict(
                StepAction.APPLY,
                decision_action=DecisionAction.NOT_ARCHITECTURAL,
                reason="only this script calls greet",
            ),
        ]
    )
    events: list[Progress] = []
    flow = workflow(repo, fake_api, human, events)
    await flow.run("Greetings")

    assert len(human.reviews) == 3
    review = human.reviews[0]
    assert review.architectural
    assert review.architectural_reasons == ["changes the signature of the public `greet` in app.py"]
    errors = [e.message for e in events if isinstance(e, NoticeRaised) and e.level == "error"]
    assert errors == [ARCHITECTURAL_HINT, ARCHITECTURAL_HINT]
    assert "greeting='hello'" in (repo / "app.py").read_text()
    journal = repo / ".slowcode/sessions" / flow.session.session_id / "journal.jsonl"
    journal_events = read_events(journal)
    reasons = [e["data"]["reason"] for e in journal_events if e["type"] == "not_architectural"]
    assert reasons == ["only this script calls greet"]


async def test_an_unflagged_step_applies_without_a_decision(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = project(tmp_path / "p")
    fake_api.script(
        plan("Capitalize"),
        reply(edit("'hello '", "'Hello '")),
        reply(finish("Capital letter.")),
        reply("Done."),
    )
    human = Developer([StepVerdict(StepAction.APPLY)])
    await workflow(repo, fake_api, human, []).run("Greetings")
    assert not human.reviews[0].architectural
    assert "'Hello '" in (repo / "app.py").read_text()
    result = json.loads(fake_api.message_requests[-1].body["messages"][-1]["content"][0]["content"])
    assert result["applied"] is True


async def test_an_edited_draft_is_the_record_written(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = project(tmp_path / "p")
    draft = {"title": "Greeting parameter", "context": "Callers.", "decision": "Add it."}
    fake_api.script(
        plan("Let greet take a greeting"),
        reply(edit("def greet(name):", "def greet(name, greeting='hello'):")),
        reply(finish("greet takes the greeting.", draft)),
        reply("Done."),
    )
    edited = DecisionRecord(
        title="Let callers choose the greeting",
        context="Callers want other greetings.",
        outcome="Add a greeting parameter, hello by default.",
    )
    human = Developer(
        [StepVerdict(StepAction.APPLY, decision_action=DecisionAction.RECORD, decision=edited)]
    )
    await workflow(repo, fake_api, human, []).run("Greetings")

    assert human.reviews[0].decision is not None
    assert human.reviews[0].decision.title == "Greeting parameter"
    [record] = DecisionStore(repo).records()
    assert record.path == "docs/decisions/0001-let-callers-choose-the-greeting.md"
    assert (record.title, record.outcome) == (edited.title, edited.outcome)
    assert record.status is DecisionStatus.ACCEPTED
    message = git(repo, "log", "-1", "--format=%B")
    assert f"Decision: {record.path}" in message
