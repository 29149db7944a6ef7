"""The SDK client for each provider: Anthropic's API, Amazon Bedrock, Google Vertex AI.

All three are the `anthropic` SDK's own clients, so streaming, tool use, prompt
caching and the SDK's retries work the same way whichever is used; only the
endpoint, the URL scheme and the credentials differ. Credentials are never passed
through slowcode's settings for the clouds: the SDK finds them where the cloud's own
tools do (the AWS credential chain or `AWS_BEARER_TOKEN_BEDROCK`; Google's
application-default credentials), so they cannot reach the journal.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from typing import TYPE_CHECKING, Any

from slowcode.model.settings import ModelSettings
from slowcode.model.types import ModelError

if TYPE_CHECKING:
    from anthropic import AsyncAnthropic

PLACEHOLDER_API_KEY = "slowcode-no-key"
"""Sent when only a base URL is configured: local servers (Ollama, vLLM, …) ignore
the key, but the SDK refuses to send a request without one."""

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
"""The OAuth scope Vertex AI requests are made with (the SDK's own choice)."""

EXTRAS = {"bedrock": "slowcode[bedrock]", "vertex": "slowcode[vertex]"}
"""The install extra that brings each cloud's credential libraries."""


def sdk_client(settings: ModelSettings) -> AsyncAnthropic:
    """The SDK's async client for `settings.provider`.

    May block briefly (Vertex without a project setting reads the
    application-default credentials): call it from a worker thread.

    Args:
        settings: The model settings.

    Returns:
        `AsyncAnthropic`, `AsyncAnthropicBedrock` or `AsyncAnthropicVertex`; all three
        offer the same `messages.stream` (typed as the first-party client).

    Raises:
        ModelError: `not_configured`, in one line, when the provider lacks a setting it
            needs (a region) or its credential library is not installed.
    """
    import anthropic

    common: dict[str, Any] = {
        "base_url": settings.base_url,
        "max_retries": settings.max_retries,
        "timeout": settings.timeout_seconds,
    }
    try:
        if settings.provider == "bedrock":
            return _bedrock(settings, common)
        if settings.provider == "vertex":
            return _vertex(settings, common)
    except (ValueError, ImportError) as exc:
        raise _not_configured(settings.provider, exc) from None
    api_key = settings.api_key
    if api_key is None and settings.auth_token is None:
        api_key = PLACEHOLDER_API_KEY
    return anthropic.AsyncAnthropic(api_key=api_key, auth_token=settings.auth_token, **common)


def _bedrock(settings: ModelSettings, common: dict[str, Any]) -> AsyncAnthropic:
    # botocore decodes Bedrock's event stream and signs each request; without it the
    # SDK would fail only at the first answer, with a less helpful message.
    _require("botocore")
    from anthropic import AsyncAnthropicBedrock

    client = AsyncAnthropicBedrock(
        aws_region=settings.region, aws_profile=settings.aws_profile, **common
    )
    return client  # type: ignore[return-value]


def _vertex(settings: ModelSettings, common: dict[str, Any]) -> AsyncAnthropic:
    _require("google.auth")
    from anthropic import AsyncAnthropicVertex

    kwargs = dict(common)
    if settings.region is not None:
        kwargs["region"] = settings.region
    project = settings.project or os.environ.get("ANTHROPIC_VERTEX_PROJECT_ID") or None
    if project is None:
        # The SDK needs the project before it loads the credentials, so they are
        # loaded here, from the same application-default sources, for their project.
        google_auth = importlib.import_module("google.auth")
        credentials, project = google_auth.default(scopes=[CLOUD_PLATFORM_SCOPE])
        kwargs["credentials"] = credentials
    if project is not None:
        kwargs["project_id"] = project
    client = AsyncAnthropicVertex(**kwargs)
    return client  # type: ignore[return-value]


def _require(module: str) -> None:
    if importlib.util.find_spec(module.split(".")[0]) is None or (
        "." in module and importlib.util.find_spec(module) is None
    ):
        raise ImportError(module)


def _not_configured(provider: str, exc: BaseException) -> ModelError:
    if isinstance(exc, ImportError):
        message = (
            f"The {provider} provider needs its credential library: "
            f"pip install '{EXTRAS.get(provider, 'slowcode')}'"
        )
    elif "region" in str(exc).lower():
        variable = "AWS_REGION" if provider == "bedrock" else "CLOUD_ML_REGION"
        message = f"No region for {provider}: set region in the configuration or {variable}"
    else:
        message = f"The {provider} provider is not configured: {' '.join(str(exc).split())}"
    return ModelError("not_configured", message, retryable=False)
