"""A text as a change of another: exact for any pair of texts, small for a small edit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slowcode.core.text_delta import TextDelta, apply_delta, text_delta

texts = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("ab\n"), max_size=60)


@given(texts, texts)
def test_the_delta_of_any_two_texts_gives_the_new_one_back(old: str, new: str) -> None:
    delta = text_delta(old, new)
    assert apply_delta(old, delta) == new
    assert TextDelta.from_json(delta.to_json()) == delta


@given(texts, texts, texts)
def test_a_change_between_a_shared_head_and_tail_is_all_the_delta_holds(
    head: str, middle: str, tail: str
) -> None:
    old, new = head + "X" + tail, head + middle + tail
    assert len(text_delta(old, new).middle) <= len(middle)


def test_one_edit_to_a_megabyte_keeps_all_but_the_edit() -> None:
    old = "".join(f"line {n}\n" for n in range(100_000))
    new = old.replace("line 50000\n", "line -50000\n")
    assert text_delta(old, new) == TextDelta(
        old.index("line 50000") + 5, len(old) - old.index("line 50000") - 5, "-"
    )


@pytest.mark.parametrize(
    "value", [[1, 2], [1, 2, 3], [-1, 0, ""], ["1", 0, ""], {"head": 1}, None, [1, 2, "x", 4]]
)
def test_a_malformed_delta_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match=r"\[head, tail, middle\]"):
        TextDelta.from_json(value)


def test_a_delta_that_does_not_fit_its_text_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        apply_delta("short", TextDelta(4, 4, ""))
