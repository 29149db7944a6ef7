"""How slowcode reaches the model: credentials, endpoint, limits and retry policy."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slowcode.model.usage import JsonDict

if TYPE_CHECKING:
    from slowcode.core.config import Config

DEFAULT_MODEL = "claude-sonnet-5-5"

PROVIDERS = ("anthropic", "bedrock", "vertex")
"""Where the model is reached: Anthropic's API (or any server speaking the Messages
API), Amazon Bedrock, or Google Vertex AI, each through the SDK's own client."""

THINKING_OFF = "off"
THINKING_ADAPTIVE = "adaptive"
MIN_THINKING_BUDGET = 1024
"""The smallest `budget_tokens` the Messages API accepts for extended thinking."""


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
        provider: `anthropic`, `bedrock` or `vertex` (see `PROVIDERS`).
        region: The AWS region (Bedrock) or Google Cloud region (Vertex); None lets
            the SDK read its own variables (`AWS_REGION`, `CLOUD_ML_REGION`, the
            AWS profile's region). `from_env` fills it from `CLOUD_ML_REGION` for
            Vertex, the variable its SDK reads, since the cost depends on it.
        project: The Google Cloud project (Vertex); None: `ANTHROPIC_VERTEX_PROJECT_ID`
            or the application-default credentials' project.
        aws_profile: A profile of the AWS configuration files (Bedrock); None: the
            standard AWS credential chain.
        thinking: `off`, `adaptive`, or a token budget for extended thinking.
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
    provider: str = "anthropic"
    region: str | None = None
    project: str | None = None
    aws_profile: str | None = None
    thinking: str = THINKING_OFF

    @property
    def configured(self) -> bool:
        """Whether there is anything to talk to.

        For Anthropic's API: a key, a token or a server URL. Bedrock and Vertex find
        their credentials through the cloud's own chain at the first request, so they
        always count as configured; a missing credential is then a clear error.
        """
        if self.provider != "anthropic":
            return True
        return bool(self.api_key or self.auth_token or self.base_url)

    @property
    def thinking_config(self) -> JsonDict | None:
        """The request's `thinking` parameter, or None when thinking is off."""
        if self.thinking == THINKING_OFF:
            return None
        if self.thinking == THINKING_ADAPTIVE:
            return {"type": "adaptive"}
        return {"type": "enabled", "budget_tokens": int(self.thinking)}

    @classmethod
    def from_env(cls, env: Mapping[str, str], **overrides: Any) -> ModelSettings:
        """Build settings from `ANTHROPIC_*` environment variables.

        Args:
            env: The environment, usually `os.environ`.
            **overrides: Field values that win over the environment.

        Returns:
            The settings; empty variables count as unset. Vertex AI without a region
            takes `CLOUD_ML_REGION`'s, as its SDK would.
        """
        values: dict[str, Any] = {
            "api_key": env.get("ANTHROPIC_API_KEY") or None,
            "auth_token": env.get("ANTHROPIC_AUTH_TOKEN") or None,
            "base_url": env.get("ANTHROPIC_BASE_URL") or None,
        }
        values.update(overrides)
        if values.get("provider") == "vertex" and not values.get("region"):
            values["region"] = env.get("CLOUD_ML_REGION") or None
        return cls(**values)

    @classmethod
    def from_config(cls, config: Config, env: Mapping[str, str], **overrides: Any) -> ModelSettings:
        """Settings for a session: the configuration's model settings, then the environment.

        Args:
            config: The loaded configuration (model, provider, region, thinking, …).
            env: The environment, for the SDK's credential variables.
            **overrides: Field values that win over both.

        Returns:
            The settings.
        """
        values: dict[str, Any] = {
            "model": config.model,
            "max_tokens": config.max_tokens,
            "builtin_text_editor": config.builtin_text_editor,
            "provider": config.provider,
            "region": config.region,
            "project": config.project,
            "aws_profile": config.aws_profile,
            "thinking": config.thinking,
        }
        values.update(overrides)
        return cls.from_env(env, **values)

    def __repr__(self) -> str:
        # Settings end up in logs and tracebacks; credentials must never do so.
        shown = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in ("api_key", "auth_token"):
                value = "<set>" if value else None
            shown.append(f"{f.name}={value!r}")
        return f"ModelSettings({', '.join(shown)})"
