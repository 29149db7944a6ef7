"""Loopback servers that speak the Messages API, for offline runs of the real client.

`slowcode demo` and `slowcode replay` point the ordinary model client (and so the
ordinary SDK) at a `ReplayServer` that serves recorded responses, so an offline
session exercises exactly the code a live one does. `MessagesServer` is the shared
plumbing: a threaded HTTP/1.1 server on 127.0.0.1 with request recording, JSON
answers and chunked server-sent-event streams.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from slowcode.model.sse import encode_event, message_events
from slowcode.model.types import JsonDict

MESSAGES_PATH = "/v1/messages"
COUNT_TOKENS_PATH = "/v1/messages/count_tokens"
CHARS_PER_TOKEN = 4
"""count_tokens estimate: one token per four characters of the request's JSON, the
usual rule of thumb for English text and code (no tokenizer is available offline)."""

SESSION_ENDED_TEXT = "The recorded session has ended; there are no more recorded responses."


@dataclass(frozen=True)
class ReceivedRequest:
    """One HTTP request as the server received it.

    Attributes:
        method: The HTTP method.
        path: The path, without the query string.
        headers: Header names in lower case, mapped to their values.
        body: The parsed JSON body ({} when there was none or it was not JSON).
    """

    method: str
    path: str
    headers: dict[str, str]
    body: JsonDict

    @property
    def stream(self) -> bool:
        """Whether the client asked for a server-sent-event stream."""
        return self.body.get("stream") is True

    @property
    def credential(self) -> str | None:
        """The API key or bearer token the client sent, if any."""
        bearer = self.headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            return bearer[len("bearer ") :].strip() or None
        return self.headers.get("x-api-key") or None


def error_body(error_type: str, message: str) -> JsonDict:
    """The Messages API's JSON error body."""
    return {"type": "error", "error": {"type": error_type, "message": message}}


def text_message(text: str, *, model: str = "", message_id: str = "msg_loopback") -> JsonDict:
    """A complete assistant message holding one text block and ending the turn."""
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 0, "output_tokens": max(1, len(text) // CHARS_PER_TOKEN)},
    }


