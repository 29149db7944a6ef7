"""The fake Messages API server: scripted turns served through the loopback plumbing."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections import deque
from typing import Any

from slowcode.model.loopback import (
    MESSAGES_PATH,
    MessagesServer,
    ReceivedRequest,
    ResponseWriter,
    error_body,
)
from slowcode.model.settings import ModelSettings
from slowcode.model.sse import SseEvent, message_events
from tests.fakeapi import eventstream
from tests.fakeapi.conversation_rules import (
    THINKING_TYPES,
    conversation_problem,
    paused_problem,
    thinking_problem,
)
from tests.fakeapi.providers import VERTEX_TOKEN_PATH, translate
from tests.fakeapi.turns import Turn, http_error, reply, text_block, tool_use_block

__all__ = [
    "FakeMessagesAPI",
    "Turn",
    "fake_settings",
    "http_error",
    "reply",
    "text_block",
    "tool_use_block",
]

EXHAUSTED_MESSAGE = "fake API: no scripted turn left"
VERTEX_ACCESS_TOKEN = "ya29.fake-vertex-token"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


class FakeMessagesAPI(MessagesServer):
    """Answers `POST /v1/messages` with scripted turns, in order.

    Every request is kept in `requests` (path, lower-case headers, parsed body).
    When the script runs out the fake answers 400, which no client retries, so a
    test that sends more requests than it scripted fails quickly and clearly.

    Args:
        provider: The wire format to speak: `anthropic` (the Messages API itself),
            `bedrock` (Bedrock's paths, SigV4 and the AWS event stream) or `vertex`
            (Vertex AI's paths, OAuth tokens from `/token`, SSE). Requests are kept
            as the first-party requests they stand for, so tests read them alike.
    """

    def __init__(self, provider: str = "anthropic") -> None:
        super().__init__()
        self.provider = provider
        self.provider_routes: list[dict[str, str]] = []
        self._turns: deque[Turn] = deque()
        self._served = 0
        self._script_lock = threading.Lock()
        # tool_use id -> the thinking blocks of the message that served it.
        self._thinking: dict[str, list[dict[str, Any]]] = {}
        # The content of the last answer when it paused (`pause_turn`).
        self._paused: list[dict[str, Any]] | None = None
        self.context_window: int | None = None
        """Tokens a prompt may hold (estimated: 4 characters each); None: no limit."""

    def script(self, *turns: Turn) -> FakeMessagesAPI:
        """Queue turns to serve, after any already queued."""
        with self._script_lock:
            self._turns.extend(turns)
        return self

    @property
    def pending(self) -> int:
        """Scripted turns not served yet."""
        with self._script_lock:
            return len(self._turns)

    def record(self, request: ReceivedRequest, raw: bytes) -> None:
        """Keep the request as the first-party request it stands for."""
        translated = translate(self.provider, request)
        with self._lock:
            self.requests.append(translated.request)
            if translated.where:
                self.provider_routes.append(translated.where)

    def respond(self, request: ReceivedRequest, raw: bytes, writer: ResponseWriter) -> None:
        """Route a request of this fake's provider; the first-party API routes as usual."""
        if self.provider == "anthropic":
            super().respond(request, raw, writer)
            return
        if self.provider == "vertex" and request.path == VERTEX_TOKEN_PATH:
            # The OAuth token endpoint a service account's credentials file names.
            form = urllib.parse.parse_qs(raw.decode())
            if form.get("grant_type") != [JWT_GRANT] or not form.get("assertion"):
                writer.send_json(400, {"error": "invalid_grant"})
                return
            token = {
                "access_token": VERTEX_ACCESS_TOKEN,
                "expires_in": 3600,
                "token_type": "Bearer",
            }
            writer.send_json(200, token)
            return
        translated = translate(self.provider, request)
        if translated.problem is not None:
            status = (
                404
                if translated.problem.startswith("no ") and "route" in translated.problem
                else 400
            )
            writer.send_json(status, error_body("invalid_request_error", translated.problem))
            return
        if self.provider == "vertex" and request.credential != VERTEX_ACCESS_TOKEN:
            writer.send_json(401, error_body("authentication_error", "invalid access token"))
            return
        self.respond_messages(translated.request, writer)

    @property
    def message_requests(self) -> list[ReceivedRequest]:
        """The `POST /v1/messages` requests received so far."""
        return [request for request in self.requests if request.path == MESSAGES_PATH]

    def respond_messages(self, request: ReceivedRequest, writer: ResponseWriter) -> None:
        """Serve the next scripted turn, faults included; refuse an invalid conversation."""
        messages = request.body.get("messages") or []
        problem = conversation_problem(messages)
        if problem is None:
            with self._script_lock:
                problem = thinking_problem(messages, self._thinking) or paused_problem(
                    messages, self._paused
                )
        tokens = prompt_tokens(request.body)
        if problem is None and self.context_window is not None and tokens > self.context_window:
            problem = f"prompt is too long: {tokens} tokens > {self.context_window} maximum"
        if problem is not None:
            # As the real API does, before any turn is spent on it.
            writer.send_json(400, error_body("invalid_request_error", problem))
            return
        with self._script_lock:
            turn = self._turns.popleft() if self._turns else None
            self._served += 1
            number = self._served
        if turn is None:
            writer.send_json(400, error_body("invalid_request_error", EXHAUSTED_MESSAGE))
            return
        if turn.delay_seconds and turn.delay_after_events is None and self.wait(turn.delay_seconds):
            return
        if turn.status is not None or turn.message is None:
            headers = {"retry-after-ms": str(turn.retry_after_ms)}
            body = error_body(turn.error_type, turn.error_message)
            writer.send_json(turn.status or 500, body, headers)
            return
        message: dict[str, Any] = {"id": f"msg_fake_{number:04d}", **turn.message}
        content = message.get("content") or []
        with self._script_lock:
            self._paused = list(content) if message.get("stop_reason") == "pause_turn" else None
        thinking = [b for b in content if b.get("type") in THINKING_TYPES]
        if thinking:
            with self._script_lock:
                for block in content:
                    if block.get("type") == "tool_use":
                        self._thinking[str(block["id"])] = thinking
        if not request.stream:
            writer.send_json(200, message)
            return
        self._stream(turn, message, writer)

    def _stream(self, turn: Turn, message: dict[str, Any], writer: ResponseWriter) -> None:
        events = message_events(message)
        if turn.tool_input_chars is not None:
            events = _cut_tool_input(events, turn.tool_input_chars)
        if turn.omit_message_stop:
            events = [event for event in events if event[0] != "message_stop"]
        bedrock = self.provider == "bedrock"
        if bedrock:
            writer.start_stream(content_type=eventstream.CONTENT_TYPE)
        else:
            writer.start_stream()
        for index, (name, data) in enumerate(events):
            if index == turn.error_after_events:
                if bedrock:
                    writer.send_chunk(
                        eventstream.exception_frame(turn.error_type, turn.error_message)
                    )
                else:
                    writer.send_event("error", error_body(turn.error_type, turn.error_message))
                writer.end_stream()
                return
            if index == turn.drop_after_events:
                writer.drop_connection()
                return
            if index == turn.delay_after_events and self.wait(turn.delay_seconds):
                return
            if bedrock:
                writer.send_chunk(eventstream.chunk_frame(data))
            else:
                writer.send_event(name, data)
        writer.end_stream()


def _cut_tool_input(events: list[SseEvent], chars: int) -> list[SseEvent]:
    """The events with the last tool call's input JSON cut after `chars` characters."""
    starts = [
        data["index"]
        for name, data in events
        if name == "content_block_start" and data["content_block"]["type"] == "tool_use"
    ]
    if not starts:
        return events
    index = starts[-1]

    def fragment(name: str, data: dict[str, Any]) -> bool:
        return name == "content_block_delta" and data["index"] == index

    text = "".join(data["delta"]["partial_json"] for name, data in events if fragment(name, data))
    kept = text[:chars]
    cut: list[SseEvent] = []
    for name, data in events:
        if not fragment(name, data):
            cut.append((name, data))
        elif not data["delta"]["partial_json"]:
            cut.append((name, data))  # the empty first fragment, as the API sends it
            cut.append(
                (name, {**data, "delta": {"type": "input_json_delta", "partial_json": kept}})
            )
    return cut


def prompt_tokens(body: dict[str, Any]) -> int:
    """The fake's estimate of a prompt: its system, tools and messages, 4 characters a token."""
    prompt = {key: body.get(key) for key in ("system", "tools", "messages")}
    return len(json.dumps(prompt, ensure_ascii=False)) // 4


def fake_settings(server: MessagesServer, **overrides: Any) -> ModelSettings:
    """Model settings pointing at a loopback server, with tiny backoffs for fast tests.

    For a `FakeMessagesAPI` of another provider the settings name that provider, its
    region and project, and no API key: the credentials come from the cloud's own
    sources (see `tests/fakeapi/clouds.py`), as they do for real.
    """
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "api_key": "test-key",
        "retry_backoff_seconds": 0.01,
        "timeout_seconds": 5.0,
    }
    provider = getattr(server, "provider", "anthropic")
    if provider == "bedrock":
        values.update(provider="bedrock", api_key=None, region="us-east-1")
    elif provider == "vertex":
        values.update(
            provider="vertex",
            api_key=None,
            base_url=f"{server.base_url}/v1",
            region="us-east5",
            project="fake-project",
        )
    values.update(overrides)
    return ModelSettings(**values)
