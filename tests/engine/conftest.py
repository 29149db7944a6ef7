"""Fixtures shared by the engine tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.context.repos import make_repo, with_identity
from tests.engine.hostile import RawJsonAPI
from tests.helpers.sessions import APP


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
    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    return root
