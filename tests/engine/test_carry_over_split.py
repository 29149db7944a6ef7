"""A hunk split in one review round comes back split, with each piece's verdict."""

from __future__ import annotations

from slowcode.core.step_review import Verdict
from slowcode.engine.apply.writes import compose
from slowcode.engine.review.hunk_ops import (
    carry_over,
    edit_in_review,
    editable_text,
    from_editor,
    split_in_review,
)
from tests.helpers.diffs import lines_of, review_of

# Lines 3 and 6 change, lines 4-5 between them do not: one hunk of two runs.
OLD = lines_of(*range(1, 10))
NEW = lines_of(1, 2, "three", 4, 5, "six", 7, 8, 9)


def test_split_then_edited_pieces_keep_their_verdicts_when_the_hunk_comes_back() -> None:
    previous = review_of(OLD, NEW)
    split_in_review(previous, 0)
    first = previous.hunks[0]
    edit_in_review(previous, 0, from_editor(first, editable_text(first).replace("three", "3!")))
    previous.set_verdict(1, Verdict.REJECTED, "keep six as a digit")

    current = review_of(OLD, NEW)  # the revision proposes the same change, unsplit
    assert len(current.hunks) == 1
    assert carry_over(previous, current) == 2
    edited, rejected = current.hunks
    assert [hunk.index for hunk in current.hunks] == [0, 1]
    assert (edited.verdict, edited.carried_over) == (Verdict.EDITED, True)
    assert (rejected.verdict, rejected.comment) == (Verdict.REJECTED, "keep six as a digit")
    assert compose(current.files[0]) == lines_of(1, 2, "3!", 4, 5, 6, 7, 8, 9)


def test_a_revised_piece_stays_undecided_beside_the_one_that_matches() -> None:
    previous = review_of(OLD, NEW)
    split_in_review(previous, 0)
    previous.set_verdict(0, Verdict.ACCEPTED)
    previous.set_verdict(1, Verdict.REJECTED)

    revised = NEW.replace("line six\n", "line 6 (six)\n")
    current = review_of(OLD, revised)
    assert carry_over(previous, current) == 1
    kept, changed = current.hunks
    assert (kept.verdict, kept.carried_over) == (Verdict.ACCEPTED, True)
    assert (changed.verdict, changed.carried_over) == (Verdict.UNDECIDED, False)


def test_a_hunk_never_split_is_left_whole() -> None:
    previous = review_of(OLD, NEW)
    previous.set_verdict(0, Verdict.ACCEPTED)
    other = review_of(OLD, NEW.replace("line three\n", "line 3 (three)\n"))
    assert carry_over(previous, other) == 0
    assert len(other.hunks) == 1
