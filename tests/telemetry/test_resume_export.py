"""A session stopped in a review and resumed later: both runs are exported, as one conversation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from slowcode.core.config import Config
from slowcode.core.step_review import StepReview
from slowcode.engine.human import StepVerdict
from slowcode.engine.progress import SessionState
from slowcode.telemetry.exporter import SessionTelemetry
from slowcode.telemetry.settings import telemetry_settings
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.humans import Quit, ScriptedHuman
from tests.helpers.sessions import edit, make_workflow, plan_turn, session_repo
from tests.telemetry.receiver import OtlpReceiver, attributes_of


class QuitsAtReview(ScriptedHuman):
    async def review_step(self, review: StepReview) -> StepVerdict:
        raise Quit


def telemetry(receiver: OtlpReceiver) -> SessionTelemetry:
    settings = telemetry_settings(Config(), {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint})
    assert settings is not None
    return SessionTelemetry(settings)


def attrs(span: Any) -> dict[str, Any]:
    return attributes_of(span.attributes)


async def test_a_stopped_and_resumed_session_is_exported_as_one_conversation(
    tmp_path: Path, fake_api: FakeMessagesAPI, receiver: OtlpReceiver
) -> None:
    repo = session_repo(tmp_path)
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
    )
    first = telemetry(receiver)
    with pytest.raises(Quit):
        await make_workflow(repo, fake_api, QuitsAtReview(), [], journal_listeners=[first]).run(
            "polite"
        )
    assert first.close() is None
    (stopped,) = receiver.named("invoke_agent")
    assert attrs(stopped)["slowcode.session.state"] == "step_review"
    assert len(receiver.named("slowcode.review")) == 1  # open when it stopped: ended then

    fake_api.script(reply("Done.", stop_reason="end_turn"))
    second = telemetry(receiver)
    resumed = make_workflow(repo, fake_api, ScriptedHuman(), [], journal_listeners=[second])
    assert await resumed.resume() is True
    assert resumed.session.state is SessionState.DONE
    assert second.close() is None

    sessions = receiver.named("invoke_agent")
    assert len(sessions) == 2
    again = sessions[1]
    assert attrs(again)["slowcode.session.resumed"] is True
    assert attrs(again)["slowcode.session.state"] == "done"
    assert {attrs(span)["gen_ai.conversation.id"] for span in sessions} == {
        resumed.session.session_id
    }
    # The call the resumed run carries on gets its span at the resume, around its review.
    finish = [s for s in receiver.named("execute_tool finish_step") if s.trace_id == again.trace_id]
    assert len(finish) == 1
    assert finish[0].parent_span_id == again.span_id
    assert attrs(finish[0])["gen_ai.tool.call.id"].startswith("toolu_")
    review = [s for s in receiver.named("slowcode.review") if s.trace_id == again.trace_id]
    assert [attrs(span)["slowcode.review.action"] for span in review] == ["apply"]
    assert review[0].parent_span_id == finish[0].span_id
    assert finish[0].start_time_unix_nano <= review[0].start_time_unix_nano
    commits = receiver.named("slowcode.commit")
    assert len(commits) == 1 and commits[0].trace_id == again.trace_id
