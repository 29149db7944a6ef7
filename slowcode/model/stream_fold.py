"""A streamed answer folded into its final message, in time linear in its size.

The SDK's `messages.stream()` helper re-parses a tool call's whole JSON input
after every fragment (and grows it by byte-string concatenation), so a tool
input of N fragments costs N parses of an ever longer text: a 1 MiB `create`
took 51 s on a fast machine, and 2 MiB over three minutes. slowcode asks for the
raw event stream instead (`messages.create(stream=True)`, the same SDK types,
on every provider's client) and folds it here: each block's fragments are kept
in a list and joined once, when the block stops, and a tool input is parsed
once then (decision 0031).
"""

from __future__ import annotations

import json
from typing import Any

from slowcode.model.failures import MALFORMED_TOOL_INPUT, TOOL_INPUT_TOO_LARGE, one_line
from slowcode.model.types import ModelError

_USAGE_TOTALS = (
    "input_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "server_tool_use",
)
"""Usage counts a `message_delta` carries as totals when they apply (else None)."""

_TRACKS_INPUT = ("tool_use", "server_tool_use")


class StreamFold:
    """The message a raw Messages API event stream builds, one event at a time.

    Attributes:
        message: The message so far (None before `message_start`); an SDK `Message`.
        stopped: True once `message_stop` arrived.
    """

    def __init__(self, max_input_chars: int | None = None) -> None:
        """`max_input_chars`: a longer tool input stops the fold (None: no limit)."""
        self.message: Any = None
        self.stopped = False
        self._max_input_chars = max_input_chars
        # Each open block's fragments, joined once when it stops, and their length.
        self._pieces: dict[int, list[str]] = {}
        self._lengths: dict[int, int] = {}
        # The first tool input that is not JSON: raised by `final` unless max_tokens cut it.
        self._unparsed: ModelError | None = None

    def add(self, event: Any) -> None:
        """Folds one raw stream event (an SDK `RawMessageStreamEvent`) in.

        Raises:
            ModelError: A tool call's input is over the limit (`tool_input_too_large`),
                or the events came in an order the API never sends (`stream_error`).
        """
        kind = event.type
        if kind == "message_start":
            self.message = event.message
            return
        message = self.message
        if message is None:
            raise ModelError("stream_error", f"The answer began with {kind}, not message_start")
        if kind == "content_block_start":
            message.content.append(event.content_block)
            self._pieces[event.index] = []
        elif kind == "content_block_delta":
            self._delta(event.index, event.delta)
        elif kind == "content_block_stop":
            self._close(event.index)
        elif kind == "message_delta":
            self._message_delta(event)
        elif kind == "message_stop":
            self.stopped = True

    def final(self) -> Any:
        """The finished message; a block the stream never closed is closed now.

        A tool input that is not JSON fails the answer, unless the answer stopped at
        `max_tokens`: then the input was cut off, not malformed, the call keeps
        whatever of it parsed (`{}`), and the workflow runs nothing of the answer.

        Raises:
            ModelError: A tool call's input is not valid JSON (`malformed_tool_input`).
        """
        for index in sorted(self._pieces):
            self._close(index)
        if self._unparsed is not None and self.message.stop_reason != "max_tokens":
            raise self._unparsed
        return self.message

    def _block(self, index: int) -> Any:
        content = self.message.content
        if not 0 <= index < len(content) or index not in self._pieces:
            raise ModelError("stream_error", f"The answer sent a delta for block {index} unopened")
        return content[index]

    def _delta(self, index: int, delta: Any) -> None:
        block = self._block(index)
        kind = delta.type
        if kind == "text_delta" and block.type == "text":
            self._pieces[index].append(delta.text)
        elif kind == "thinking_delta" and block.type == "thinking":
            self._pieces[index].append(delta.thinking)
        elif kind == "input_json_delta" and block.type in _TRACKS_INPUT:
            self._pieces[index].append(delta.partial_json)
            length = self._lengths.get(index, 0) + len(delta.partial_json)
            self._lengths[index] = length
            limit = self._max_input_chars
            if limit is not None and length > limit:
                # Reading on would only cost time: an input this long is refused anyway.
                raise ModelError(
                    TOOL_INPUT_TOO_LARGE,
                    f"the input of {block.name} passed {limit:,} characters of JSON, "
                    "so the answer was not read further",
                    retryable=False,
                )
        elif kind == "signature_delta" and block.type == "thinking":
            block.signature = delta.signature
        elif kind == "citations_delta" and block.type == "text":
            block.citations = [*(block.citations or []), delta.citation]

    def _close(self, index: int) -> None:
        block = self._block(index)
        joined = "".join(self._pieces.pop(index))
        if block.type == "text":
            block.text += joined
        elif block.type == "thinking":
            block.thinking += joined
        elif block.type in _TRACKS_INPUT and joined:
            try:
                block.input = json.loads(joined)
            except json.JSONDecodeError as error:
                where = f"at line {error.lineno} column {error.colno}"
                reason = f"{error.msg[:1].lower()}{error.msg[1:]} {where}"
                # Only the stop reason, after the block, says whether it was cut or malformed.
                self._unparsed = self._unparsed or ModelError(
                    MALFORMED_TOOL_INPUT, one_line(f"invalid JSON: {reason}"), retryable=False
                )
                block.input = {}

    def _message_delta(self, event: Any) -> None:
        message = self.message
        delta = event.delta
        message.stop_reason = delta.stop_reason
        message.stop_sequence = delta.stop_sequence
        if getattr(delta, "stop_details", None) is not None:
            message.stop_details = delta.stop_details
        if getattr(delta, "container", None) is not None:
            message.container = delta.container
        usage = event.usage
        message.usage.output_tokens = usage.output_tokens
        # Totals, not increments; one left out keeps the value message_start gave.
        for name in _USAGE_TOTALS:
            value = getattr(usage, name, None)
            if value is not None:
                setattr(message.usage, name, value)
