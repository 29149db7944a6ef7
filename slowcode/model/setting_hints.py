"""What to check when the model cannot be reached or refuses the credentials.

A failure's one line says what went wrong; for a connection, a timeout, a
refused credential or an unknown model it also names where slowcode was
talking to and the setting that changes it, so the developer knows what to fix
without reading the documentation first.
"""

from __future__ import annotations

from slowcode.model.settings import ModelSettings
from slowcode.model.types import ModelError

_ANTHROPIC_URL = "https://api.anthropic.com"

_WHERE_KINDS = frozenset({"connection", "timeout"})
_CREDENTIAL_KINDS = frozenset({"auth"})


def endpoint(settings: ModelSettings) -> str:
    """Where the requests go, in words: a URL, or a cloud provider and its region."""
    if settings.provider == "bedrock":
        return f"Amazon Bedrock in {settings.region or 'the default AWS region'}"
    if settings.provider == "vertex":
        project = f", project {settings.project}" if settings.project else ""
        return f"Vertex AI in {settings.region or 'the default region'}{project}"
    return settings.base_url or _ANTHROPIC_URL


def _where_setting(settings: ModelSettings) -> str:
    if settings.provider == "bedrock":
        return "set region (or AWS_REGION) to change it"
    if settings.provider == "vertex":
        return "set region and project (or CLOUD_ML_REGION, ANTHROPIC_VERTEX_PROJECT_ID)"
    return "set ANTHROPIC_BASE_URL (or base_url in the configuration) to change it"


def _credential_setting(settings: ModelSettings) -> str:
    if settings.provider == "bedrock":
        return "check the AWS credentials (AWS_PROFILE, or aws_profile in the configuration)"
    if settings.provider == "vertex":
        return "check the Google credentials (gcloud auth application-default login)"
    if settings.auth_token:
        return "check ANTHROPIC_AUTH_TOKEN"
    return "check ANTHROPIC_API_KEY"


def with_setting_hint(error: ModelError, settings: ModelSettings) -> ModelError:
    """`error` with where it happened and what to change, for the kinds that need one."""
    if error.kind in _WHERE_KINDS:
        hint = f"{endpoint(settings)}; {_where_setting(settings)}"
    elif error.kind in _CREDENTIAL_KINDS:
        hint = f"{endpoint(settings)}; {_credential_setting(settings)}"
    else:
        return error
    if hint in str(error):
        return error
    return ModelError(error.kind, f"{error} ({hint})", retryable=error.retryable)
