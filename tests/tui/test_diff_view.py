"""The diff view: what its rows show, how it moves, and how fast it opens."""

from __future__ import annotations

from textual.app import App, ComposeResult

from slowcode.core.step_review import StepReview, Verdict
from slowcode.engine.staging.diffs import diff_texts
from slowcode.tui.widgets.diff_layout import DiffLayout, RowKind
from slowcode.tui.widgets.diff_view import DiffView

from .samples import large_review, three_hunk_review


class DiffApp(App[None]):
    def __init__(self, review: StepReview | None) -> None:
        super().__init__()
        self.review = review
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        if self.review is not None:
            yield DiffView(self.review)

    def on_diff_view_hunk_selected(self, event: DiffView.HunkSelected) -> None:
        self.selected.append(event.position)


def _row_texts(view: DiffView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


async def test_rows_show_markers_line_numbers_and_hunk_verdicts() -> None:
    review = three_hunk_review()
    app = DiffApp(review)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(DiffView)
        rows = _row_texts(view)
        assert rows[0].strip().startswith("src/client.py")
        assert rows[1].startswith("▌[ ] @@ -3,3 +3,4 @@")
        assert rows[2].startswith("▌ 3  3   import json")
        assert rows[3].startswith("▌ 4    - import urllib.request")
        assert rows[4].startswith("▌    4 + from src.retry import with_backoff")
        assert any(row.strip().startswith("src/retry.py (new file)  +10 -0") for row in rows)
        # Rows of hunks other than the current one carry no bar.
        second_hunk = view.hunk_row(1)
        assert rows[second_hunk].startswith(" [ ] @@ -20,2 +20,3 @@")

        review.hunks[0].verdict = Verdict.ACCEPTED
        view.refresh_hunk(0)
        view.current = 1
        await pilot.pause()
        rows = _row_texts(view)
        assert rows[1].startswith(" [✓] @@ -3,3 +3,4 @@")
        assert rows[second_hunk].startswith("▌[ ] @@ -20,2 +20,3 @@")


async def test_added_and_removed_lines_get_theme_backgrounds() -> None:
    app = DiffApp(three_hunk_review())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(DiffView)
        context, removed, added = (view.render_line(y) for y in (2, 3, 4))
        background = {}
        for name, strip in (("context", context), ("removed", removed), ("added", added)):
            style = strip._segments[-1].style  # the padding after the text
            assert style is not None
            background[name] = style.bgcolor
        assert background["added"] != background["context"]
        assert background["removed"] != background["context"]
        assert background["added"] != background["removed"]


async def test_python_lines_are_highlighted_by_token() -> None:
    app = DiffApp(three_hunk_review())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(DiffView)
        row = view.render_line(2)  # "import json"
        styles = {seg.text: seg.style for seg in row._segments}
        assert styles["import"] is not None and styles["json"] is not None
        assert styles["import"].color != styles["json"].color


async def test_clicking_a_line_selects_its_hunk() -> None:
    app = DiffApp(three_hunk_review())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(DiffView)
        await pilot.click(DiffView, offset=(10, view.hunk_row(2) + 3))
        await pilot.pause()
        assert app.selected == [2]


def test_the_layout_indexes_every_row_once() -> None:
    layout = DiffLayout.build(three_hunk_review())
    kinds = [row.kind for row in layout.rows]
    assert kinds.count(RowKind.FILE) == 2
    assert kinds.count(RowKind.HUNK) == 3
    assert kinds.count(RowKind.LINE) == 5 + 4 + 10
    assert layout.hunk_rows == [1, 7, 14]
    assert layout.hunk_at_row(0) == 0
    assert layout.hunk_at_row(9) == 1
    assert layout.hunk_at_row(13) == 1  # the file header below hunk 1 belongs to it
    assert layout.number_width == 2


async def test_a_20000_line_diff_opens_with_its_first_rows() -> None:
    # How fast it opens is measured by bench/review_large_diff.py, not asserted here.
    review = large_review(20_000)
    app = DiffApp(None)
    async with app.run_test(size=(120, 40)) as pilot:
        view = DiffView(review)
        await app.mount(view)
        await pilot.pause()
        first_rows = [view.render_line(y).text for y in range(3)]
        assert view.layout_rows == 20_002
        assert view.virtual_size.height == 20_002
        assert "value_0 = compute(0" in first_rows[2]
        view.scroll_to(y=19_990, animate=False, immediate=True)
        await pilot.pause()
        assert "value_19999" in "".join(_row_texts(view))


async def test_a_line_longer_than_its_half_ends_in_a_marker_side_by_side() -> None:
    from slowcode.engine.staging.diffs import diff_texts

    long_old = "value = compute(" + ", ".join(f"argument_{n}" for n in range(12)) + ")\n"
    long_new = long_old.replace("compute", "calculate")
    review = StepReview(1, "Rename", "", diff_texts({"f.py": ("x = 1\n" + long_old, long_new)}))
    app = DiffApp(review)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DiffView)
        view.side_by_side = True
        await pilot.pause()
        rows = _row_texts(view)
    old_side, new_side = rows[3].split("│"), rows[2].split("│")
    assert "compute(argument_0" in old_side[0] and old_side[0].endswith("…")
    assert "calculate(argument_0" in new_side[1] and new_side[1].endswith("…")
    assert "x = 1" in new_side[0] and "…" not in new_side[0]  # a short line is not marked
    assert all(len(row) <= 80 for row in rows)


