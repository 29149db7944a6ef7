"""Streamed commentary is wrapped to the widget's width, fragment by fragment."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from slowcode.tui.widgets.stream_wrap import StreamWrap


def test_a_long_line_is_broken_at_the_width_and_a_leading_space_dropped() -> None:
    wrap = StreamWrap()
    assert wrap.feed("abcde fgh", 5) == "abcde\nfgh"
    assert wrap.column == 3


def test_fragments_continue_the_current_line() -> None:
    wrap = StreamWrap()
    assert wrap.feed("abc", 4) + wrap.feed("def\ngh", 4) == "abcd\nef\ngh"


@given(st.lists(st.text(alphabet="ab \n", max_size=20), max_size=10), st.integers(1, 12))
def test_no_line_is_wider_than_the_width_and_no_letter_is_lost(
    fragments: list[str], width: int
) -> None:
    wrap = StreamWrap()
    written = "".join(wrap.feed(fragment, width) for fragment in fragments)
    assert all(len(line) <= width for line in written.split("\n"))
    assert written.replace("\n", "").replace(" ", "") == "".join(fragments).replace(
        "\n", ""
    ).replace(" ", "")
