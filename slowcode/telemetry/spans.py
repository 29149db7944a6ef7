"""A session's journal events as spans and metrics.

Spans follow the journal as it is written, so a span starts when the event that
opens it is recorded and ends with the event that closes it:

    invoke_agent slowcode                 session_started / session_resumed … session_finished
    ├── chat {model}                      model_request … model_response / model_failed
    └── execute_tool {tool}               model_response (its tool_use) … tool_call
        ├── slowcode.review               step_review_opened … step_verdict
        │   └── chat {model}              why_asked … why_answered ("why?" about a hunk)
        ├── slowcode.apply                step_verdict (apply) … step_applied
        │   └── slowcode.commit           the last write … commit_made / commit_refused
        └── slowcode.check                step_applied … check_run / check_skipped

Without `capture_content`, attributes hold counts, ids, models, verdicts and
timings: never a prompt, a file's text or path, a tool's input or result, a
feedback or a command.
"""

from __future__ import annotations

import json
import time
from typing import Any

from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.util.types import AttributeValue

from slowcode.journal import events as ev
from slowcode.journal.schema import JournalEvent
from slowcode.model.pricing import cost_usd, priced_model
from slowcode.model.usage import Usage
from slowcode.telemetry import names as n
from slowcode.telemetry.metrics import SessionMetrics
from slowcode.telemetry.settings import PROVIDER_SETTINGS, TelemetrySettings
from slowcode.telemetry.step_spans import StepSpans, end_span, under

_NS = 1_000_000_000


