"""Where slowcode keeps its own files inside a repository."""

from __future__ import annotations

from pathlib import Path

STATE_DIR = Path(".slowcode")
"""slowcode's local state: sessions, caches, locks. Listed in `.git/info/exclude`."""

SESSIONS_DIR = STATE_DIR / "sessions"
"""One folder per session, each holding its `journal.jsonl`."""
