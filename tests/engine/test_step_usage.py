"""Usage and cost per step: counted from the step's start, announced, and journaled when applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.engine.progress import Progress, UsageRecorded
from slowcode.journal.log import read_events
from slowcode.model.pricing import cost_usd
from slowcode.model.types import Usage
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import make_workflow, two_step_script

# One usage per reply of `two_step_script`: two planning turns, two for step 1,
# one for step 2, and the closing answer.
USAGES = [
    Usage(1000, 100),
    Usage(2000, 200, 50, 0),
    Usage(3000, 300, 0, 900),
    Usage(4000, 400),
    Usage(5000, 500, 70, 30),
    Usage(6000, 600),
]


def known_cost(model: str, usage: Usage) -> float:
    cost = cost_usd(model, usage)
    assert cost is not None
    return cost


async def test_each_step_counts_its_own_requests(repo: Path, fake_api: FakeMessagesAPI) -> None:
    script = two_step_script()
    for turn, usage in zip(script, USAGES, strict=True):
        assert turn.message is not None
        turn.message["usage"] = usage.to_json()
    fake_api.script(*script)
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), events)

    await workflow.run("Make greetings nicer")

    model = workflow.session.model
    recorded = [event for event in events if isinstance(event, UsageRecorded)]
    assert [event.request for event in recorded] == USAGES
    assert [event.step for event in recorded] == [None, None, 1, 1, 2, None]
    step_totals = [event.step_total for event in recorded]
    assert step_totals == [
        USAGES[0],
        USAGES[0] + USAGES[1],  # planning, before any step started
        USAGES[2],
        USAGES[2] + USAGES[3],
        USAGES[4],
        USAGES[5],  # after the last step: counted afresh
    ]
    assert recorded[3].step_cost_usd == known_cost(model, USAGES[2]) + known_cost(model, USAGES[3])
    total = Usage()
    for usage in USAGES:
        total = total + usage
    assert recorded[-1].session_total == total
    session_cost = recorded[-1].session_cost_usd
    assert session_cost is not None
    assert abs(session_cost - sum(known_cost(model, u) for u in USAGES)) < 1e-9
    step_cost, so_far = recorded[3].step_cost_usd, recorded[3].session_cost_usd
    assert step_cost is not None and so_far is not None and step_cost < so_far

    journal = repo / ".slowcode/sessions" / workflow.session.session_id
    applied = [event for event in read_events(journal) if event["type"] == "step_applied"]
    assert [event["data"]["step"] for event in applied] == [1, 2]
    assert applied[0]["data"]["usage"] == (USAGES[2] + USAGES[3]).to_json()
    assert applied[1]["data"]["usage"] == USAGES[4].to_json()
    expected = known_cost(model, USAGES[2]) + known_cost(model, USAGES[3])
    assert applied[0]["data"]["cost_usd"] == round(expected, 6)
    assert applied[0]["data"]["cost_usd"] > 0


async def test_a_resumed_session_starts_from_the_tokens_and_cost_it_had(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    from slowcode.core.step_review import StepReview
    from slowcode.engine.human import StepVerdict
    from tests.helpers.humans import Quit

    class QuitsAtStepTwo(ScriptedHuman):
        async def review_step(self, review: StepReview) -> StepVerdict:
            if review.step_number == 2:
                raise Quit
            return await super().review_step(review)

    script = two_step_script()
    for turn, usage in zip(script, USAGES, strict=True):
        assert turn.message is not None
        turn.message["usage"] = usage.to_json()
    fake_api.script(*script[:5])
    before: list[Progress] = []
    with pytest.raises(Quit):
        await make_workflow(repo, fake_api, QuitsAtStepTwo(), before).run("Make greetings nicer")
    last = [event for event in before if isinstance(event, UsageRecorded)][-1]

    after: list[Progress] = []
    fake_api.script(script[5])
    await make_workflow(repo, fake_api, ScriptedHuman(), after).resume()

    restored = next(event for event in after if isinstance(event, UsageRecorded))
    assert restored.session_total == last.session_total == sum(USAGES[:5], Usage())
    assert restored.session_cost_usd == last.session_cost_usd
    # The step under review is step 2: its own request only.
    assert restored.step == 2 and restored.step_total == USAGES[4]
