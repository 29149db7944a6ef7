"""Small texts and their reviews, for the tests of hunk operations."""

from __future__ import annotations

from slowcode.core.step_review import StepReview
from slowcode.engine.staging.diffs import diff_texts


def lines_of(*items: object) -> str:
    """`line 1\\nline two\\n…`: one line per item."""
    return "".join(f"line {item}\n" for item in items)


def review_of(old: str | None, new: str, path: str = "f.py") -> StepReview:
    """The review of one step changing `path` from `old` to `new` (None: a new file)."""
    return StepReview(1, "step", "summary", diff_texts({path: (old, new)}))
