"""Fixtures of the telemetry tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.telemetry.receiver import OtlpReceiver


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    """A started loopback OTLP/HTTP collector, stopped after the test."""
    collector = OtlpReceiver().start()
    try:
        yield collector
    finally:
        collector.stop()
