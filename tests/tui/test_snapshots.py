"""SVG snapshots of the review screen (fixed size, pinned theme)."""

from __future__ import annotations

from typing import Any

from slowcode.core.step_review import Verdict
from slowcode.engine.review.hunk_ops import edit_in_review, editable_text, from_editor

from .samples import large_review, three_hunk_review
from .snapshot_apps.review_app import ReviewApp

SIZE = (120, 40)


def test_review_screen_unified_diff(snap_compare: Any) -> None:
    # One hunk accepted, the second current: markers, bar and progress all show.
    assert snap_compare(ReviewApp(three_hunk_review()), press=["y"], terminal_size=SIZE)


def test_review_screen_side_by_side(snap_compare: Any) -> None:
    assert snap_compare(ReviewApp(three_hunk_review()), press=["y", "v"], terminal_size=SIZE)


def test_review_screen_architectural_step_with_decision_draft(snap_compare: Any) -> None:
    app = ReviewApp(three_hunk_review(architectural=True, with_decision=True))
    assert snap_compare(app, press=["a", "enter"], terminal_size=SIZE)


def test_review_screen_edited_hunk(snap_compare: Any) -> None:
    review = three_hunk_review()
    hunk = review.hunks[1]
    text = editable_text(hunk).replace("# retried on 429/5xx", "# retried, see retry.py")
    edit_in_review(review, 1, from_editor(hunk, text))
    review.hunks[1].comment = "kept the comment short"
    assert snap_compare(ReviewApp(review), press=["k"], terminal_size=SIZE)


def test_review_screen_carried_over_verdict(snap_compare: Any) -> None:
    review = three_hunk_review()
    review.hunks[0].verdict = Verdict.ACCEPTED
    review.hunks[0].carried_over = True
    review.hunks[2].verdict = Verdict.REJECTED
    review.hunks[2].comment = "use tenacity"
    review.hunks[2].carried_over = True
    review.hunks[1].why = (
        "fetch is the only call that reaches the network, so wrapping it retries every "
        "request without touching the callers."
    )
    assert snap_compare(ReviewApp(review), terminal_size=SIZE)


def test_review_screen_too_small_for_the_diff(snap_compare: Any) -> None:
    # 60x9: no row of the diff fits, and the notice says how tall the terminal must be.
    assert snap_compare(ReviewApp(three_hunk_review()), terminal_size=(60, 9))


def test_review_screen_tall_hunk_says_how_much_is_below(snap_compare: Any) -> None:
    # 80x24: a 60-line hunk, its end below the fold ("↓ N more lines").
    assert snap_compare(ReviewApp(large_review(60)), terminal_size=(80, 24))


def test_review_screen_send_back_dialog_has_its_own_keys(snap_compare: Any) -> None:
    # 80x24: the feedback dialog's bar covers the review's, so only its keys show.
    assert snap_compare(ReviewApp(three_hunk_review()), press=["r"], terminal_size=(80, 24))
