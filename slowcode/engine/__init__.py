"""The headless engine: workflow, staged edits, diffs, git, journal. Never imports Textual."""
