"""A session's OpenTelemetry export: the SDK's providers, the OTLP/HTTP exporters, and the
journal listener that feeds them.

Importing this module imports OpenTelemetry; only a session that exports does.
The providers are the session's own, never the process-wide ones, so nothing
else in the process (the anthropic SDK's own call spans among them) exports
through them.
"""

from __future__ import annotations

import logging
import re
import threading
import time

from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanLimits, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from slowcode import __version__
from slowcode.journal.log import Journal, JournalEntry
from slowcode.telemetry.metrics import SessionMetrics
from slowcode.telemetry.names import AGENT_NAME
from slowcode.telemetry.settings import TelemetrySettings
from slowcode.telemetry.spans import SessionSpans

SDK_LOGGER = "opentelemetry"
_MAX_LINE = 200


class SessionTelemetry:
    """Exports one session's spans and metrics; a `JournalListener` (`Journal.listen`).

    Nothing it does stops a session: an export that fails is retried by the SDK in
    its own threads until `timeout_seconds`, then dropped, and its reason becomes
    the one warning `close` returns.

    Args:
        settings: Where to export, and what.
    """

    def __init__(self, settings: TelemetrySettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._warning: str | None = None
        self._closed = False
        resource = Resource.create(
            {"service.name": settings.service_name, "service.version": __version__}
        )
        timeout = settings.timeout_seconds
        self._tracer_provider = TracerProvider(
            resource=resource,
            span_limits=SpanLimits(max_span_attribute_length=settings.max_attribute_length),
            shutdown_on_exit=False,
        )
        self._tracer_provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.traces_endpoint, timeout=timeout))
        )
        reader = PeriodicExportingMetricReader(
            OTLPMetricExporter(endpoint=settings.metrics_endpoint, timeout=timeout),
            export_interval_millis=settings.metric_interval_seconds * 1000,
            export_timeout_millis=timeout * 1000,
        )
        self._meter_provider = MeterProvider(
            resource=resource, metric_readers=[reader], shutdown_on_exit=False
        )
        self._spans = SessionSpans(
            self._tracer_provider.get_tracer(AGENT_NAME, __version__),
            SessionMetrics(self._meter_provider.get_meter(AGENT_NAME, __version__)),
            settings,
        )
        self._sdk_log = _ProblemHandler(self)
        _route_sdk_log(self._sdk_log)

    def __call__(self, journal: Journal, entry: JournalEntry) -> None:
        """Follows one journaled event (see `SessionSpans`)."""
        with self._lock:
            if self._closed:
                return
            try:
                self._spans.follow(journal.session_id, entry.event)
            except Exception as error:  # a fault here must never reach the session
                self._closed = True
                self.warn(f"telemetry stopped: {type(error).__name__}: {error}")

    def warn(self, problem: str) -> None:
        """Keeps the first problem as the one warning line `close` returns."""
        if self._warning is None:
            line = " ".join(problem.split())
            self._warning = line if len(line) <= _MAX_LINE else line[: _MAX_LINE - 1] + "…"

    def close(self) -> str | None:
        """Ends the open spans and exports what is left, within `timeout_seconds` or so.

        Returns:
            One line saying what could not be exported, or None when all went out.
        """
        with self._lock:
            already = self._closed
            self._closed = True
            if not already:
                self._spans.end(finished=False)
        # Each provider flushes in its own thread, both at once: an unreachable
        # collector costs one export timeout, not one per signal.
        stops = [
            threading.Thread(target=provider.shutdown, name=f"slowcode-otel-{kind}", daemon=True)
            for kind, provider in (
                ("traces", self._tracer_provider),
                ("metrics", self._meter_provider),
            )
        ]
        for stop in stops:
            stop.start()
        deadline = time.monotonic() + self.settings.timeout_seconds + 0.5
        for stop in stops:
            stop.join(max(0.0, deadline - time.monotonic()))
        if any(stop.is_alive() for stop in stops):
            self.warn(
                f"telemetry: gave up exporting to {self.settings.traces_endpoint} "
                f"after {self.settings.timeout_seconds:g} s"
            )
        _unroute_sdk_log(self._sdk_log)
        return self._warning


class _ProblemHandler(logging.Handler):
    """Turns the SDK's first logged warning into the session's one telemetry warning."""

    def __init__(self, telemetry: SessionTelemetry) -> None:
        super().__init__(logging.WARNING)
        self._telemetry = telemetry

    def emit(self, record: logging.LogRecord) -> None:
        collector = self._telemetry.settings.traces_endpoint.rsplit("/v1/", 1)[0]
        reason = _reason(record.getMessage())
        self._telemetry.warn(f"telemetry: could not export to {collector}: {reason}")


def _reason(message: str) -> str:
    """The SDK's log line about a failed export, as a few words."""
    lowered = message.lower()
    status = re.search(r"code: (\d{3})", message)
    if "connection refused" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return "unknown host"
    if status is not None:
        return f"HTTP {status[1]}"
    if "timeout" in lowered or "timed out" in lowered:
        return "timed out"
    return message


def _route_sdk_log(handler: logging.Handler) -> None:
    """Sends the SDK's log to `handler` only: on a terminal app's screen it would be noise.

    The SDK logs each failed export; printed to stderr, that would draw over the
    app. A `NullHandler` stays behind so that nothing reaches Python's last-resort
    handler after the session either.
    """
    logger = logging.getLogger(SDK_LOGGER)
    logger.propagate = False
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.addHandler(handler)


def _unroute_sdk_log(handler: logging.Handler) -> None:
    logging.getLogger(SDK_LOGGER).removeHandler(handler)
