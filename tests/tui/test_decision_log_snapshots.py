"""SVG snapshots of the Decisions screen (fixed size, pinned theme, fixed git dates)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .snapshot_apps.decision_log_app import DecisionLogApp, decision_log_repo

SIZE = (120, 40)


def test_decisions_screen_shows_the_newest_record(snap_compare: Any, tmp_path: Path) -> None:
    app = DecisionLogApp(decision_log_repo(tmp_path / "repo"))
    assert snap_compare(app, terminal_size=SIZE)


def test_decisions_screen_filtered_to_a_superseded_record(
    snap_compare: Any, tmp_path: Path
) -> None:
    app = DecisionLogApp(decision_log_repo(tmp_path / "repo"))
    assert snap_compare(app, press=["f", "f", "f", "f", "f"], terminal_size=SIZE)
