"""A real session, exported: the workflow and the SDK against the fake API, spans and metrics
posted over OTLP/HTTP to a loopback collector that decodes them with opentelemetry-proto."""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from slowcode.core.config import Config
from slowcode.core.step_review import Verdict
from slowcode.engine.progress import SessionState
from slowcode.telemetry.exporter import SessionTelemetry
from slowcode.telemetry.settings import telemetry_settings
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import EDITOR, edit, make_workflow, plan_turn, session_repo
from tests.telemetry.receiver import OtlpReceiver, attributes_of

MARKER = "zebra7731marker"
"""Only the task, the model's text, a staged file, a step summary and the check carry it."""

USAGE = {
    "input_tokens": 100,
    "output_tokens": 20,
    "cache_read_input_tokens": 50,
    "cache_creation_input_tokens": 30,
}
CHECK = f"echo {MARKER}"


def script() -> list[Any]:
    """One step: a view, a plan, two edits (one hunk accepted, one rejected), the summary."""
    return [
        reply(
            f"Looking for {MARKER}.",
            tool_use_block(EDITOR, {"command": "view", "path": "app.py"}),
            usage=USAGE,
        ),
        plan_turn("Greet politely"),
        reply(edit("'hello '", f"'Hello {MARKER}, '"), edit("name.upper()", "name.upper() + '!'")),
        reply(tool_use_block("finish_step", {"summary": f"Polite {MARKER}."})),
        reply("Done.", stop_reason="end_turn"),
    ]


async def exported_session(
    repo: Path, fake_api: FakeMessagesAPI, env: dict[str, str], *, timeout: float = 3.0
) -> tuple[Any, str | None, float]:
    """Runs the scripted session with telemetry from `env`; the workflow, warning, close time."""
    fake_api.script(*script())
    config = Config(check_command=CHECK)
    settings = telemetry_settings(config, env)
    assert settings is not None
    telemetry = SessionTelemetry(dataclasses.replace(settings, timeout_seconds=timeout))
    human = ScriptedHuman(hunk_verdicts=[[Verdict.ACCEPTED, Verdict.REJECTED]])
    workflow = make_workflow(
        repo, fake_api, human, [], journal_listeners=[telemetry], check_command=CHECK
    )
    await workflow.run(f"Make greetings nicer for {MARKER}")
    started = time.monotonic()
    warning = telemetry.close()
    return workflow, warning, time.monotonic() - started


def by_name(spans: list[Span], name: str) -> list[Span]:
    return [span for span in spans if span.name == name]


def one(spans: list[Span], name: str) -> Span:
    found = by_name(spans, name)
    assert len(found) == 1, [span.name for span in spans]
    return found[0]


def attrs(span: Span) -> dict[str, Any]:
    return attributes_of(span.attributes)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return session_repo(tmp_path)


async def test_a_session_delivers_its_spans_to_the_collector(
    repo: Path, fake_api: FakeMessagesAPI, receiver: OtlpReceiver
) -> None:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint}
    workflow, warning, closing = await exported_session(repo, fake_api, env)

    assert workflow.session.state is SessionState.DONE
    assert warning is None
    assert closing < 2.0
    assert receiver.content_types == {"application/x-protobuf"}
    spans = receiver.spans()
    session = one(spans, "invoke_agent slowcode")
    assert attrs(session)["gen_ai.operation.name"] == "invoke_agent"
    assert attrs(session)["gen_ai.conversation.id"] == workflow.session.session_id
    assert attrs(session)["slowcode.session.state"] == "done"
    assert {span.trace_id for span in spans} == {session.trace_id}
    assert receiver.resources()[0]["service.name"] == "slowcode"

    chats = by_name(spans, "chat claude-sonnet-5-5")
    assert len(chats) == 5
    assert all(chat.parent_span_id == session.span_id for chat in chats)
    assert all(chat.kind == Span.SpanKind.SPAN_KIND_CLIENT for chat in chats)
    first = attrs(chats[0])
    assert first["gen_ai.operation.name"] == "chat"
    assert first["gen_ai.provider.name"] == "anthropic"
    assert first["gen_ai.request.model"] == "claude-sonnet-5-5"
    assert first["gen_ai.response.model"] == "claude-sonnet-5-5"
    assert first["gen_ai.response.finish_reasons"] == ["tool_use"]
    assert first["gen_ai.usage.input_tokens"] == 180  # cache reads and writes included
    assert first["gen_ai.usage.output_tokens"] == 20
    assert first["gen_ai.usage.cache_read.input_tokens"] == 50
    assert first["gen_ai.usage.cache_creation.input_tokens"] == 30
    assert attrs(chats[-1])["gen_ai.response.finish_reasons"] == ["end_turn"]

    tools = [span for span in spans if span.name.startswith("execute_tool ")]
    assert sorted(span.name for span in tools) == sorted(
        ["execute_tool " + EDITOR] * 3 + ["execute_tool propose_plan", "execute_tool finish_step"]
    )
    assert all(attrs(tool)["gen_ai.operation.name"] == "execute_tool" for tool in tools)
    assert all(attrs(tool)["gen_ai.tool.call.id"].startswith("toolu_") for tool in tools)
    plan = one(spans, "execute_tool propose_plan")
    assert attrs(plan)["slowcode.plan.approved"] is True
    assert attrs(plan)["slowcode.plan.steps"] == 1
    finish = one(spans, "execute_tool finish_step")
    assert attrs(finish)["gen_ai.tool.name"] == "finish_step"

    review = one(spans, "slowcode.review")
    assert review.parent_span_id == finish.span_id
    shown = attrs(review)
    assert shown["slowcode.step"] == 1
    assert shown["slowcode.review.action"] == "apply"
    assert shown["slowcode.review.hunks"] == 2
    assert shown["slowcode.review.hunks.accepted"] == 1
    assert shown["slowcode.review.hunks.rejected"] == 1
    assert shown["slowcode.review.hunks.edited"] == 0
    assert shown["slowcode.review.duration"] >= 0
    assert review.end_time_unix_nano >= review.start_time_unix_nano

    apply = one(spans, "slowcode.apply")
    commit = one(spans, "slowcode.commit")
    check = one(spans, "slowcode.check")
    assert apply.parent_span_id == finish.span_id
    assert commit.parent_span_id == apply.span_id
    assert check.parent_span_id == finish.span_id
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert attrs(commit)["slowcode.commit.id"] == head
    assert attrs(apply)["slowcode.commit.id"] == head
    assert attrs(apply)["slowcode.step.committed"] is True
    assert attrs(check)["slowcode.check.exit_code"] == 0
    assert attrs(check)["slowcode.check.passed"] is True
    assert apply.start_time_unix_nano <= commit.start_time_unix_nano
    assert commit.end_time_unix_nano <= apply.end_time_unix_nano


