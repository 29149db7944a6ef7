"""When a session exports, where to and with what: from the environment and the developer's
own configuration, never from a repository's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.core.config import Config, load_config
from slowcode.core.errors import ConfigError
from slowcode.telemetry.settings import DEFAULT_ENDPOINT, telemetry_settings

COLLECTOR = "http://collector.example:4318"


def test_nothing_is_exported_by_default() -> None:
    assert telemetry_settings(Config(), {}) is None


def test_the_standard_endpoint_variable_turns_export_on() -> None:
    settings = telemetry_settings(Config(), {"OTEL_EXPORTER_OTLP_ENDPOINT": COLLECTOR + "/"})
    assert settings is not None
    assert settings.traces_endpoint == COLLECTOR + "/v1/traces"
    assert settings.metrics_endpoint == COLLECTOR + "/v1/metrics"
    assert settings.capture_content is False
    assert settings.service_name == "slowcode"
    assert settings.provider == "anthropic"


def test_a_signal_endpoint_is_taken_as_it_is() -> None:
    env = {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": COLLECTOR + "/traces"}
    settings = telemetry_settings(Config(), env)
    assert settings is not None
    assert settings.traces_endpoint == COLLECTOR + "/traces"
    assert settings.metrics_endpoint == DEFAULT_ENDPOINT + "/v1/metrics"


def test_otel_true_exports_to_a_local_collector() -> None:
    settings = telemetry_settings(Config(otel=True, provider="bedrock"), {})
    assert settings is not None
    assert settings.traces_endpoint == "http://localhost:4318/v1/traces"
    assert settings.provider == "aws.bedrock"


def test_the_configured_endpoint_wins_over_the_environment() -> None:
    config = Config(otel_endpoint=COLLECTOR)
    settings = telemetry_settings(config, {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://other:4318"})
    assert settings is not None
    assert settings.traces_endpoint == COLLECTOR + "/v1/traces"


@pytest.mark.parametrize(
    ("config", "env"),
    [
        (Config(otel=False), {"OTEL_EXPORTER_OTLP_ENDPOINT": COLLECTOR}),
        (Config(otel=True), {"OTEL_SDK_DISABLED": "true"}),
    ],
)
def test_otel_false_and_the_sdk_switch_turn_export_off(config: Config, env: dict[str, str]) -> None:
    assert telemetry_settings(config, env) is None


def test_content_capture_is_opt_in_either_way() -> None:
    on = {"OTEL_EXPORTER_OTLP_ENDPOINT": COLLECTOR}
    by_variable = telemetry_settings(
        Config(), {**on, "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true"}
    )
    by_setting = telemetry_settings(Config(otel_capture_content=True), on)
    assert by_variable is not None and by_variable.capture_content
    assert by_setting is not None and by_setting.capture_content


def test_the_service_name_interval_and_length_limit_follow_the_standard_variables() -> None:
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": COLLECTOR,
        "OTEL_SERVICE_NAME": "slowcode-ci",
        "OTEL_METRIC_EXPORT_INTERVAL": "5000",
        "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT": "1024",
    }
    settings = telemetry_settings(Config(), env)
    assert settings is not None
    assert settings.service_name == "slowcode-ci"
    assert settings.metric_interval_seconds == 5.0
    assert settings.max_attribute_length == 1024
    unusable = telemetry_settings(Config(), {**env, "OTEL_METRIC_EXPORT_INTERVAL": "soon"})
    assert unusable is not None
    assert unusable.metric_interval_seconds == 60.0


@pytest.mark.parametrize(
    ("file", "text"),
    [
        (".slowcode.toml", "otel = true\n"),
        (".slowcode.toml", 'otel_endpoint = "https://collector.attacker.example"\n'),
        ("pyproject.toml", "[tool.slowcode]\notel_capture_content = true\n"),
    ],
)
def test_a_repository_cannot_switch_telemetry_on_or_send_it_elsewhere(
    tmp_path: Path, file: str, text: str
) -> None:
    (tmp_path / file).write_text(text)
    with pytest.raises(ConfigError, match="never by a repository's files") as raised:
        load_config(tmp_path, {}, user_config=tmp_path / "absent.toml")
    assert file in str(raised.value)


def test_the_developers_own_file_and_environment_may(tmp_path: Path) -> None:
    user = tmp_path / "config.toml"
    user.write_text(f'otel = true\notel_endpoint = "{COLLECTOR}/"\n')
    config = load_config(tmp_path, {"SLOWCODE_OTEL_CAPTURE_CONTENT": "yes"}, user_config=user)
    assert config.otel is True
    assert config.otel_endpoint == COLLECTOR
    assert config.otel_capture_content is True
    off = load_config(tmp_path, {"SLOWCODE_OTEL": "false"}, user_config=user)
    assert off.otel is False


def test_an_endpoint_must_be_a_web_address(tmp_path: Path) -> None:
    user = tmp_path / "config.toml"
    user.write_text('otel_endpoint = "collector:4318"\n')
    with pytest.raises(ConfigError, match="http:// or https://"):
        load_config(tmp_path, {}, user_config=user)


def test_the_region_the_cost_depends_on_is_the_one_the_sdk_uses() -> None:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": COLLECTOR, "CLOUD_ML_REGION": "us-east5"}
    vertex = telemetry_settings(Config(provider="vertex"), env)
    configured = telemetry_settings(Config(provider="vertex", region="global"), env)
    anthropic = telemetry_settings(Config(), env)
    assert vertex is not None and configured is not None and anthropic is not None
    assert (vertex.provider, vertex.region) == ("gcp.vertex_ai", "us-east5")
    assert configured.region == "global"  # the configuration wins over the variable
    assert anthropic.region is None  # CLOUD_ML_REGION is Vertex AI's alone
