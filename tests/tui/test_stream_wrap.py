"""Streamed commentary is word-wrapped to the widget's width, fragment by fragment."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from slowcode.core.config import Config
from slowcode.engine.progress import ModelTextStreamed, SessionState, StateChanged
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.widgets.stream_wrap import StreamWrap


def test_a_long_line_is_broken_at_a_space_and_the_space_dropped() -> None:
    wrap = StreamWrap()
    assert wrap.feed("abcde fgh ", 5) == "abcde\nfgh "
    assert wrap.column == 4


def test_a_word_that_does_not_fit_moves_whole_to_the_next_line() -> None:
    wrap = StreamWrap()
    assert wrap.feed("one two three ", 9) == "one two \nthree "


def test_a_word_cut_by_a_fragment_is_held_back_until_it_ends() -> None:
    wrap = StreamWrap()
    first = wrap.feed("the ses", 12)
    assert first == "the " and wrap.pending == "ses"
    second = wrap.feed("sion log", 12)
    assert first + second == "the session "
    assert wrap.flush(12) == "\nlog"
    assert wrap.pending == ""


def test_a_word_wider_than_the_line_is_broken_inside() -> None:
    wrap = StreamWrap()
    assert wrap.feed("ab abcdefgh", 4) + wrap.flush(4) == "ab \nabcd\nefgh"


def test_indentation_after_a_newline_is_kept() -> None:
    wrap = StreamWrap()
    assert wrap.feed("a:\n  b\n", 10) == "a:\n  b\n"


words = st.text(alphabet="abc", min_size=1, max_size=7)


@given(st.lists(st.text(alphabet="ab \n", max_size=20), max_size=10), st.integers(1, 12))
def test_no_line_is_wider_than_the_width_and_no_letter_is_lost(
    fragments: list[str], width: int
) -> None:
    wrap = StreamWrap()
    written = "".join(wrap.feed(fragment, width) for fragment in fragments) + wrap.flush(width)
    assert all(len(line) <= width for line in written.split("\n"))
    assert written.replace("\n", "").replace(" ", "") == "".join(fragments).replace(
        "\n", ""
    ).replace(" ", "")


@given(st.lists(words, min_size=1, max_size=30), st.integers(8, 20), st.data())
def test_words_that_fit_are_never_broken_wherever_the_fragments_end(
    text_words: list[str], width: int, data: st.DataObject
) -> None:
    text = " ".join(text_words)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    fragments = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    wrap = StreamWrap()
    written = "".join(wrap.feed(fragment, width) for fragment in fragments) + wrap.flush(width)
    assert written.split() == text_words


async def test_the_session_log_wraps_streamed_words_whole(tmp_path: Path) -> None:
    settings = ModelSettings(base_url="http://127.0.0.1:9")
    app = SlowcodeApp(tmp_path, Config(), settings, resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        sentence = "The storage module keeps every item of the list in a versioned document "
        for start in range(0, len(sentence) * 3, 5):
            app._report(ModelTextStreamed((sentence * 3)[start : start + 5]))
        app._report(ModelTextStreamed("at the end"))
        app._report(StateChanged(SessionState.STEP_WORKING))
        await pilot.pause()
        commentary = app.session_screen.commentary
        lines = list(commentary.lines)
        width = commentary.text_width()
    assert len(lines) > 3
    assert all(len(line) <= width for line in lines)
    assert " ".join(lines).split() == (sentence * 3 + "at the end").split()


async def test_the_newest_line_stays_in_view_when_the_log_gets_shorter(tmp_path: Path) -> None:
    from slowcode.tui.widgets.key_bar import KeyBar

    settings = ModelSettings(base_url="http://127.0.0.1:9")
    app = SlowcodeApp(tmp_path, Config(), settings, resume=False)
    async with app.run_test(size=(60, 15)) as pilot:
        screen = app.session_screen
        for number in range(30):
            screen.show_line(f"line {number}")
        await pilot.pause()
        screen.query_one(KeyBar).styles.height = 4  # more keys: the log loses rows
        await pilot.pause()
        await pilot.pause()
        commentary = screen.commentary
        assert commentary.scroll_y == commentary.max_scroll_y
