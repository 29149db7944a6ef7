"""The model client: one streamed Messages API request per turn, with retries.

`anthropic` is imported on the first request, not with this module: importing it
costs about a second, which `slowcode --help` and the TUI's first frame must not pay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from slowcode.core.literal import whole_characters
from slowcode.model.failures import RETRIED_KINDS, Failure, classify
from slowcode.model.providers import sdk_client
from slowcode.model.setting_hints import with_setting_hint
from slowcode.model.settings import ModelSettings
from slowcode.model.stream_fold import StreamFold
from slowcode.model.types import (
    JsonDict,
    ModelError,
    ModelTurn,
    Retrying,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUseStarted,
    TurnRequest,
    Usage,
)

if TYPE_CHECKING:
    from anthropic import AsyncAnthropic

_BLOCK_FIELDS = {
    "text": ("type", "text"),
    "tool_use": ("type", "id", "name", "input"),
    "thinking": ("type", "thinking", "signature"),
    "redacted_thinking": ("type", "data"),
}
"""The fields the Messages API accepts back in an assistant message, per block type."""


class _CallbackFailed(Exception):
    """Carries an exception raised by the caller's event callback past the classifier."""

    def __init__(self, original: Exception) -> None:
        super().__init__(str(original))
        self.original = original


def block_to_json(block: Any) -> JsonDict:
    """A response content block as the JSON dict to send back in the conversation.

    Args:
        block: An SDK content block (a pydantic model).

    Returns:
        Only the fields the API accepts in an assistant message; blocks of other
        types are kept whole.
    """
    dumped: JsonDict = block.model_dump(mode="json", exclude_none=True)
    # A lone surrogate from the server could be neither journaled nor sent back.
    data = cast("JsonDict", whole_characters(dumped))
    fields = _BLOCK_FIELDS.get(str(data.get("type")))
    if fields is None:
        data.pop("parsed_output", None)
        return data
    return {name: data[name] for name in fields if name in data}


def usage_of(sdk_usage: Any) -> Usage:
    """The token use reported by the SDK, cache fields included."""
    # `cache_creation` splits the writes by lifetime; servers that omit it wrote 5-minute ones.
    by_lifetime = getattr(sdk_usage, "cache_creation", None)
    return Usage(
        input_tokens=int(sdk_usage.input_tokens or 0),
        output_tokens=int(sdk_usage.output_tokens or 0),
        cache_creation_input_tokens=int(sdk_usage.cache_creation_input_tokens or 0),
        cache_read_input_tokens=int(sdk_usage.cache_read_input_tokens or 0),
        cache_creation_1h_input_tokens=int(
            getattr(by_lifetime, "ephemeral_1h_input_tokens", 0) or 0
        ),
    )


class ModelClient:
    """Sends turns to the model and streams its answers back.

    Args:
        settings: Where and how to reach the model.
    """

    def __init__(self, settings: ModelSettings) -> None:
        self._settings = settings
        self._sdk: AsyncAnthropic | None = None

    @property
    def settings(self) -> ModelSettings:
        """The settings this client was made with."""
        return self._settings

    async def _sdk_client(self) -> AsyncAnthropic:
        if self._sdk is None:
            # A cloud client may read credential files (or ask a metadata server).
            self._sdk = await asyncio.to_thread(sdk_client, self._settings)
        return self._sdk

    async def complete(
        self, request: TurnRequest, on_event: Callable[[StreamEvent], None]
    ) -> ModelTurn:
        """Send one turn and return the model's complete answer.

        Text and tool input are passed to `on_event` as they stream in. A failed
        attempt of a retried kind is sent again, up to `settings.stream_retries`
        times, with a `Retrying` event before each wait.

        Args:
            request: The system blocks, tools and conversation to send.
            on_event: Called with each streamed event, in order.

        Returns:
            The finished turn; never a partial one.

        Raises:
            ModelError: When the request failed for good (exceptions raised by
                `on_event` itself propagate unchanged).
        """
        settings = self._settings
        if not settings.configured:
            raise ModelError(
                "not_configured",
                "No model configured: set ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN "
                "or ANTHROPIC_BASE_URL",
                retryable=False,
            )
        attempt = 0
        while True:
            try:
                return await self._attempt(request, on_event)
            except _CallbackFailed as failed:
                raise failed.original from None
            except Exception as exc:
                failure = Failure(exc) if isinstance(exc, ModelError) else classify(exc)
                error = failure.error
                if error.kind not in RETRIED_KINDS or attempt >= settings.stream_retries:
                    raise with_setting_hint(error, settings) from None
                attempt += 1
                delay = settings.retry_backoff_seconds * 2 ** (attempt - 1)
                if failure.retry_after is not None:
                    delay = failure.retry_after
                on_event(Retrying(attempt, delay, f"{error.kind}: {error}"))
                await asyncio.sleep(delay)

    async def _attempt(
        self, request: TurnRequest, on_event: Callable[[StreamEvent], None]
    ) -> ModelTurn:
        def emit(event: StreamEvent) -> None:
            try:
                on_event(event)
            except Exception as exc:
                raise _CallbackFailed(exc) from exc

        kwargs: dict[str, Any] = {
            "model": self._settings.model,
            "max_tokens": request.max_tokens,
            "messages": request.messages,
        }
        # Empty lists are left out: some Messages API servers reject `system: []`.
        if request.system:
            kwargs["system"] = request.system
        if request.tools:
            kwargs["tools"] = request.tools
        thinking = self._settings.thinking_config
        if thinking is not None:
            kwargs["thinking"] = thinking
            # Thinking counts toward max_tokens and its budget must stay below it: the
            # budget comes on top, so the answer keeps the room it has without thinking.
            kwargs["max_tokens"] = request.max_tokens + int(thinking.get("budget_tokens", 0))
        tool_names: dict[int, str] = {}
        sdk = await self._sdk_client()
        fold = StreamFold(request.max_tool_input_chars)
        stream = await sdk.messages.create(**kwargs, stream=True)
        async with stream:
            async for event in stream:
                fold.add(event)
                if event.type == "content_block_start":
                    block = event.content_block
                    if block.type == "tool_use":
                        tool_names[event.index] = block.name
                        emit(ToolUseStarted(block.name))
                elif event.type == "content_block_delta":
                    delta = event.delta
                    if delta.type == "text_delta" and delta.text:
                        emit(TextDelta(delta.text))
                    elif delta.type == "thinking_delta" and delta.thinking:
                        emit(ThinkingDelta(delta.thinking))
                    elif delta.type == "input_json_delta" and delta.partial_json:
                        name = tool_names.get(event.index, "")
                        emit(ToolInputDelta(name, delta.partial_json))
            if not fold.stopped:
                # Half an answer must never reach the conversation.
                raise ModelError("stream_cut", "The answer ended before it was complete")
            message = fold.final()
            request_id = stream.response.headers.get("request-id")
        if message.stop_reason is None:
            raise ModelError("stream_cut", "The answer ended without a stop reason")
        details = getattr(message, "stop_details", None)
        return ModelTurn(
            content=[block_to_json(block) for block in message.content],
            stop_reason=str(message.stop_reason),
            usage=usage_of(message.usage),
            model=message.model,
            request_id=request_id,
            stop_details=block_to_json(details) if details is not None else None,
        )

    async def aclose(self) -> None:
        """Close the HTTP connections, if any were opened."""
        sdk, self._sdk = self._sdk, None
        if sdk is not None:
            await sdk.close()
