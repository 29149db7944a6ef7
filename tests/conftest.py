"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from slowcode.model.settings import ModelSettings
from tests.fakeapi import FakeMessagesAPI, fake_settings


@pytest.fixture
def fake_api() -> Iterator[FakeMessagesAPI]:
    """A started fake Messages API server on 127.0.0.1, stopped after the test."""
    server = FakeMessagesAPI()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def model_settings(fake_api: FakeMessagesAPI) -> ModelSettings:
    """Model settings pointing at `fake_api`, with tiny backoffs and timeouts."""
    return fake_settings(fake_api)


@pytest.fixture(autouse=True)
def _private_user_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keeps the repository map's tag cache (platformdirs' user cache) out of the real home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    # The trusted check commands live in the user data folder: one of the test's own.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
