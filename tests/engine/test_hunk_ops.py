"""Splitting, editing and carrying over hunks, checked through `compose` on real git diffs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slowcode.core.step_review import FileDiff, LineKind, StepReview, Verdict, new_side_text
from slowcode.engine.apply.writes import compose
from slowcode.engine.human import StepAction, StepVerdict
from slowcode.engine.review.hunk_ops import (
    HunkOpError,
    carry_over,
    edit_in_review,
    editable_text,
    from_editor,
    split_hunk,
    split_in_review,
)
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.diffs import lines_of, review_of
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import app_repo, edit, make_workflow, plan_turn

# Lines 3 and 6 change; lines 4-5 between them are unchanged: one hunk of two runs.
OLD = lines_of(*range(1, 10))
NEW = lines_of(1, 2, "three", 4, 5, "six", 7, 8, 9)


def test_a_hunk_splits_at_its_unchanged_lines() -> None:
    review = review_of(OLD, NEW)
    (hunk,) = review.hunks
    pieces = split_hunk(hunk)
    assert len(pieces) == 2
    first, second = pieces
    assert [line.kind.value + line.text for line in first.lines] == [
        " line 1",
        " line 2",
        "-line 3",
        "+line three",
        " line 4",
        " line 5",
    ]
    assert first.header == "@@ -1,5 +1,5 @@"
    assert second.header == "@@ -4,6 +4,6 @@"
    assert second.lines[0].text == "line 4" and second.lines[2].text == "line 6"


def test_split_in_review_renumbers_and_each_piece_has_its_own_verdict() -> None:
    review = review_of(OLD, NEW)
    assert split_in_review(review, 0) == 2
    assert [hunk.index for hunk in review.hunks] == [0, 1]
    review.set_verdict(0, Verdict.REJECTED)
    review.set_verdict(1, Verdict.ACCEPTED)
    assert compose(review.files[0]) == lines_of(1, 2, 3, 4, 5, "six", 7, 8, 9)
    review.set_verdict(0, Verdict.ACCEPTED)
    review.set_verdict(1, Verdict.REJECTED)
    assert compose(review.files[0]) == lines_of(1, 2, "three", 4, 5, 6, 7, 8, 9)
    assert [row["index"] for row in review.verdicts_json()] == [0, 1]


def test_a_single_run_does_not_split_and_an_edited_hunk_refuses() -> None:
    review = review_of(lines_of(1, 2, 3), lines_of(1, "two", 3))
    assert split_in_review(review, 0) == 1
    edit_in_review(review, 0, "line 1\nline 2b\nline 3\n")
    with pytest.raises(HunkOpError, match="edited hunk cannot be split"):
        split_in_review(review, 0)


def test_split_pieces_at_the_start_and_end_of_a_file() -> None:
    old = "a\nb\nc\n"
    new = "top\na\nb\nc\nbottom\n"
    review = review_of(old, new)
    assert split_in_review(review, 0) == 2
    first, second = review.hunks
    assert (first.header, second.header) == ("@@ -1,3 +1,4 @@", "@@ -1,3 +2,4 @@")
    assert (first.source_length, second.source_length) == (3, 3)
    review.set_verdict(1, Verdict.ACCEPTED)
    review.set_verdict(0, Verdict.REJECTED)
    assert compose(review.files[0]) == "a\nb\nc\nbottom\n"


text_lines = st.lists(st.sampled_from(["a", "b", "c", "d", "e", ""]), min_size=0, max_size=24)


def _oracle(file: FileDiff, run_verdicts: list[bool]) -> str:
    """The expected text: walk the unsplit hunks, taking each run's new side when accepted."""
    old_lines = (file.old_text or "").splitlines(keepends=True)
    out: list[str] = []
    position = 0
    runs = iter(run_verdicts)
    for hunk in file.hunks:
        begin = hunk.source_start if hunk.source_length == 0 else hunk.source_start - 1
        out.extend(old_lines[position:begin])
        taking: bool | None = None
        for line in hunk.lines:
            text = line.text + ("" if line.no_newline else "\n")
            if line.kind is LineKind.CONTEXT:
                taking = None
                out.append(text)
                continue
            if taking is None:
                taking = next(runs)
            if (line.kind is LineKind.ADDED) == taking:
                out.append(text)
        position = begin + hunk.source_length
    out.extend(old_lines[position:])
    return "".join(out)


