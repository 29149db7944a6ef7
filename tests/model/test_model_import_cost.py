"""Constructing the model client must not import the SDK (it costs about a second)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import slowcode.model.client
import slowcode.model.loopback
from slowcode.model.client import ModelClient
from slowcode.model.settings import ModelSettings
client = ModelClient(ModelSettings(api_key="k"))
loaded = sorted(name for name in sys.modules if name.split(".")[0] in {"anthropic", "httpx2"})
print(",".join(loaded) or "none")
"""


def test_importing_and_constructing_the_client_does_not_import_anthropic() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=30
    )

    assert result.stdout.strip() == "none"
