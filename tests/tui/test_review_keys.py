"""The review's deeper keys: edit, split, why, side by side; word emphasis; check output."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import TextArea

from slowcode.core.config import Config
from slowcode.core.step_review import LineKind, StepReview, Verdict
from slowcode.engine.apply.writes import compose
from slowcode.engine.human import StepAction
from slowcode.engine.progress import CheckFinished, CheckOutput, CheckStarted
from slowcode.engine.staging.diffs import diff_texts
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.hunk_edit import HunkEditScreen
from slowcode.tui.screens.review import ReviewScreen
from slowcode.tui.widgets.diff_view import DiffView
from slowcode.tui.widgets.key_bar import KeyBar
from slowcode.tui.widgets.word_diff import changed_spans, pair_lines

from .samples import large_review, three_hunk_review
from .snapshot_apps.review_app import ReviewApp

SIZE = (120, 40)
OLD = "".join(f"line {n}\n" for n in range(1, 10))
NEW = OLD.replace("line 3\n", "line three\n").replace("line 6\n", "line six\n")


def _real_review() -> StepReview:
    return StepReview(1, "Spell out", "Spells two numbers.", diff_texts({"f.txt": (OLD, NEW)}))


def _rows(view: DiffView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


async def test_e_edits_the_hunk_and_the_edit_is_what_gets_written() -> None:
    review = _real_review()
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, HunkEditScreen)
        area = editor.query_one(TextArea)
        assert area.text.splitlines()[2] == "line three"
        area.text = area.text.replace("line three", "line 3 (three)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        hunk = review.hunks[0]
        assert hunk.verdict is Verdict.EDITED
        rows = "\n".join(_rows(app.screen.diff_view))
        assert "[~] @@" in rows and "+ line 3 (three)" in rows
        assert "edited" in str(app.screen.query_one("#review-progress").render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.verdicts and app.verdicts[0] is not None
        assert app.verdicts[0].action is StepAction.APPLY
    assert compose(review.files[0]) == NEW.replace("line three", "line 3 (three)")


async def test_escape_in_the_editor_changes_nothing() -> None:
    review = _real_review()
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "something else"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert review.hunks[0].verdict is Verdict.UNDECIDED
        assert review.hunks[0].original_lines is None


async def test_s_splits_the_hunk_and_each_piece_gets_its_own_verdict() -> None:
    review = _real_review()
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        assert len(review.hunks) == 1
        await pilot.press("s")
        await pilot.pause()
        assert len(review.hunks) == 2
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert str(screen.query_one("#review-progress").render()).startswith("hunk 1/2")
        await pilot.press("n", "y")
        assert [h.verdict for h in review.hunks] == [Verdict.REJECTED, Verdict.ACCEPTED]
        # A single run of changes: nothing to split, so `s` is neither offered nor acts.
        assert screen.check_action("split", ()) is False
        assert "s Split" not in " ".join(screen.query_one(KeyBar).shown_lines())
        await pilot.press("s")
        await pilot.pause()
        assert len(review.hunks) == 2
    assert compose(review.files[0]) == OLD.replace("line 6\n", "line six\n")


async def test_w_shows_the_answer_under_the_hunk() -> None:
    review = _real_review()
    asked: list[int] = []
    release = asyncio.Event()

    async def ask_why(position: int) -> str:
        asked.append(position)
        await release.wait()
        review.hunks[position].why = "Numbers read better spelled out in prose."
        return review.hunks[position].why

    review.ask_why = ask_why
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        view = app.screen.query_one(DiffView)
        assert any("why? asking the model…" in row for row in _rows(view))
        release.set()
        await pilot.pause()
        await pilot.pause()
        rows = _rows(view)
        assert any("why? Numbers read better spelled out in prose." in row for row in rows)
        assert not any("asking the model" in row for row in rows)
        assert asked == [0]
        assert review.hunks[0].verdict is Verdict.UNDECIDED  # the step is unchanged


async def test_w_is_offered_only_when_a_model_can_answer() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.check_action("why", ()) is False
        assert screen.check_action("edit", ()) is True


async def test_v_toggles_side_by_side_with_old_left_and_new_right() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        view = app.screen.query_one(DiffView)
        shown_side_by_side = view.side_by_side
        assert shown_side_by_side
        rows = _rows(view)
        paired = next(row for row in rows if "- import urllib.request" in row)
        left, right = paired.split("│", 1)
        assert "4 - import urllib.request" in left
        assert "4 + from src.retry import with_backoff" in right
        context = next(row for row in rows if "import json" in row)
        assert context.count("import json") == 2
        added_only = next(
            row
            for row in rows
            if "import urllib.request" in row.split("│")[-1]
            and "+" in row.split("│")[-1]
            and "-" not in row.split("│")[0]
        )
        assert added_only.split("│")[0].strip(" ▌") == ""
        await pilot.press("v")
        await pilot.pause()
        assert not view.side_by_side
        assert any(row.startswith("▌ 4    - import urllib.request") for row in _rows(view))


def test_words_that_changed_are_found_inside_a_line_pair() -> None:
    old_spans, new_spans = changed_spans(
        "    return json.load(urllib.request.urlopen(url))",
        "    return json.load(opener(url))",
    )
    old = "    return json.load(urllib.request.urlopen(url))"
    assert [old[a:b] for a, b in old_spans] == ["urllib.request.urlopen"]
    assert new_spans == [(21, 27)]
    assert changed_spans("alpha beta", "gamma delta") == ([], [])  # a rewrite: no emphasis
    lines = three_hunk_review().hunks[1].lines
    assert pair_lines(lines) == {1: 2, 2: 1}


async def test_changed_words_get_a_stronger_background_than_the_line() -> None:
    review = StepReview(
        1,
        "t",
        "",
        diff_texts({"m.py": ("value = compute(1)\n", "value = compute(2)\n")}),
    )
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(DiffView)
        row = next(
            view.render_line(y)
            for y in range(view.size.height)
            if "+ value" in view.render_line(y).text
        )
        backgrounds = {seg.text: seg.style.bgcolor for seg in row._segments if seg.style}
        assert backgrounds["2"] != backgrounds["value"]
        line = review.hunks[0].lines
        assert [item.kind for item in line] == [LineKind.REMOVED, LineKind.ADDED]


async def test_carried_over_verdicts_are_marked_and_counted() -> None:
    review = three_hunk_review()
    review.hunks[0].verdict = Verdict.ACCEPTED
    review.hunks[0].carried_over = True
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.current == 1  # opens on the first undecided hunk
        rows = _rows(screen.diff_view)
        assert any("[✓] @@ -3,3 +3,4 @@  carried over" in row for row in rows)
        assert "1 carried over" in str(screen.query_one("#review-progress").render())


async def test_check_output_streams_into_the_session_screen(tmp_path: Path) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        for event in (
            CheckStarted("make test"),
            CheckOutput("3 passed, 1 failed"),
            CheckFinished("make test", 2),
        ):
            app._report(event)
        await pilot.pause()
        lines = list(app.session_screen.commentary.lines)
        assert lines[:3] == [
            "$ make test",
            "  │ 3 passed, 1 failed",
            "✗ check FAILED (exit code 2): make test",
        ]


async def test_a_20000_line_diff_opens_side_by_side_and_scrolls() -> None:
    review = large_review(20_000)
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(DiffView)
        # How fast it opens is measured by bench/review_large_diff.py, not asserted here.
        await pilot.press("v")
        await pilot.pause()
        assert view.side_by_side and view.virtual_size.height == 20_002
        view.scroll_to(y=19_990, animate=False, immediate=True)
        await pilot.pause()
        assert "value_19999" in "".join(_rows(view))


async def test_an_edit_typed_in_the_editor_keeps_the_blank_last_context_line() -> None:
    old = "def f():\n    return 1\n    pass\nx = 2\n\ny = 3\nz = 4\n"
    new = old.replace("return 1", "return 2")
    review = StepReview(1, "Two", "Returns two.", diff_texts({"f.py": (old, new)}))
    assert review.hunks[0].lines[-1].text == ""  # the hunk ends in a blank context line
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        row = area.text.split("\n").index("x = 2")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("end", *" # c", "ctrl+s")
        await pilot.pause()
        hunk = review.hunks[0]
        assert hunk.verdict is Verdict.EDITED
        assert (hunk.changed_lines, hunk.target_length) == (4, hunk.source_length)
    assert compose(review.files[0]) == new.replace("x = 2", "x = 2 # c")


async def test_the_answer_to_w_under_a_tall_hunk_is_scrolled_into_view() -> None:
    review = large_review(60)

    async def ask_why(position: int) -> str:
        review.hunks[position].why = "The table is generated once instead of at import."
        return review.hunks[position].why

    review.ask_why = ask_why
    app = ReviewApp(review)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(DiffView)
        assert view.unseen_rows(0) > 0  # the hunk's end, where the answer goes, is below
        await pilot.press("w")
        for _ in range(20):
            await pilot.pause()
            if any("why? The table is generated" in row for row in _rows(view)):
                break
        assert any("why? The table is generated" in row for row in _rows(view))
        assert view.unseen_rows(0) == 0