@settings(max_examples=60, deadline=None)
@given(old=text_lines, new=text_lines, data=st.data())
def test_split_pieces_compose_like_taking_each_run_on_its_own(
    old: list[str], new: list[str], data: st.DataObject
) -> None:
    old_text = "".join(f"{x}\n" for x in old)
    new_text = "".join(f"{x}\n" for x in new)
    if old_text == new_text:
        return
    review = review_of(old_text, new_text)
    unsplit = review_of(old_text, new_text).files[0]
    position = 0
    while position < len(review.hunks):
        position += split_in_review(review, position)
    verdicts = data.draw(st.lists(st.booleans(), min_size=len(review.hunks)))
    for index in range(len(review.hunks)):
        review.set_verdict(index, Verdict.ACCEPTED if verdicts[index] else Verdict.REJECTED)
    expected = _oracle(unsplit, verdicts[: len(review.hunks)])
    composed = compose(review.files[0])
    assert (old_text if composed is None else composed) == expected


def test_an_edited_hunk_is_written_as_edited_and_told_to_the_model() -> None:
    review = review_of(OLD, lines_of(1, 2, "three", 4, 5, 6, 7, 8, 9))
    hunk = review.hunks[0]
    assert editable_text(hunk).endswith("line 6")  # no final newline in the editor
    text = editable_text(hunk).replace("line three", "line THREE\nline 3.5")
    edit_in_review(review, 0, from_editor(hunk, text))
    assert hunk.verdict is Verdict.EDITED
    assert hunk.original_lines is not None and hunk.original_lines != hunk.lines
    assert [line.text for line in hunk.lines if line.kind is LineKind.ADDED] == [
        "line THREE",
        "line 3.5",
    ]
    assert hunk.target_length == hunk.source_length + 1
    assert compose(review.files[0]) == lines_of(1, 2, "THREE", 3.5, 4, 5, 6, 7, 8, 9)
    (row,) = review.verdicts_json()
    assert row["verdict"] == "edited"
    assert "line THREE\nline 3.5\n" in row["comment"]
    json.dumps(row)


def test_editing_moves_the_new_line_numbers_of_later_hunks() -> None:
    old = lines_of(*range(1, 30))
    new = old.replace("line 2\n", "line two\n").replace("line 25\n", "line 25b\n")
    review = review_of(old, new)
    first, second = review.hunks
    before = second.target_start
    edit_in_review(review, 0, from_editor(first, editable_text(first) + "\nextra"))
    assert second.target_start == before + 1
    assert second.lines[0].new_number == before + 1


def test_editing_down_to_nothing_and_keeping_a_missing_final_newline() -> None:
    review = review_of("a\nb", "a\nB")
    hunk = review.hunks[0]
    assert editable_text(hunk) == "a\nB"
    edit_in_review(review, 0, from_editor(hunk, "a\nbee"))
    assert compose(review.files[0]) == "a\nbee"
    edit_in_review(review, 0, from_editor(hunk, ""))
    assert compose(review.files[0]) == ""
    assert "edited this hunk down to nothing" in review.verdicts_json()[0]["comment"]
    with pytest.raises(HunkOpError, match="NUL"):
        edit_in_review(review, 0, "x\x00")


def test_unchanged_hunks_keep_their_verdicts_across_a_revision() -> None:
    old = lines_of(*range(1, 40))
    first_round = old.replace("line 2\n", "line two\n").replace("line 20\n", "line twenty\n")
    first_round = first_round.replace("line 35\n", "line 35!\n")
    previous = review_of(old, first_round)
    previous.set_verdict(0, Verdict.ACCEPTED)
    previous.set_verdict(1, Verdict.REJECTED, "keep the digits")
    third = previous.hunks[2]
    edit_in_review(previous, 2, from_editor(third, editable_text(third).replace("35!", "35?")))

    # The revision keeps hunk 1 and 3 as they were proposed and changes hunk 2.
    second_round = first_round.replace("line twenty\n", "line 20 # twenty\n")
    current = review_of(old, second_round)
    assert carry_over(previous, current) == 2
    kept, changed, edited = current.hunks
    assert (kept.verdict, kept.carried_over) == (Verdict.ACCEPTED, True)
    assert (changed.verdict, changed.carried_over) == (Verdict.UNDECIDED, False)
    assert (edited.verdict, edited.carried_over) == (Verdict.EDITED, True)
    current.set_verdict(1, Verdict.ACCEPTED)
    assert compose(current.files[0]) == old.replace("line 2\n", "line two\n").replace(
        "line 20\n", "line 20 # twenty\n"
    ).replace("line 35\n", "line 35?\n")
    # A decision made now is the developer's own: the marker goes.
    current.set_verdict(0, Verdict.REJECTED)
    assert not current.hunks[0].carried_over


