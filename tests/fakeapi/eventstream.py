"""AWS event-stream framing, written from its published format, for the Bedrock fake.

A message is a 12-byte prelude (total length, headers length, CRC32 of those eight
bytes, all big-endian), the headers (name length, name, value type 7 = string,
value length, value), the payload, and a CRC32 of everything before it. Bedrock's
`invoke-with-response-stream` sends each Messages API event as a `chunk` event whose
JSON payload carries the event's JSON, base64-encoded, in `bytes`; the SDK decodes it
with botocore's own `EventStreamBuffer`.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from typing import Any

CONTENT_TYPE = "application/vnd.amazon.eventstream"
_STRING = 7

EXCEPTION_TYPES = {
    "overloaded_error": "serviceUnavailableException",
    "api_error": "internalServerException",
    "rate_limit_error": "throttlingException",
    "invalid_request_error": "validationException",
}
"""The Bedrock exception a first-party error type arrives as, mid-stream."""


def _header(name: str, value: str) -> bytes:
    encoded_name = name.encode()
    encoded_value = value.encode()
    return (
        struct.pack(">B", len(encoded_name))
        + encoded_name
        + struct.pack(">BH", _STRING, len(encoded_value))
        + encoded_value
    )


def frame(headers: dict[str, str], payload: bytes) -> bytes:
    """One event-stream message with string headers."""
    encoded_headers = b"".join(_header(name, value) for name, value in headers.items())
    total = 12 + len(encoded_headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(encoded_headers))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + encoded_headers + payload
    return message + struct.pack(">I", zlib.crc32(message) & 0xFFFFFFFF)


def chunk_frame(data: dict[str, Any]) -> bytes:
    """A Messages API event as Bedrock streams it: a `chunk` carrying base64 JSON."""
    inner = base64.b64encode(json.dumps(data, ensure_ascii=False).encode()).decode()
    payload = json.dumps({"bytes": inner}).encode()
    return frame(
        {
            ":event-type": "chunk",
            ":content-type": "application/json",
            ":message-type": "event",
        },
        payload,
    )


def exception_frame(error_type: str, message: str) -> bytes:
    """A mid-stream failure as Bedrock sends it: an `exception` message."""
    return frame(
        {
            ":exception-type": EXCEPTION_TYPES.get(error_type, "internalServerException"),
            ":content-type": "application/json",
            ":message-type": "exception",
        },
        json.dumps({"message": message}).encode(),
    )
