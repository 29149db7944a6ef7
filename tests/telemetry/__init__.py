"""The OpenTelemetry export: settings, spans, metrics, and what is never exported."""
