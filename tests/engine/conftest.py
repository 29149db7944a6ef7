"""Fixtures shared by the engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.engine.hostile import RawJsonAPI


@pytest.fixture
def server() -> Iterator[RawJsonAPI]:
    """A started fake Messages API that can also stream invalid tool JSON."""
    api = RawJsonAPI()
    api.start()
    try:
        yield api
    finally:
        api.stop()
