"""Fixtures of the operations tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.sessions import session_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The small app of the scripted sessions, with a README, ready to commit."""
    return session_repo(tmp_path)