async def test_a_session_delivers_tokens_cost_steps_and_verdicts_as_metrics(
    repo: Path, fake_api: FakeMessagesAPI, receiver: OtlpReceiver
) -> None:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint}
    await exported_session(repo, fake_api, env)

    (tokens,) = receiver.metric("gen_ai.client.token.usage")
    assert tokens.unit == "{token}"
    by_type = {
        attributes_of(point.attributes)["gen_ai.token.type"]: point
        for point in tokens.histogram.data_points
    }
    # Five requests: the first with USAGE, four with the fake's 12 in and 7 out.
    assert by_type["input"].count == 5
    assert by_type["input"].sum == 180 + 4 * 12
    assert by_type["output"].sum == 20 + 4 * 7
    assert attributes_of(by_type["input"].attributes)["gen_ai.request.model"] == (
        "claude-sonnet-5-5"
    )
    (cost,) = receiver.metric("slowcode.cost")
    assert cost.unit == "USD"
    assert cost.sum.data_points[0].as_double > 0
    (steps,) = receiver.metric("slowcode.steps")
    assert [point.as_int for point in steps.sum.data_points] == [1]
    (hunks,) = receiver.metric("slowcode.review.hunks")
    verdicts = {
        attributes_of(point.attributes)["slowcode.hunk.verdict"]: point.as_int
        for point in hunks.sum.data_points
    }
    assert verdicts == {"accepted": 1, "rejected": 1}
    assert receiver.metric("slowcode.review.duration")
    assert receiver.metric("gen_ai.client.operation.duration")


async def test_no_text_of_the_session_is_exported_unless_the_developer_turns_it_on(
    repo: Path, fake_api: FakeMessagesAPI, receiver: OtlpReceiver
) -> None:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint}
    await exported_session(repo, fake_api, env)

    assert receiver.spans() and receiver.metrics
    # The task, the model's text, the staged file, the summary and the check's command
    # and output all carry the marker; no byte of any payload does. Nor does the key.
    for body in receiver.bodies:
        assert MARKER.encode() not in body
        assert b"test-key" not in body
        assert b"app.py" not in body  # not even a path


async def test_with_content_capture_on_the_texts_are_exported(
    tmp_path: Path, fake_api: FakeMessagesAPI, receiver: OtlpReceiver
) -> None:
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true",
    }
    await exported_session(session_repo(tmp_path), fake_api, env)

    session = one(receiver.spans(), "invoke_agent slowcode")
    assert MARKER in attrs(session)["slowcode.task"]
    edits = [
        attrs(span)["gen_ai.tool.call.arguments"]
        for span in receiver.spans()
        if span.name == "execute_tool " + EDITOR
    ]
    assert any(MARKER in arguments for arguments in edits)
    assert attrs(one(receiver.spans(), "slowcode.check"))["slowcode.check.command"] == CHECK
    first = by_name(receiver.spans(), "chat claude-sonnet-5-5")[0]
    (answer,) = json.loads(attrs(first)["gen_ai.output.messages"])
    assert answer["role"] == "assistant"
    assert answer["finish_reason"] == "tool_use"
    assert answer["parts"][0] == {"type": "text", "content": f"Looking for {MARKER}."}
    assert answer["parts"][1]["type"] == "tool_call"
    assert answer["parts"][1]["arguments"] == {"command": "view", "path": "app.py"}
    assert b"test-key" not in b"".join(receiver.bodies)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_an_unreachable_collector_costs_one_warning_and_never_the_session(
    repo: Path, fake_api: FakeMessagesAPI, capfd: pytest.CaptureFixture[str]
) -> None:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{closed_port()}"}
    started = time.monotonic()
    workflow, warning, closing = await exported_session(repo, fake_api, env, timeout=0.5)

    assert workflow.session.state is SessionState.DONE
    subject = subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--format=%s"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert subject.strip() == "Greet politely"
    assert warning is not None
    assert "\n" not in warning
    assert warning.startswith("telemetry: ")
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] in warning
    assert closing < 2.0
    assert time.monotonic() - started < 10
    # The SDK's own log never reaches the terminal the app draws on.
    assert capfd.readouterr().err == ""
