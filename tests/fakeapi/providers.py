"""What Bedrock and Vertex AI look like on the wire, for the fake Messages API.

Each cloud reaches the same Messages API under its own URL scheme and credentials:

- Bedrock: `POST /model/{model}/invoke-with-response-stream` (or `/invoke`), the
  model in the path instead of the body, `anthropic_version` in the body, a SigV4
  `Authorization` header (or a Bedrock API key as a bearer token), and the answer
  as an AWS event stream.
- Vertex AI: `POST /v1/projects/{project}/locations/{region}/publishers/anthropic/
  models/{model}:streamRawPredict` (or `:rawPredict`), `anthropic_version` in the
  body, an OAuth access token as a bearer token, and the answer as SSE.

`translate` turns such a request back into a first-party one, so the fake's script,
rules and recorded requests stay the same whichever provider the client speaks.
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from dataclasses import dataclass

from slowcode.model.loopback import MESSAGES_PATH, ReceivedRequest

BEDROCK_PATH = re.compile(
    r"^/model/(?P<model>[^/]+)/(?P<action>invoke|invoke-with-response-stream)$"
)
VERTEX_PATH = re.compile(
    r"^/v1/projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)/publishers/anthropic/"
    r"models/(?P<model>[^/:]+):(?P<action>rawPredict|streamRawPredict)$"
)
SIGV4 = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, SignedHeaders=(?P<signed>[^,]+), Signature=[0-9a-f]{64}$"
)
VERTEX_TOKEN_PATH = "/token"
"""Where the fake hands out OAuth access tokens (a credentials file's `token_uri`)."""


@dataclass(frozen=True)
class ProviderRequest:
    """A provider's request, read back as a first-party one.

    Attributes:
        request: The request with `path` `/v1/messages` and `model`/`stream` in the body.
        problem: Why the request is not what the provider accepts, or None.
        where: The provider's own routing details (model, region, project, key id).
    """

    request: ReceivedRequest
    problem: str | None
    where: dict[str, str]


def translate(provider: str, request: ReceivedRequest) -> ProviderRequest:
    """`request` as the first-party request it stands for, with what is wrong with it."""
    if provider == "bedrock":
        return _bedrock(request)
    if provider == "vertex":
        return _vertex(request)
    return ProviderRequest(request, None, {})


def _first_party(request: ReceivedRequest, model: str, stream: bool) -> ReceivedRequest:
    body = dict(request.body)
    body.pop("anthropic_version", None)
    body["model"] = model
    if stream:
        body["stream"] = True
    return dataclasses.replace(request, path=MESSAGES_PATH, body=body)


def _bedrock(request: ReceivedRequest) -> ProviderRequest:
    found = BEDROCK_PATH.match(request.path)
    if found is None:
        return ProviderRequest(request, f"no Bedrock route for {request.path}", {})
    model = urllib.parse.unquote(found["model"])
    stream = found["action"] == "invoke-with-response-stream"
    where = {"model": model}
    problem = None
    if "model" in request.body or "stream" in request.body:
        problem = "Bedrock takes the model and streaming from the path, not the body"
    elif not request.body.get("anthropic_version"):
        problem = "anthropic_version is required"
    authorization = request.headers.get("authorization", "")
    signed = SIGV4.match(authorization)
    if signed is not None:
        where.update(key=signed["key"], region=signed["region"], service=signed["service"])
        if signed["service"] != "bedrock":
            problem = f"signed for {signed['service']}, not bedrock"
        elif "x-amz-date" not in request.headers:
            problem = "the SigV4 signature has no x-amz-date"
    elif authorization.lower().startswith("bearer "):
        where["key"] = "bearer"
    else:
        problem = problem or "no SigV4 signature or Bedrock API key"
    return ProviderRequest(_first_party(request, model, stream), problem, where)


def _vertex(request: ReceivedRequest) -> ProviderRequest:
    found = VERTEX_PATH.match(request.path)
    if found is None:
        return ProviderRequest(request, f"no Vertex AI route for {request.path}", {})
    model = urllib.parse.unquote(found["model"])
    stream = found["action"] == "streamRawPredict"
    where = {"model": model, "project": found["project"], "region": found["region"]}
    problem = None
    if "model" in request.body:
        problem = "Vertex AI takes the model from the path, not the body"
    elif stream != (request.body.get("stream") is True):
        problem = "streamRawPredict needs stream: true in the body (rawPredict: not)"
    elif not request.body.get("anthropic_version"):
        problem = "anthropic_version is required"
    elif not request.headers.get("authorization", "").lower().startswith("bearer "):
        problem = "no OAuth access token"
    return ProviderRequest(_first_party(request, model, stream), problem, where)