class SessionSpans:
    """Turns one session's journal events into spans and metrics, as they are recorded.

    Not thread-safe on its own: `SessionTelemetry` calls it under a lock.

    Args:
        tracer: Where the spans are made.
        metrics: Where the measurements go.
        settings: What may be exported (`capture_content`), the provider and `max_tokens`.
    """

    def __init__(
        self, tracer: Tracer, metrics: SessionMetrics, settings: TelemetrySettings
    ) -> None:
        self._tracer = tracer
        self._metrics = metrics
        self._settings = settings
        self._content = settings.capture_content
        self._session_id = ""
        self._model = ""
        self._state = ""
        self._session: Span | None = None
        self._chat: Span | None = None
        self._chat_started = 0
        self._assistant: dict[str, Any] | None = None
        self._pending: list[dict[str, Any]] = []
        self._tool: tuple[object, Span] | None = None
        self._steps = StepSpans(tracer, metrics, content=settings.capture_content)
        self._why: Span | None = None
        self._why_started = 0
        self._last = time.time_ns()

    # -- following the journal -------------------------------------------------------------

    def follow(self, session_id: str, event: JournalEvent) -> None:
        """Takes one event as the journal recorded it."""
        now = time.time_ns()
        self._session_id = session_id
        self._on(event, now)
        self._last = now

    def _on(self, event: JournalEvent, now: int) -> None:
        match event:
            case ev.SessionStarted() | ev.SessionResumed():
                self._start_session(event)
            case ev.StateChanged(state=state):
                self._state = state
            case ev.SessionFinished():
                self.end(finished=True)
            case ev.SessionError(error=error):
                if self._session is not None:
                    self._session.set_attribute(n.ERROR_TYPE, error)
                    self._session.set_status(Status(StatusCode.ERROR))
            case ev.ConversationMessage(message=message) if message.get("role") == "assistant":
                self._assistant = message
            case ev.ModelRequest() | ev.ModelResponse() | ev.ModelFailed() | ev.ProtocolError():
                self._on_model(event, now)
            case ev.ToolCall():
                self._tool_called(event)
            case ev.PlanApproved(plan=plan) | ev.PlanProposed(plan=plan):
                self._resumed_call(n.PLAN_TOOL)
                self._on_tool(n.PLAN_STEPS, len(plan.get("steps") or []))
                self._on_tool(n.PLAN_APPROVED, isinstance(event, ev.PlanApproved))
            case ev.WhyAsked() | ev.WhyAnswered():
                self._on_why(event, now)
            case ev.StepReviewOpened() | ev.StepReviewResumed() | ev.StepRefused():
                self._resumed_call(n.FINISH_TOOL)
                self._steps.follow(event, now, self._last, self._tool_or_session())
            case _:
                self._steps.follow(event, now, self._last, self._tool_or_session())

    def _tool_or_session(self) -> Span | None:
        return self._tool[1] if self._tool is not None else self._session

    # -- the session -----------------------------------------------------------------------

    def _start_session(self, event: ev.SessionStarted | ev.SessionResumed) -> None:
        self.end(finished=False)
        attributes: dict[str, AttributeValue] = {
            n.OPERATION: "invoke_agent",
            n.AGENT: n.AGENT_NAME,
            n.CONVERSATION: self._session_id,
            n.SESSION_ID: self._session_id,
            n.PROVIDER: self._settings.provider,
        }
        if isinstance(event, ev.SessionStarted):
            self._model = event.model
            attributes[n.REQUEST_MODEL] = event.model
            if self._content:
                attributes[n.TASK] = event.task
        else:
            attributes[n.SESSION_RESUMED] = True
        self._session = self._tracer.start_span(n.SESSION_SPAN, attributes=attributes)

    def end(self, *, finished: bool) -> None:
        """Ends every open span: the session's last, with the state it was left in."""
        end_span(self._why)
        self._why = None
        self._steps.end()
        if self._tool is not None:
            end_span(self._tool[1])
        self._tool, self._pending = None, []
        end_span(self._chat)
        self._chat = None
        if self._session is not None:
            self._session.set_attribute(n.SESSION_STATE, "done" if finished else self._state)
            end_span(self._session)
        self._session = None

    # -- model requests --------------------------------------------------------------------

    def _on_model(self, event: JournalEvent, now: int) -> None:
        match event:
            case ev.ModelRequest(messages=messages, model=model):
                self._model = model or self._model
                end_span(self._chat)
                self._chat = self._start_chat(self._session, {n.REQUEST_MESSAGES: messages})
                self._chat_started = now
            case ev.ModelResponse() if self._chat is not None:
                self._responded(self._chat, event, now - self._chat_started)
                self._chat = None
                self._start_tools()
            case ev.ModelFailed(kind=kind) if self._chat is not None:
                self._chat.set_attribute(n.ERROR_TYPE, kind)
                self._chat.set_status(Status(StatusCode.ERROR))
                self._chat.end()
                self._chat = None
                self._metrics.failed_request(
                    (now - self._chat_started) / _NS,
                    {**self._metric_attributes(), n.ERROR_TYPE: kind},
                )
            case ev.ProtocolError():
                # The turn's tool calls were refused before any ran: no span for them.
                self._tool, self._pending = None, []
            case _:
                pass

    def _start_chat(self, parent: Span | None, extra: dict[str, AttributeValue]) -> Span:
        attributes: dict[str, AttributeValue] = {
            n.OPERATION: "chat",
            n.PROVIDER: self._settings.provider,
            n.SYSTEM: self._settings.provider,
            n.REQUEST_MODEL: self._model,
            n.REQUEST_MAX_TOKENS: self._settings.max_tokens,
            **extra,
        }
        return self._tracer.start_span(
            n.chat_span(self._model),
            context=under(parent),
            kind=SpanKind.CLIENT,
            attributes=attributes,
        )

    def _responded(self, span: Span, response: ev.ModelResponse, elapsed: int) -> None:
        model = response.model or self._model
        usage = Usage.from_json(response.usage)
        span.set_attribute(n.RESPONSE_MODEL, model)
        if response.stop_reason:
            span.set_attribute(n.FINISH_REASONS, [response.stop_reason])
        if response.request_id:
            span.set_attribute(n.REQUEST_ID, response.request_id)
        if response.error is not None:
            span.set_attribute(n.ERROR_TYPE, response.stop_reason or "unparsable_response")
            span.set_status(Status(StatusCode.ERROR))
        else:
            span.set_attributes(n.usage_attributes(usage))
        if self._content and self._assistant is not None:
            answer = output_messages(self._assistant, response.stop_reason)
            span.set_attribute(n.OUTPUT_MESSAGES, answer)
        span.end()
        attributes = {**self._metric_attributes(), n.RESPONSE_MODEL: model}
        provider = PROVIDER_SETTINGS.get(self._settings.provider, self._settings.provider)
        priced = priced_model(response.model, self._model)
        cost = cost_usd(priced, usage, provider, self._settings.region)
        self._metrics.request(usage, cost, elapsed / _NS, attributes)

    def _metric_attributes(self) -> dict[str, AttributeValue]:
        return {
            n.OPERATION: "chat",
            n.PROVIDER: self._settings.provider,
            n.REQUEST_MODEL: self._model,
        }

    def _on_why(self, event: JournalEvent, now: int) -> None:
        if isinstance(event, ev.WhyAsked):
            end_span(self._why)
            parent = self._steps.review or self._session
            self._why = self._start_chat(parent, {n.REQUEST_PURPOSE: "why", n.STEP: event.step})
            self._why_started = now
        elif isinstance(event, ev.WhyAnswered) and self._why is not None:
            reply = ev.ModelResponse(usage=event.usage, model=self._model)
            self._responded(self._why, reply, now - self._why_started)
            self._why = None

    # -- tool calls ------------------------------------------------------------------------

    def _start_tools(self) -> None:
        """Opens the span of the answer's first tool call: the calls run one after another."""
        content = (self._assistant or {}).get("content")
        blocks = content if isinstance(content, list) else []
        self._pending = [b for b in blocks if isinstance(b, dict) and b.get("type") == "tool_use"]
        self._assistant = None
        self._start_next_tool(None)

    def _start_next_tool(self, start: int | None) -> None:
        if not self._pending:
            self._tool = None
            return
        use = self._pending.pop(0)
        self._tool = (use.get("id"), self._tool_span(str(use.get("name", "")), start))

    def _tool_span(self, name: str, start: int | None) -> Span:
        attributes: dict[str, AttributeValue] = {
            n.OPERATION: "execute_tool",
            n.TOOL_NAME: name,
        }
        return self._tracer.start_span(
            n.tool_span(name),
            context=under(self._session),
            attributes=attributes,
            start_time=start,
        )

    def _resumed_call(self, tool: str) -> None:
        """Opens the span of a call a resumed session carries on (no answer asked for it)."""
        if self._tool is None:
            self._tool = (None, self._tool_span(tool, self._last))

    def _tool_called(self, call: ev.ToolCall) -> None:
        open_call = self._tool[0] if self._tool is not None else None
        if self._tool is not None and (open_call == call.id or open_call is None):
            span = self._tool[1]
        else:
            # A call of a resumed turn that journaled nothing before its end.
            end_span(self._tool[1] if self._tool else None)
            span = self._tool_span(call.name, self._last)
        span.set_attribute(n.TOOL_CALL_ID, str(call.id))
        if call.is_error:
            span.set_attribute(n.ERROR_TYPE, "tool_error")
            span.set_status(Status(StatusCode.ERROR))
        if self._content:
            span.set_attribute(n.TOOL_ARGUMENTS, json.dumps(call.input, default=str))
            span.set_attribute(n.TOOL_RESULT, call.result)
        end_span(self._why)
        self._why = None
        self._steps.end()
        span.end()
        self._start_next_tool(None)

    def _on_tool(self, key: str, value: AttributeValue) -> None:
        if self._tool is not None:
            self._tool[1].set_attribute(key, value)


def output_messages(message: dict[str, Any], finish_reason: str | None) -> str:
    """The model's answer as the conventions' `gen_ai.output.messages` JSON (content capture).

    Text, tool calls and readable thinking become parts; redacted thinking has nothing to show.
    """
    content = message.get("content")
    blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
    parts: list[dict[str, Any]] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "text":
            parts.append({"type": "text", "content": block.get("text", "")})
        elif kind == "tool_use":
            parts.append(
                {
                    "type": "tool_call",
                    "id": block.get("id"),
                    "name": block.get("name"),
                    "arguments": block.get("input"),
                }
            )
        elif kind == "thinking":
            parts.append({"type": "reasoning", "content": block.get("thinking", "")})
    answer = {"role": "assistant", "parts": parts, "finish_reason": finish_reason or ""}
    return json.dumps([answer], ensure_ascii=False, default=str)