class ResponseWriter:
    """Writes one HTTP response: a JSON document, or a chunked SSE stream."""

    def __init__(self, handler: BaseHTTPRequestHandler, server: MessagesServer) -> None:
        self._handler = handler
        self._server = server
        self._request_id = server.next_request_id()

    @property
    def request_id(self) -> str:
        """The `request-id` header value this response carries."""
        return self._request_id

    def _start(self, status: int, content_type: str, headers: Mapping[str, str] | None) -> None:
        handler = self._handler
        handler.send_response(status)
        handler.send_header("content-type", content_type)
        handler.send_header("request-id", self._request_id)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)

    def send_json(
        self, status: int, body: JsonDict, headers: Mapping[str, str] | None = None
    ) -> None:
        """Send a complete JSON response."""
        # A lone surrogate goes out as its JSON escape (see `sse.encode_event`).
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace")
        self._start(status, "application/json", headers)
        self._handler.send_header("content-length", str(len(payload)))
        self._handler.end_headers()
        self._handler.wfile.write(payload)
        self._handler.wfile.flush()

    def start_stream(
        self,
        headers: Mapping[str, str] | None = None,
        content_type: str = "text/event-stream",
    ) -> None:
        """Send the headers of a 200 event stream; events follow as chunks."""
        self._start(200, content_type, headers)
        self._handler.send_header("cache-control", "no-cache")
        self._handler.send_header("transfer-encoding", "chunked")
        self._handler.end_headers()
        self._handler.wfile.flush()

    def send_event(self, name: str, data: JsonDict) -> None:
        """Send one SSE event as one chunk of the body."""
        self.send_chunk(encode_event(name, data))

    def send_chunk(self, payload: bytes) -> None:
        """Send bytes of a streamed body as one chunk (another framing than SSE)."""
        self._handler.wfile.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
        self._handler.wfile.flush()

    def end_stream(self) -> None:
        """Finish the chunked body properly."""
        self._handler.wfile.write(b"0\r\n\r\n")
        self._handler.wfile.flush()

    def drop_connection(self) -> None:
        """Close the socket at once, leaving the response unfinished."""
        self._handler.close_connection = True
        try:
            self._handler.wfile.flush()
            self._handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def send_message(self, message: JsonDict, *, stream: bool) -> None:
        """Send a complete assistant message, streamed or as one JSON document."""
        if not stream:
            self.send_json(200, message)
            return
        self.start_stream()
        for name, data in message_events(message):
            self.send_event(name, data)
        self.end_stream()


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 for chunked streams (a dropped connection must be distinguishable
    # from a finished body) and for the SDK's keep-alive connections.
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.owner.track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner.track(self.connection, open_=False)

    def log_message(self, format: str, *args: Any) -> None:
        # A loopback server behind a TUI must never write to the terminal.
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {}
        body: JsonDict = parsed if isinstance(parsed, dict) else {}
        request = ReceivedRequest(
            method="POST",
            path=self.path.split("?", 1)[0],
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        owner = self.server.owner
        owner.record(request, raw)
        owner.respond(request, raw, ResponseWriter(self, owner))

    def do_GET(self) -> None:
        ResponseWriter(self, self.server.owner).send_json(
            404, error_body("not_found_error", f"no route for GET {self.path}")
        )


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Keep-alive connections keep their threads waiting; stop() must not join them.
    block_on_close = False

    def __init__(self, owner: MessagesServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner = owner

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up mid-response (timeouts, tests) are expected here.
        pass


class MessagesServer:
    """A loopback Messages API server; subclasses decide what `/v1/messages` answers.

    Use it as a context manager, or call `start()` and `stop()`. Every request is
    kept in `requests`. `/v1/messages/count_tokens` is answered with an estimate.
    Requests without an API key or bearer token get a 401, like the real API.
    """

    def __init__(self) -> None:
        self.requests: list[ReceivedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._request_count = 0
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.accepted_credentials: frozenset[str] | None = None
        """The keys and tokens this server takes; None: any (a missing one gets a 401)."""

    @property
    def base_url(self) -> str:
        """The URL to give the SDK as `base_url`."""
        if self._httpd is None:
            raise RuntimeError("the loopback server is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Bind to a free port on 127.0.0.1 and serve in a daemon thread."""
        if self._httpd is None:
            self._stopping.clear()
            self._httpd = _HTTPServer(self)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="slowcode-loopback",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end pending waits and close open connections."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=2)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def wait(self, seconds: float) -> bool:
        """Sleep in a handler thread; returns early (True) when the server stops."""
        return self._stopping.wait(seconds)

    def next_request_id(self) -> str:
        """A fresh `request-id` for a response."""
        with self._lock:
            self._request_count += 1
            return f"req_loopback_{self._request_count:04d}"

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        """Remember open connections so that `stop()` can close them."""
        with self._lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def record(self, request: ReceivedRequest, raw: bytes) -> None:
        """Keep a received request; subclasses may keep more."""
        with self._lock:
            self.requests.append(request)

    def respond(self, request: ReceivedRequest, raw: bytes, writer: ResponseWriter) -> None:
        """Route a request: authentication, token counting, then `respond_messages`."""
        accepted = self.accepted_credentials
        if request.credential is None:
            writer.send_json(
                401, error_body("authentication_error", "no x-api-key or bearer token given")
            )
        elif accepted is not None and request.credential not in accepted:
            writer.send_json(401, error_body("authentication_error", "invalid x-api-key"))
        elif request.path == COUNT_TOKENS_PATH:
            estimate = max(1, len(raw.decode("utf-8", "replace")) // CHARS_PER_TOKEN)
            writer.send_json(200, {"input_tokens": estimate})
        elif request.path == MESSAGES_PATH:
            self.respond_messages(request, writer)
        else:
            writer.send_json(404, error_body("not_found_error", f"no route for {request.path}"))

    def respond_messages(self, request: ReceivedRequest, writer: ResponseWriter) -> None:
        """Answer one `POST /v1/messages`."""
        raise NotImplementedError


class ReplayServer(MessagesServer):
    """Serves recorded responses in order, then says that the recording has ended.

    Args:
        responses: Complete Messages API response dicts, one per request.
    """

    def __init__(self, responses: Iterable[JsonDict]) -> None:
        super().__init__()
        self._responses = list(responses)
        self._served = 0

    @property
    def remaining(self) -> int:
        """How many recorded responses have not been served yet."""
        with self._lock:
            return len(self._responses) - self._served

    def respond_messages(self, request: ReceivedRequest, writer: ResponseWriter) -> None:
        """Send the next recorded response, or the end-of-recording message."""
        with self._lock:
            if self._served < len(self._responses):
                message = self._responses[self._served]
                self._served += 1
            else:
                message = text_message(
                    SESSION_ENDED_TEXT,
                    model=str(request.body.get("model", "")),
                    message_id=f"msg_loopback_end_{self._served}",
                )
        writer.send_message(message, stream=request.stream)
