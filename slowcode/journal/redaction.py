"""Masking credentials in what the journal writes.

Values under keys that name a credential (`api_key`, `authorization`, …) are
replaced whole; API keys and bearer tokens inside other strings are masked in
place. Content that is committed byte for byte (staged files, reviewed hunks)
is never passed through here: events mark those fields `VERBATIM`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

REDACTED = "[redacted]"

_SECRET_KEY_PARTS = ("api_key", "apikey", "auth_token", "access_token", "authorization")
_SECRET_VALUE = re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}|(?<=Bearer )[A-Za-z0-9._~+/\-]{8,}=*")
_SIGNED_BLOCKS = frozenset({"thinking", "redacted_thinking"})


def redact(data: Any) -> Any:
    """A copy of `data` with secret-looking values replaced by `"[redacted]"`.

    Values under keys such as `api_key`, `authorization`, `x-api-key` or `auth_token`
    (any case, `-` or `_`) are replaced whole; API keys and bearer tokens inside other
    strings are masked in place. Thinking blocks are kept whole: the API checks
    their signatures when they come back.
    """
    if isinstance(data, dict):
        if data.get("type") in _SIGNED_BLOCKS:
            # Signed by the API and sent back byte for byte: a changed character
            # would make every later request of the session fail.
            return data
        return {
            key: REDACTED if _is_secret_key(key) else redact(value) for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [redact(item) for item in data]
    if isinstance(data, str):
        return _SECRET_VALUE.sub(REDACTED, data)
    return data


def redact_except(data: dict[str, Any], keep: Collection[str]) -> dict[str, Any]:
    """`redact(data)`, except that the values under the keys in `keep` are kept as they are."""
    redacted = redact({key: value for key, value in data.items() if key not in keep})
    return {key: data[key] if key in keep else redacted[key] for key in data}


def _is_secret_key(key: object) -> bool:
    if not isinstance(key, str):
        return False
    normalized = key.lower().replace("-", "_")
    return any(part in normalized for part in _SECRET_KEY_PARTS)
