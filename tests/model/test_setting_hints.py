"""A failure names where slowcode was talking to and the setting to change, per provider."""

from __future__ import annotations

import pytest

from slowcode.model.setting_hints import endpoint, with_setting_hint
from slowcode.model.settings import ModelSettings
from slowcode.model.types import ModelError


@pytest.mark.parametrize(
    ("settings", "kind", "hint"),
    [
        (
            ModelSettings(api_key="k"),
            "timeout",
            "https://api.anthropic.com; set ANTHROPIC_BASE_URL (or base_url in the "
            "configuration) to change it",
        ),
        (
            ModelSettings(auth_token="t", base_url="http://gw:4000"),
            "auth",
            "http://gw:4000; check ANTHROPIC_AUTH_TOKEN",
        ),
        (
            ModelSettings(provider="bedrock", region="eu-west-1"),
            "auth",
            "Amazon Bedrock in eu-west-1; check the AWS credentials (AWS_PROFILE, or "
            "aws_profile in the configuration)",
        ),
        (
            ModelSettings(provider="vertex", region="global", project="p1"),
            "connection",
            "Vertex AI in global, project p1; set region and project (or CLOUD_ML_REGION, "
            "ANTHROPIC_VERTEX_PROJECT_ID)",
        ),
    ],
)
def test_the_hint_names_the_endpoint_and_the_setting(
    settings: ModelSettings, kind: str, hint: str
) -> None:
    error = with_setting_hint(ModelError(kind, "It failed", retryable=False), settings)
    assert str(error) == f"It failed ({hint})"
    assert error.kind == kind and not error.retryable


def test_other_failures_are_left_as_they_are() -> None:
    error = ModelError("overloaded", "The model is overloaded")
    assert with_setting_hint(error, ModelSettings(api_key="k")) is error
    assert endpoint(ModelSettings(provider="bedrock")) == "Amazon Bedrock in the default AWS region"
