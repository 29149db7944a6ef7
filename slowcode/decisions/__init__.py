"""Architectural decision records: the model of a record and its on-disk formats."""
