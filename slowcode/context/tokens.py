"""Token counters for the repository map's budget.

With a model configured, the map is measured by the Messages API's own
`count_tokens` (the same tokenizer the request pays for). Without one (or when
the server has no `count_tokens`, as some local servers don't), an offline
estimate is used: every run of up to five ASCII letters, every run of up to
three digits, an ellipsis `...`, every other non-space character, every newline and every run of
two or more spaces or tabs counts as one token. On source code this comes
within about 15% of Claude's tokenizer, leaning high, and it is additive over
lines, which lets the map be filled line by line exactly.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from slowcode.model.settings import ModelSettings

_PIECE = re.compile(r"[A-Za-z]{1,5}|[0-9]{1,3}|\.\.\.|[^A-Za-z0-9\s]|\n|[ \t]{2,}")


class TokenCounter(Protocol):
    """Counts the tokens of a text."""

    @property
    def name(self) -> str:
        """Names the counter in cache keys: maps measured differently are different maps."""
        ...

    def count(self, text: str) -> int:
        """The number of tokens `text` costs."""
        ...


class EstimateCounter:
    """The offline estimate described in this module's docstring."""

    name = "estimate-v2"

    def count(self, text: str) -> int:
        """The estimated number of tokens of `text`."""
        return len(_PIECE.findall(text))


ESTIMATE = EstimateCounter()


class ApiTokenCounter:
    """Counts with the Messages API's `count_tokens` endpoint, through the SDK.

    The text is sent as the content of one user message; the fixed cost of a
    message (measured once with a one-character text) is taken off. When the
    server cannot count (no such endpoint, unreachable), the counter falls back
    to the offline estimate for the rest of its life and says so in `name`.

    Args:
        settings: How to reach the model.
    """

    def __init__(self, settings: ModelSettings) -> None:
        self._settings = settings
        self._client: Any = None
        self._overhead: int | None = None
        self._failed = False
        self._lock = threading.Lock()
        self._memo: dict[str, int] = {}

    @property
    def name(self) -> str:
        """`api:<model>`, or the estimate's name after a failure."""
        return ESTIMATE.name if self._failed else f"api:{self._settings.model}"

    @property
    def failed(self) -> bool:
        """True once the server could not count and the estimate is used instead."""
        return self._failed

    def _raw_count(self, text: str) -> int:
        if self._client is None:
            # The SDK costs about a second to import: only a session with a model pays it.
            import anthropic

            settings = self._settings
            self._client = anthropic.Anthropic(
                api_key=settings.api_key
                or ("slowcode-no-key" if not settings.auth_token else None),
                auth_token=settings.auth_token,
                base_url=settings.base_url,
                max_retries=1,
                timeout=settings.timeout_seconds,
            )
        result = self._client.messages.count_tokens(
            model=self._settings.model, messages=[{"role": "user", "content": text}]
        )
        return int(result.input_tokens)

    def count(self, text: str) -> int:
        """The tokens `text` costs as message content, by the API (or the estimate)."""
        with self._lock:
            if self._failed:
                return ESTIMATE.count(text)
            if text in self._memo:
                return self._memo[text]
            try:
                if self._overhead is None:
                    self._overhead = max(0, self._raw_count(".") - 1)
                value = max(0, self._raw_count(text) - self._overhead)
            except Exception:
                # Any failure of the endpoint (missing, refused, offline) means the
                # budget is kept by the estimate instead; the map is never lost over it.
                self._failed = True
                return ESTIMATE.count(text)
            self._memo[text] = value
            return value
