"""How slowcode reaches the model: credentials, endpoint, limits and retry policy."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MODEL = "claude-sonnet-5-5"


@dataclass(frozen=True)
class ModelSettings:
    """Settings of the model client.

    Attributes:
        model: The model id sent with every request.
        api_key: An Anthropic API key, or None.
        auth_token: A bearer token (gateways, proxies), or None.
        base_url: Another server speaking the Messages API, or None for Anthropic's.
        max_tokens: The default answer budget of a request.
        timeout_seconds: The HTTP timeout of one attempt.
        max_retries: Retries the SDK makes itself, before a stream has started.
        stream_retries: Retries slowcode makes after a failed attempt (including
            failures after the stream started, which the SDK never retries).
        retry_backoff_seconds: The first wait of slowcode's exponential backoff.
        builtin_text_editor: Declare the text editor as Anthropic's built-in tool
            type; False declares it as an ordinary custom tool, for servers that
            do not know the built-in type.
    """

    model: str = DEFAULT_MODEL
    api_key: str | None = field(default=None, repr=False)
    auth_token: str | None = field(default=None, repr=False)
    base_url: str | None = None
    max_tokens: int = 8192
    timeout_seconds: float = 120.0
    max_retries: int = 2
    stream_retries: int = 3
    retry_backoff_seconds: float = 1.0
    builtin_text_editor: bool = True

    @property
    def configured(self) -> bool:
        """Whether there is anything to talk to: a key, a token or a server URL."""
        return bool(self.api_key or self.auth_token or self.base_url)

    @classmethod
    def from_env(cls, env: Mapping[str, str], **overrides: Any) -> ModelSettings:
        """Build settings from `ANTHROPIC_*` environment variables.

        Args:
            env: The environment, usually `os.environ`.
            **overrides: Field values that win over the environment.

        Returns:
            The settings; empty variables count as unset.
        """
        values: dict[str, Any] = {
            "api_key": env.get("ANTHROPIC_API_KEY") or None,
            "auth_token": env.get("ANTHROPIC_AUTH_TOKEN") or None,
            "base_url": env.get("ANTHROPIC_BASE_URL") or None,
        }
        values.update(overrides)
        return cls(**values)

    def __repr__(self) -> str:
        # Settings end up in logs and tracebacks; credentials must never do so.
        shown = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in ("api_key", "auth_token"):
                value = "<set>" if value else None
            shown.append(f"{f.name}={value!r}")
        return f"ModelSettings({', '.join(shown)})"
