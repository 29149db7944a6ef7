"""Whether a session exports telemetry, where to, and what with: decided without OpenTelemetry.

A session exports when `otel = true` (the developer's own `config.toml`, or
`SLOWCODE_OTEL`) or when the standard `OTEL_EXPORTER_OTLP_ENDPOINT` (or a signal's
own endpoint variable) is set, unless `otel = false` or `OTEL_SDK_DISABLED=true`.
Nothing here imports OpenTelemetry: start-up pays for it only when a session exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from slowcode.core.config import Config
from slowcode.model.settings import ModelSettings

DEFAULT_ENDPOINT = "http://localhost:4318"
"""Where an OTLP/HTTP collector listens by default."""

DEFAULT_SERVICE_NAME = "slowcode"
DEFAULT_METRIC_INTERVAL_SECONDS = 60.0
DEFAULT_ATTRIBUTE_LENGTH = 8192
"""The longest attribute value exported (content capture: a file viewed, a tool's result)."""
EXPORT_TIMEOUT_SECONDS = 3.0
"""How long one export may take, retries included: an unreachable collector costs a
session at most this at each export, in the exporter's own thread, and at the end."""

_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class TelemetrySettings:
    """How a session's telemetry is exported.

    Attributes:
        traces_endpoint: The full URL spans are posted to (`…/v1/traces`).
        metrics_endpoint: The full URL metrics are posted to (`…/v1/metrics`).
        capture_content: Also export text: prompts, tool inputs and results, paths.
        service_name: The `service.name` of the exported resource.
        metric_interval_seconds: How often metrics are exported during a session.
        timeout_seconds: How long one export may take, retries included.
        provider: The model provider, as the GenAI conventions name it
            (`anthropic`, `aws.bedrock`, `gcp.vertex_ai`).
        region: The cloud region the model is reached in (its cost depends on it).
        max_tokens: The `max_tokens` of each model request.
        max_attribute_length: The longest attribute value; longer ones are cut.
    """

    traces_endpoint: str
    metrics_endpoint: str
    capture_content: bool = False
    service_name: str = DEFAULT_SERVICE_NAME
    metric_interval_seconds: float = DEFAULT_METRIC_INTERVAL_SECONDS
    timeout_seconds: float = EXPORT_TIMEOUT_SECONDS
    provider: str = "anthropic"
    region: str | None = None
    max_tokens: int = 8192
    max_attribute_length: int = DEFAULT_ATTRIBUTE_LENGTH


PROVIDER_NAMES = {"anthropic": "anthropic", "bedrock": "aws.bedrock", "vertex": "gcp.vertex_ai"}
"""slowcode's `provider` settings as the GenAI conventions' `gen_ai.provider.name`."""

PROVIDER_SETTINGS = {name: setting for setting, name in PROVIDER_NAMES.items()}
"""The GenAI conventions' provider names back as slowcode's `provider` settings."""


def telemetry_settings(config: Config, env: Mapping[str, str]) -> TelemetrySettings | None:
    """The session's telemetry settings, or None when it exports nothing.

    `config` holds only the developer's own `otel` settings: a repository's files
    cannot set them (`load_config` refuses them there).

    Args:
        config: The loaded configuration.
        env: The environment (usually `os.environ`).
    """
    if _is_true(env.get("OTEL_SDK_DISABLED")) or config.otel is False:
        return None
    base = config.otel_endpoint or _variable(env, "OTEL_EXPORTER_OTLP_ENDPOINT")
    traces = None if config.otel_endpoint else _variable(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    metrics = (
        None if config.otel_endpoint else _variable(env, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
    )
    if not (config.otel or base or traces or metrics):
        return None
    root = (base or DEFAULT_ENDPOINT).rstrip("/")
    return TelemetrySettings(
        traces_endpoint=traces or f"{root}/v1/traces",
        metrics_endpoint=metrics or f"{root}/v1/metrics",
        capture_content=config.otel_capture_content
        or _is_true(env.get("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT")),
        service_name=_variable(env, "OTEL_SERVICE_NAME") or DEFAULT_SERVICE_NAME,
        metric_interval_seconds=_interval_seconds(env.get("OTEL_METRIC_EXPORT_INTERVAL")),
        provider=PROVIDER_NAMES.get(config.provider, config.provider),
        region=ModelSettings.from_config(config, env).region,
        max_tokens=config.max_tokens,
        max_attribute_length=_positive(
            env.get("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT")
            or env.get("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"),
            DEFAULT_ATTRIBUTE_LENGTH,
        ),
    )


def _variable(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _is_true(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUE


def _interval_seconds(milliseconds: str | None) -> float:
    """`OTEL_METRIC_EXPORT_INTERVAL` (milliseconds) in seconds; the default when unusable."""
    value = _positive(milliseconds, 0)
    return value / 1000 if value else DEFAULT_METRIC_INTERVAL_SECONDS


def _positive(text: str | None, default: int) -> int:
    """A positive whole number from a variable; `default` when it is unset or unusable."""
    try:
        value = int((text or "").strip())
    except ValueError:
        return default
    return value if value > 0 else default
