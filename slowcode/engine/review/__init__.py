"""Reviewing a step: verdict state across revisions, hunk edits and splits, asking why."""
