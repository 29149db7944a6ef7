"""Staged edits: the in-memory tree, the editor tool, the step's diff and its guards."""