def test_carry_over_matches_by_file_and_content_not_line_numbers() -> None:
    old = lines_of(*range(1, 10))
    new = old.replace("line 5\n", "line five\n")
    previous = review_of(old, new, path="a.py")
    previous.set_verdict(0, Verdict.ACCEPTED)
    elsewhere = review_of(old, new, path="b.py")
    assert carry_over(previous, elsewhere) == 0
    # One more context line differs: not the same hunk.
    near = review_of(
        old.replace("line 2\n", "line 2b\n"), new.replace("line 2\n", "line 2b\n"), "a.py"
    )
    assert carry_over(previous, near) == 0
    # Lines added far above move the numbers, not the hunk.
    prefix = lines_of(*range(-20, 1))
    moved = review_of(prefix + old, prefix + new, path="a.py")
    assert moved.hunks[0].source_start != previous.hunks[0].source_start
    assert carry_over(previous, moved) == 1
    assert moved.hunks[0].verdict is Verdict.ACCEPTED


# -- through the workflow ------------------------------------------------------------------


async def test_a_revised_step_opens_with_the_unchanged_hunks_already_decided(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    fake_api.script(
        plan_turn("Greet politely"),
        reply(
            edit("'hello '", "'Hello, '"),
            edit("name.upper()", "name.upper() + '!'"),
            tool_use_block("finish_step", {"summary": "Polite."}),
        ),
        # The revision: the first hunk as before, the second one changed.
        reply(
            edit("name.upper() + '!'", "name.upper() + '!!'"),
            tool_use_block("finish_step", {"summary": "Polite, louder."}),
        ),
        reply("Done.", stop_reason="end_turn"),
    )
    opened: list[list[tuple[Verdict, bool]]] = []

    class Revising(ScriptedHuman):
        async def review_step(self, review: StepReview) -> StepVerdict:
            opened.append([(h.verdict, h.carried_over) for h in review.hunks])
            if len(opened) == 1:
                review.set_verdict(0, Verdict.ACCEPTED)
                review.set_verdict(1, Verdict.REJECTED, "louder")
                return StepVerdict(StepAction.SEND_BACK, feedback="two bangs")
            review.set_verdict(1, Verdict.ACCEPTED)
            return StepVerdict(StepAction.APPLY)

    workflow = make_workflow(repo, fake_api, Revising(), [])
    await workflow.run("polite")

    assert opened == [
        [(Verdict.UNDECIDED, False), (Verdict.UNDECIDED, False)],
        [(Verdict.ACCEPTED, True), (Verdict.UNDECIDED, False)],
    ]
    text = (repo / "app.py").read_text()
    assert "'Hello, '" in text and "name.upper() + '!!'" in text
    sent_back = json.loads(
        fake_api.message_requests[2].body["messages"][-1]["content"][-1]["content"]
    )
    assert sent_back["hunks"][1] == {
        "file": "app.py",
        "index": 1,
        "verdict": "rejected",
        "comment": "louder",
    }
    journal = workflow.journal
    assert journal is not None
    carried = [e["data"] for e in journal.events() if e["type"] == "verdicts_carried_over"]
    assert carried == [{"step": 1, "hunks": 1}]


# -- exact edits -----------------------------------------------------------------------

edit_alphabet = st.sampled_from(["a", "b", "c", "", "  x = 1", "# note"])
line_edit = st.one_of(
    st.tuples(st.just("append"), st.integers(0, 50), st.sampled_from([" # c", "!", ""])),
    st.tuples(st.just("replace"), st.integers(0, 50), edit_alphabet),
    st.tuples(st.just("insert"), st.integers(0, 50), edit_alphabet),
    st.tuples(st.just("delete"), st.integers(0, 50), st.just("")),
)


def _edit_lines(lines: list[str], edits: list[tuple[str, int, str]]) -> list[str]:
    """The editor's lines after the developer's keystrokes, each edit at a line index."""
    lines = list(lines)
    for kind, at, text in edits:
        if kind == "insert":
            lines.insert(at % (len(lines) + 1), text)
        elif not lines:
            continue
        elif kind == "append":
            lines[at % len(lines)] += text
        elif kind == "replace":
            lines[at % len(lines)] = text
        else:
            del lines[at % len(lines)]
    return lines


@settings(max_examples=150, deadline=None)
@given(
    old=st.lists(edit_alphabet, max_size=30),
    new=st.lists(edit_alphabet, max_size=30),
    final_newline=st.booleans(),
    data=st.data(),
)
def test_an_edited_hunk_writes_exactly_what_the_developer_typed(
    old: list[str], new: list[str], final_newline: bool, data: st.DataObject
) -> None:
    end = "\n" if final_newline else ""
    old_text = "\n".join(old) + end if old else ""
    new_text = "\n".join(new) + end if new else ""
    if old_text == new_text:
        return
    review = review_of(old_text, new_text)
    file = review.files[0]
    # The oracle works on the unedited hunks' places: old lines [begin, begin + length).
    places = [
        (
            hunk.source_start if hunk.source_length == 0 else hunk.source_start - 1,
            hunk.source_length,
        )
        for hunk in file.hunks
    ]
    old_sides = [
        "".join(
            line.text + ("" if line.no_newline else "\n")
            for line in hunk.lines
            if line.kind is not LineKind.ADDED
        )
        for hunk in file.hunks
    ]
    expected_sides: list[str] = []
    for position, hunk in enumerate(review.hunks):
        choice = data.draw(st.sampled_from(["edit", "accept", "reject"]))
        if choice == "edit":
            typed = _edit_lines(
                editable_text(hunk).split("\n"), data.draw(st.lists(line_edit, max_size=4))
            )
            if typed == [""]:
                typed = []  # an empty editor: every line removed
            text = "\n".join(typed)
            if text == editable_text(hunk):
                hunk.verdict = Verdict.ACCEPTED  # "No change": the screen leaves the hunk alone
                expected_sides.append(new_side_text(hunk))
                continue
            no_newline_at_end = bool(hunk.lines) and any(
                line.no_newline for line in hunk.lines if line.kind is not LineKind.REMOVED
            )
            expected_sides.append(
                "".join(
                    line + ("" if no_newline_at_end and index == len(typed) - 1 else "\n")
                    for index, line in enumerate(typed)
                )
            )
            edit_in_review(review, position, from_editor(hunk, text))
        elif choice == "accept":
            review.set_verdict(position, Verdict.ACCEPTED)
            expected_sides.append(new_side_text(hunk))
        else:
            review.set_verdict(position, Verdict.REJECTED)
            expected_sides.append(old_sides[position])
    old_lines = old_text.split("\n")
    old_lines = [line + "\n" for line in old_lines[:-1]] + (
        [old_lines[-1]] if old_lines[-1] else []
    )
    expected: list[str] = []
    at = 0
    for (begin, length), side in zip(places, expected_sides, strict=True):
        expected.extend(old_lines[at:begin])
        expected.append(side)
        at = begin + length
    expected.extend(old_lines[at:])
    composed = compose(file)
    assert (old_text if composed is None else composed) == "".join(expected)


def test_an_edit_keeps_a_blank_last_context_line() -> None:
    old = "def f():\n    return 1\n    pass\nx = 2\n\ny = 3\nz = 4\n"
    new = old.replace("return 1", "return 2")
    review = review_of(old, new)
    (hunk,) = review.hunks
    assert hunk.lines[-1].kind is LineKind.CONTEXT and hunk.lines[-1].text == ""
    text = editable_text(hunk).replace("x = 2", "x = 2  # two")
    edit_in_review(review, 0, from_editor(hunk, text))
    assert hunk.changed_lines == 4  # return and x: one removed and one added each
    assert hunk.target_length == hunk.source_length
    assert compose(review.files[0]) == new.replace("x = 2", "x = 2  # two")


def test_editing_a_split_piece_keeps_or_takes_over_the_shared_lines() -> None:
    review = review_of(OLD, NEW)  # two runs; lines 4-5 shared by both pieces
    split_in_review(review, 0)
    first, second = review.hunks
    # Changing a shared line in the lower piece: the upper gives it up, the edit is written.
    text = editable_text(second).replace("line 4", "line four")
    edit_in_review(review, 1, from_editor(second, text))
    review.set_verdict(0, Verdict.REJECTED)
    assert compose(review.files[0]) == lines_of(1, 2, 3, "four", 5, "six", 7, 8, 9)
    review.set_verdict(0, Verdict.ACCEPTED)
    assert compose(review.files[0]) == lines_of(1, 2, "three", "four", 5, "six", 7, 8, 9)
    assert first.lines[-1].text == "line three"


def test_an_edit_cannot_change_lines_the_edited_hunk_above_changed() -> None:
    review = review_of(OLD, NEW)
    split_in_review(review, 0)
    first, second = review.hunks
    edit_in_review(review, 0, from_editor(first, editable_text(first).replace("line 5", "five")))
    with pytest.raises(HunkOpError, match="shared with the hunk above"):
        edit_in_review(review, 1, from_editor(second, editable_text(second).replace("line 5", "5")))
    edit_in_review(review, 1, from_editor(second, editable_text(second).replace("six", "SIX")))
    assert compose(review.files[0]) == lines_of(1, 2, "three", 4) + "five\n" + lines_of(
        "SIX", 7, 8, 9
    )


def test_windows_line_endings_survive_an_edit_and_lone_carriage_returns_refuse() -> None:
    old = "a\r\nb\r\nc\r\n"
    review = review_of(old, "a\r\nB\r\nc\r\n")
    hunk = review.hunks[0]
    assert editable_text(hunk) == "a\nB\nc"
    edit_in_review(review, 0, from_editor(hunk, "a\nB2\n\nc"))
    assert compose(review.files[0]) == "a\r\nB2\r\n\r\nc\r\n"
    lone = review_of("a\nb\n", "a\rx\nb\n").hunks[0]
    with pytest.raises(HunkOpError, match="carriage returns"):
        editable_text(lone)
