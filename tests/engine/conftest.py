"""Fixtures shared by the engine tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engine.hostile import RawJsonAPI
from tests.helpers.sessions import session_repo


@pytest.fixture
def server() -> Iterator[RawJsonAPI]:
    """A started fake Messages API that can also stream invalid tool JSON."""
    api = RawJsonAPI()
    api.start()
    try:
        yield api
    finally:
        api.stop()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The small app of the scripted sessions, with a README, ready to commit."""
    return session_repo(tmp_path)
