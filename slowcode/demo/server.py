"""The demo's model: the recorded session, plus answers to the keys a recording cannot foresee.

A plain replay serves one recorded response per request, so a request the
recording never made (a "why?" about a hunk, a plan or step sent back) would take
the next step's response and throw the tour off. `DemoServer` tells them apart:

- a "why?" side request (one that offers no tools) is answered with the
  recording's note about that file, and the recording does not move on;
- a plan or a step sent back with feedback is answered with the same proposal
  again (the recording cannot revise it), saying so, with the feedback quoted;
- a response that speaks of the decision record the step before it wrote says
  its recorded alternative when the developer wrote none (`n` or `x`);
- every other request gets the next recorded response.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from slowcode.model.loopback import (
    SESSION_ENDED_TEXT,
    MessagesServer,
    ReceivedRequest,
    ResponseWriter,
    text_message,
)
from slowcode.model.types import JsonDict

DEFAULT_WHY = (
    "This is the recorded demo, so the answer was written beforehand: the step's summary "
    "above says what each of its hunks is for."
)
_RESENT_NOTE = (
    "(Recorded demo: a live model would now revise this following your feedback, "
    "“{feedback}”. The recording can only propose the same again.)"
)


def _last_tool_results(body: JsonDict) -> list[dict[str, Any]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return []
    last = messages[-1]
    content = last.get("content") if isinstance(last, dict) else None
    if last.get("role") != "user" or not isinstance(content, list):
        return []
    return [
        block for block in content if isinstance(block, dict) and block.get("type") == "tool_result"
    ]


def _result_data(block: Mapping[str, Any]) -> dict[str, Any]:
    content = block.get("content")
    if isinstance(content, list):
        content = "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    try:
        data = json.loads(str(content))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _decision_unrecorded(blocks: list[dict[str, Any]]) -> bool:
    """True when a step's result says its decision was not recorded (rejected, or none)."""
    outcomes = [str(_result_data(block).get("decision", "")) for block in blocks]
    return any(outcome and not outcome.startswith("recorded") for outcome in outcomes)


def _sent_back(block: Mapping[str, Any]) -> str | None:
    """The feedback when this tool result sends a plan or a step back, else None."""
    data = _result_data(block)
    if data.get("approved") is False or data.get("applied") is False:
        feedback = data.get("feedback")
        return str(feedback) if feedback else ""
    return None


class DemoServer(MessagesServer):
    """Serves a recorded session and answers "why?" and send-backs without losing its place.

    Args:
        responses: The recorded Messages API responses, one per request of the tour.
        why: A recorded answer to "why?" per file path; `DEFAULT_WHY` for the rest.
        without_decision: Per response id, its text when no decision was recorded.
    """

    def __init__(
        self,
        responses: Iterable[JsonDict],
        why: Mapping[str, str] | None = None,
        without_decision: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._responses = list(responses)
        self._why = dict(why or {})
        self._without_decision = dict(without_decision or {})
        self._served = 0
        self._extra = 0
        # The proposal each tool_use id came in, so a sent-back one can be proposed again.
        self._proposals: dict[str, tuple[JsonDict, dict[str, Any]]] = {}
        self._state_lock = threading.Lock()

    @property
    def remaining(self) -> int:
        """How many recorded responses have not been served yet."""
        with self._state_lock:
            return len(self._responses) - self._served

    def respond_messages(self, request: ReceivedRequest, writer: ResponseWriter) -> None:
        """Sends the answer that keeps the tour on its recording (see the module)."""
        with self._state_lock:
            message = self._answer(request)
        writer.send_message(message, stream=request.stream)

    def _answer(self, request: ReceivedRequest) -> JsonDict:
        model = str(request.body.get("model", ""))
        if not request.body.get("tools"):
            return self._extra_text(self._why_answer(request.body), model)
        results = _last_tool_results(request.body)
        for block in results:
            feedback = _sent_back(block)
            proposal = self._proposals.get(str(block.get("tool_use_id", "")))
            if feedback is not None and proposal is not None:
                return self._propose_again(proposal, feedback, model)
        if self._served >= len(self._responses):
            return self._extra_text(SESSION_ENDED_TEXT, model)
        message = self._responses[self._served]
        self._served += 1
        self._remember(message)
        instead = self._without_decision.get(str(message.get("id", "")))
        if instead is not None and _decision_unrecorded(results):
            return {**message, "content": [{"type": "text", "text": instead}]}
        return message

    def _remember(self, message: JsonDict) -> None:
        for block in message.get("content", []):
            if block.get("type") == "tool_use" and block.get("name") in (
                "propose_plan",
                "finish_step",
            ):
                self._proposals[str(block["id"])] = (message, block)

    def _why_answer(self, body: JsonDict) -> str:
        text = json.dumps(body.get("messages", []), ensure_ascii=False)
        for path, answer in self._why.items():
            if f"+++ b/{path}" in text:
                return answer
        return DEFAULT_WHY

    def _extra_text(self, text: str, model: str) -> JsonDict:
        self._extra += 1
        return text_message(text, model=model, message_id=f"msg_demo_extra_{self._extra}")

    def _propose_again(
        self, proposal: tuple[JsonDict, dict[str, Any]], feedback: str, model: str
    ) -> JsonDict:
        message, block = proposal
        self._extra += 1
        again = {**block, "id": f"{block['id']}_again_{self._extra}"}
        self._proposals[again["id"]] = (message, again)
        note = _RESENT_NOTE.format(feedback=" ".join(feedback.split()) or "no feedback given")
        return {
            **message,
            "id": f"msg_demo_again_{self._extra}",
            "model": model or message.get("model", ""),
            "content": [{"type": "text", "text": note}, again],
            "stop_reason": "tool_use",
        }
