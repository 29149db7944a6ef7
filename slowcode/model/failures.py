"""Every way a model request can fail, turned into one `ModelError` kind.

The SDK reports failures with its own exception classes before a stream starts,
and with `APIStatusError` (status 200) or the HTTP library's own exceptions once
it has started. The engine only ever sees `ModelError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slowcode.core.literal import without_lone_surrogates
from slowcode.model.types import ModelError

MESSAGE_MAX_CHARS = 240

RETRIED_KINDS = frozenset(
    {"overloaded", "rate_limited", "server", "connection", "timeout", "stream_error", "stream_cut"}
)
"""Kinds worth sending the same request again for."""

_STATUS_KINDS = {
    529: ("overloaded", "The model is overloaded"),
    429: ("rate_limited", "Rate limited"),
    408: ("timeout", "The server timed out"),
    401: ("auth", "Authentication failed"),
    403: ("auth", "Permission denied"),
    400: ("bad_request", "The request was refused"),
    404: ("bad_request", "Not found (check the model name and base URL)"),
    413: ("bad_request", "The request is too large"),
    422: ("bad_request", "The request was refused"),
}

MALFORMED_TOOL_INPUT = "malformed_tool_input"
TOOL_INPUT_TOO_LARGE = "tool_input_too_large"
"""The kind of an answer whose tool input is not JSON: a protocol error for the
workflow to answer, not a failure to send again."""

CONTEXT_OVERFLOW = "context_overflow"
"""The kind of a request the API refused because the prompt does not fit the model's
context window (400 "prompt is too long"): the same request would fail again, so the
workflow shrinks the context instead of sending it as it was."""

# The API's words: "prompt is too long: 210000 tokens > 200000 maximum", and
# "input length and `max_tokens` exceed context limit: 190000 + 20000 > 200000".
_TOO_LONG = re.compile(r"prompt is too long|exceed context limit", re.I)

RETRY_AFTER_CAP_SECONDS = 60.0
"""A server's retry-after is honoured up to this: beyond it, waiting helps nobody."""


@dataclass(frozen=True)
class Failure:
    """A classified failure: the error to raise and how long the server asked to wait."""

    error: ModelError
    retry_after: float | None = None


def one_line(text: str) -> str:
    """`text` on one line, shortened to a readable length."""
    # A server's message may hold a lone surrogate: it is journaled, so it must encode.
    flat = " ".join(without_lone_surrogates(text).split())
    if len(flat) > MESSAGE_MAX_CHARS:
        return flat[: MESSAGE_MAX_CHARS - 1] + "…"
    return flat


def _error(kind: str, message: str) -> ModelError:
    return ModelError(kind, one_line(message), retryable=kind in RETRIED_KINDS)


def _retry_after(headers: object) -> float | None:
    get = getattr(headers, "get", None)
    if get is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = get(name)
        if value is None:
            continue
        try:
            seconds = float(value) * scale
        except ValueError:
            continue
        if seconds >= 0:
            return min(seconds, RETRY_AFTER_CAP_SECONDS)
    return None


_CREDENTIAL_ERRORS = frozenset(
    {
        "DefaultCredentialsError",
        "RefreshError",
        "TransportError",
        "NoCredentialsError",
        "PartialCredentialsError",
        "ProfileNotFound",
        "NoRegionError",
        "TokenRetrievalError",
        "SSOTokenLoadError",
    }
)
"""google-auth's and botocore's exceptions for credentials that cannot be found or used."""


def _credential_failure(exc: BaseException) -> ModelError | None:
    """A cloud provider's credential or setup problem, raised before anything was sent."""
    text = str(exc)
    if isinstance(exc, RuntimeError) and "project_id" in text:
        return ModelError(
            "not_configured",
            "No Google Cloud project: set project in the configuration or "
            "ANTHROPIC_VERTEX_PROJECT_ID",
            retryable=False,
        )
    if type(exc).__name__ in _CREDENTIAL_ERRORS or (
        isinstance(exc, RuntimeError) and "credentials" in text.lower()
    ):
        return ModelError(
            "auth", one_line(f"The cloud credentials could not be used: {text}"), retryable=False
        )
    return None


def classify(exc: BaseException) -> Failure:
    """The `ModelError` for an exception raised while talking to the model.

    Args:
        exc: What the SDK or its HTTP library raised.

    Returns:
        The classified failure, with the server's retry-after when it sent one.
    """
    # Imported here: callers only reach this after the SDK is loaded anyway, and
    # importing this module must stay free.
    import anthropic
    import httpx2

    if isinstance(exc, anthropic.APIStatusError):
        detail = exc.api_message or str(exc)
        error_type = exc.type or "error"
        if exc.status_code == 200:
            return Failure(_error("stream_error", f"The stream failed ({error_type}): {detail}"))
        kind, label = _STATUS_KINDS.get(exc.status_code, ("", ""))
        if exc.status_code == 400 and _TOO_LONG.search(detail):
            kind, label = CONTEXT_OVERFLOW, "The prompt is too long for the model's context window"
        if not kind:
            if exc.status_code >= 500:
                kind, label = "server", "Server error"
            elif exc.status_code == 409:
                kind, label = "server", "The server reported a conflict"
            else:
                kind, label = "bad_request", "The request was refused"
        message = f"{label} (HTTP {exc.status_code}): {detail}"
        return Failure(_error(kind, message), _retry_after(exc.response.headers))
    if isinstance(exc, anthropic.APITimeoutError | httpx2.TimeoutException):
        return Failure(_error("timeout", "The model did not answer in time"))
    if isinstance(exc, anthropic.APIConnectionError):
        cause = exc.__cause__
        reason = f": {cause}" if cause is not None and str(cause) else ""
        return Failure(_error("connection", f"Could not reach the model server{reason}"))
    if isinstance(exc, httpx2.RemoteProtocolError | httpx2.ReadError | httpx2.StreamError):
        return Failure(_error("stream_cut", f"The connection dropped mid-answer: {exc}"))
    if isinstance(exc, httpx2.HTTPError):
        return Failure(_error("connection", f"Connection failed: {exc}"))
    credential = _credential_failure(exc)
    if credential is not None:
        return Failure(credential)
    # Malformed events, unexpected event order: the answer
    # could not be read, and another attempt may well succeed.
    return Failure(
        _error("stream_error", f"The answer could not be read ({type(exc).__name__}): {exc}")
    )