async def test_a_hunk_header_cut_side_by_side_ends_in_a_marker() -> None:
    review = three_hunk_review()
    app = DiffApp(review)
    async with app.run_test(size=(16, 20)) as pilot:
        view = app.query_one(DiffView)
        view.side_by_side = True
        await pilot.pause()
        rows = _row_texts(view)
        width = view.scrollable_content_region.width
    header = next(row for row in rows if "@@" in row)
    assert header.endswith("…") and len(header) == width


async def test_a_why_answer_wraps_to_a_narrow_diff_instead_of_being_cut() -> None:
    review = three_hunk_review()
    answer = (
        "The retry wraps the whole request because a half-sent body cannot be resumed, "
        "and the backoff doubles so that a struggling server gets room to recover."
    )
    review.hunks[0].why = answer
    app = DiffApp(review)
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(DiffView)
        view.rebuild()
        await pilot.pause()
        width = view.scrollable_content_region.width
        rows = _row_texts(view)
    first = next(n for n, row in enumerate(rows) if "why? " in row)
    notes = []
    for row in rows[first:]:
        if not row[1:].startswith(("  why? ", "       ")):
            break
        notes.append(row.rstrip())
    assert len(notes) > 1
    assert all(len(note) <= width for note in notes)
    assert " ".join(" ".join(note.split()[1:]) for note in notes) == "why? " + answer


DOCSTRING_OLD = (
    'def area(r):\n    """The area of a circle.\n\n    Uses pi.\n    """\n    return 3 * r * r\n'
)
DOCSTRING_NEW = (
    'def area(r):\n    """The area of a circle.\n\n    return the value for r\n    """\n'
    "    return 3.14159 * r * r\n"
)


def _style_of_word(view: DiffView, row_text: str, word: str) -> object:
    for y in range(view.size.height):
        strip = view.render_line(y)
        if row_text in strip.text:
            for segment in strip._segments:
                if word in segment.text:
                    return segment.style.color if segment.style else None
    raise AssertionError(f"no row holds {row_text!r}")


async def test_a_line_inside_a_docstring_is_coloured_as_the_string_it_is_in() -> None:
    review = StepReview(
        1, "step", "summary", diff_texts({"area.py": (DOCSTRING_OLD, DOCSTRING_NEW)})
    )
    app = DiffApp(review)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(DiffView)
        in_docstring = _style_of_word(view, "return the value for r", "return")
        same_line_word = _style_of_word(view, "return the value for r", "value")
        code = _style_of_word(view, "return 3.14159", "return")
        assert in_docstring == same_line_word
        assert in_docstring != code
