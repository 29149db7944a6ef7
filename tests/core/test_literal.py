"""Text from outside made visible: what each kind of control character becomes."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from slowcode.core.literal import visible, visible_line, visible_per_character

OSC_52 = "\x1b]52;c;SGVsbG8=\x07"


def _obeyed(char: str) -> bool:
    """Whether a terminal (or the bidi algorithm) would act on `char` instead of showing it."""
    code = ord(char)
    if char in "\n\t":
        return False
    return (
        code < 0x20
        or 0x7F <= code < 0xA0
        or 0xD800 <= code < 0xE000
        or unicodedata.bidirectional(char)
        in {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
        or char in "\u200e\u200f\u061c"
    )


def test_escape_sequences_are_shown_not_sent() -> None:
    assert visible(OSC_52) == "␛]52;c;SGVsbG8=␇"
    assert visible("\x1b[2J\x1b[H") == "␛[2J␛[H"
    assert visible("a\rb\x08c\x00\x7f") == "a␍b␈c␀␡"


def test_c1_controls_read_as_escape_and_their_seven_bit_form() -> None:
    assert visible("\x9b6n") == "␛[6n"
    assert visible("\x9d52;c;x\x9c") == "␛]52;c;x␛\\"


def test_newlines_and_tabs_stay_and_markup_is_untouched() -> None:
    text = "line one\n\tline [/x] [@click=screen.accept_all]two[/]"
    assert visible(text) == text


def test_bidirectional_overrides_are_written_out() -> None:
    assert visible("abc\u202edef\u2066") == "abc⟨U+202E⟩def⟨U+2066⟩"


def test_a_lone_surrogate_becomes_a_replacement_character() -> None:
    shown = visible("before \ud800 after")
    assert shown == "before \ufffd after"
    shown.encode("utf-8")  # a terminal can be sent it


def test_one_line_fields_show_newlines() -> None:
    assert visible_line("title\nsecond\tline\x1b") == "title␤second line␛"


def test_the_per_character_form_keeps_every_offset() -> None:
    text = "a\x9bb\u202ec\x1bd\ud800"
    shown = visible_per_character(text)
    assert len(shown) == len(text)
    assert shown == "a\ufffdb\ufffdc␛d\ufffd"


@given(st.text(st.characters(min_codepoint=0, max_codepoint=0xE000, exclude_categories=())))
def test_nothing_obeyable_survives(text: str) -> None:
    for shown in (visible(text), visible_line(text), visible_per_character(text)):
        assert not any(_obeyed(char) for char in shown)
        shown.encode("utf-8")
    assert visible(visible(text)) == visible(text)
    assert len(visible_per_character(text)) == len(text)
