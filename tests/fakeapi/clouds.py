"""The clouds' standard credential sources, set up to point at a loopback fake.

Bedrock gets AWS keys from the environment (the first link of the AWS credential
chain), with the instance-metadata link switched off so nothing leaves the machine.
Vertex AI gets an application-default credentials file (`GOOGLE_APPLICATION_CREDENTIALS`)
of the `service_account` kind (a freshly made RSA key) whose `token_uri` is the fake's
own token endpoint, so google-auth really signs a JWT and exchanges it for an access
token over HTTP, as it does against Google. (An `authorized_user` file would not do:
google-auth always sends those to Google's own token endpoint.)
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from tests.fakeapi.providers import VERTEX_TOKEN_PATH
from tests.fakeapi.server import FakeMessagesAPI

AWS_ACCESS_KEY = "AKIAFAKEPROVIDER0001"
AWS_SECRET_KEY = "fake-secret/aws-key-never-journaled"
GOOGLE_KEY_ID = "fake-key-id-0001"


@functools.cache
def service_account_key() -> str:
    """A PEM RSA private key, made once per test run."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def secrets() -> tuple[str, ...]:
    """Credential values that must never appear in a journal."""
    body = service_account_key().splitlines()[5]  # a line of the key itself
    return (AWS_SECRET_KEY, body)


def use_cloud_credentials(
    monkeypatch: pytest.MonkeyPatch,
    server: FakeMessagesAPI,
    folder: Path,
    *,
    adc_project: str | None = None,
) -> None:
    """Set the environment's credential sources for `server.provider` (and no others).

    Args:
        monkeypatch: The test's environment patcher.
        server: The fake; its provider decides which credentials are set.
        folder: Where credential files go.
        adc_project: The project a Vertex credentials file names, if any.
    """
    for name in (
        "AWS_PROFILE",
        "AWS_BEARER_TOKEN_BEDROCK",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "ANTHROPIC_BEDROCK_BASE_URL",
        "ANTHROPIC_VERTEX_BASE_URL",
        "ANTHROPIC_VERTEX_PROJECT_ID",
        "CLOUD_ML_REGION",
        "GOOGLE_CLOUD_PROJECT",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "ANTHROPIC_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    # No credential lookup may leave the machine: AWS instance metadata is off, the
    # AWS and gcloud configuration folders are empty, Google's metadata server is
    # loopback.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(folder / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(folder / "aws-credentials"))
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(folder / "gcloud"))
    monkeypatch.setenv("GCE_METADATA_HOST", "127.0.0.1:9")
    monkeypatch.setenv("GCE_METADATA_IP", "127.0.0.1:9")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    if server.provider == "bedrock":
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", AWS_ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AWS_SECRET_KEY)
    elif server.provider == "vertex":
        credentials = folder / "application_default_credentials.json"
        info = {
            "type": "service_account",
            "private_key_id": GOOGLE_KEY_ID,
            "private_key": service_account_key(),
            "client_email": "slowcode-test@fake-project.iam.gserviceaccount.com",
            "client_id": "1234567890",
            "token_uri": server.base_url + VERTEX_TOKEN_PATH,
        }
        if adc_project is not None:
            info["project_id"] = adc_project
        credentials.write_text(json.dumps(info))
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(credentials))
