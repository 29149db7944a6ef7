"""A session's traces and metrics, exported with OpenTelemetry when the developer opts in.

`settings.telemetry_settings` decides, without importing OpenTelemetry, whether a
session exports; `exporter.SessionTelemetry` imports it and listens to the session's
journal (`Journal.listen`), turning its events into spans (`spans`) and metrics
(`metrics`) named as the GenAI semantic conventions name them (`names`).
"""
