"""Token use of a request, on its own: the status line shows it from the first frame,
before anything else of the model client is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Usage:
    """Token use of one request.

    `cache_creation_input_tokens` counts every cache write; `cache_creation_1h_input_tokens`
    the part of them written with the 1-hour lifetime (priced higher).
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_1h_input_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_creation_input_tokens + other.cache_creation_input_tokens,
            self.cache_read_input_tokens + other.cache_read_input_tokens,
            self.cache_creation_1h_input_tokens + other.cache_creation_1h_input_tokens,
        )

    @classmethod
    def from_json(cls, data: JsonDict | None) -> Usage:
        """The usage `to_json` wrote (a journal's); missing or null counts are 0."""
        data = data or {}
        return cls(
            int(data.get("input_tokens") or 0),
            int(data.get("output_tokens") or 0),
            int(data.get("cache_creation_input_tokens") or 0),
            int(data.get("cache_read_input_tokens") or 0),
            int(data.get("cache_creation_1h_input_tokens") or 0),
        )

    def to_json(self) -> JsonDict:
        data: JsonDict = {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_creation_input_tokens": self.cache_creation_input_tokens,
            "cache_read_input_tokens": self.cache_read_input_tokens,
        }
        if self.cache_creation_1h_input_tokens:
            # Only when there are any: journals of 5-minute sessions keep their shape.
            data["cache_creation_1h_input_tokens"] = self.cache_creation_1h_input_tokens
        return data
