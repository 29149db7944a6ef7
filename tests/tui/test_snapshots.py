"""SVG snapshots of the review screen (fixed size, pinned theme)."""

from __future__ import annotations

from typing import Any

from .samples import three_hunk_review
from .snapshot_apps.review_app import ReviewApp

SIZE = (120, 40)


def test_review_screen_unified_diff(snap_compare: Any) -> None:
    # One hunk accepted, the second current: markers, bar and progress all show.
    assert snap_compare(ReviewApp(three_hunk_review()), press=["y"], terminal_size=SIZE)


def test_review_screen_architectural_step_with_decision_draft(snap_compare: Any) -> None:
    app = ReviewApp(three_hunk_review(architectural=True, with_decision=True))
    assert snap_compare(app, press=["a", "enter"], terminal_size=SIZE)
