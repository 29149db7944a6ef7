"""A small app showing the History screen on journals written with fixed times and ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from slowcode.journal.log import JOURNAL_FILE, SESSIONS_DIR, canonical_json, event_hash
from slowcode.tui.screens.history import HistoryScreen

# Each request's cost at list prices (USD per million tokens), as the snapshot shows:
#   Sonnet 5.5: 1,200 × 2 + 300 × 10 + 800 × 0.10 = 5,480; three requests → $0.0164
#   Opus 4.5:   1,200 × 5 + 300 × 25 + 800 × 0.50 = 13,900; one request → $0.0139
USAGE = {
    "input_tokens": 1200,
    "output_tokens": 300,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 800,
}


def write_journal(
    root: Path, session_id: str, events: list[tuple[str, str, dict[str, Any]]]
) -> None:
    """Writes `(timestamp, type, data)` events as a hash-chained journal."""
    folder = root / SESSIONS_DIR / session_id
    folder.mkdir(parents=True)
    lines, previous = [], None
    for seq, (ts, kind, data) in enumerate(events, start=1):
        event = {"seq": seq, "ts": ts, "type": kind, "data": data, "prev": previous}
        lines.append(canonical_json(event))
        previous = event_hash(event)
    (folder / JOURNAL_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def hunks(*verdicts: str) -> list[dict[str, Any]]:
    return [{"file": "app.py", "index": n, "verdict": v} for n, v in enumerate(verdicts)]


def history_repo(root: Path) -> Path:
    """Two sessions: a finished two-step one (its second step undone), an unfinished one."""
    plan = {
        "goal": "g",
        "steps": [
            {"title": "Greet politely", "why": "w"},
            {"title": "Add a farewell module", "why": "w"},
        ],
    }
    write_journal(
        root,
        "20261121-100000-aaaaaa",
        [
            (
                "2026-11-21T10:00:00.000Z",
                "session_started",
                {"task": "Make greetings nicer", "model": "claude-sonnet-5-5"},
            ),
            (
                "2026-11-21T10:00:05.000Z",
                "model_response",
                {"usage": USAGE, "model": "claude-sonnet-5-5"},
            ),
            ("2026-11-21T10:00:20.000Z", "plan_approved", {"plan": plan}),
            (
                "2026-11-21T10:00:40.000Z",
                "model_response",
                {"usage": USAGE, "model": "claude-sonnet-5-5"},
            ),
            (
                "2026-11-21T10:01:00.000Z",
                "step_verdict",
                {"step": 1, "action": "send_back", "hunks": hunks("accepted", "rejected")},
            ),
            (
                "2026-11-21T10:02:00.000Z",
                "step_verdict",
                {"step": 1, "action": "apply", "hunks": hunks("accepted", "edited", "rejected")},
            ),
            ("2026-11-21T10:02:01.000Z", "commit_made", {"step": 1, "commit": "1" * 40}),
            (
                "2026-11-21T10:02:30.000Z",
                "model_response",
                {"usage": USAGE, "model": "claude-sonnet-5-5"},
            ),
            (
                "2026-11-21T10:03:00.000Z",
                "step_verdict",
                {"step": 2, "action": "apply", "hunks": hunks("accepted")},
            ),
            ("2026-11-21T10:03:01.000Z", "commit_made", {"step": 2, "commit": "2" * 40}),
            ("2026-11-21T10:03:05.000Z", "session_finished", {"summary": "done"}),
            (
                "2026-11-21T11:00:00.000Z",
                "undo_made",
                {"commit": "2" * 40, "undo_commit": "3" * 40},
            ),
        ],
    )
    write_journal(
        root,
        "20261122-090000-bbbbbb",
        [
            (
                "2026-11-22T09:00:00.000Z",
                "session_started",
                {"task": "Add a CLI flag", "model": "claude-opus-4-5"},
            ),
            (
                "2026-11-22T09:00:09.000Z",
                "model_response",
                {"usage": USAGE, "model": "claude-opus-4-5"},
            ),
            (
                "2026-11-22T09:00:30.000Z",
                "plan_approved",
                {"plan": {"goal": "g", "steps": [{"title": "Parse --verbose", "why": "w"}]}},
            ),
        ],
    )
    return root


class HistoryApp(App[None]):
    """Opens the History screen on `root`."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self._root = root

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.push_screen(HistoryScreen(self._root))
