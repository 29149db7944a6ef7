"""Hypothesis strategies for the round-trip tests of the record formats."""

from __future__ import annotations

from hypothesis import strategies as st

CHARS = st.characters(blacklist_categories=("Cs", "Cc"))
LINE = st.text(CHARS, min_size=1, max_size=20).map(str.strip).filter(bool)
"""One stripped, non-empty line."""


def texts(tricky_lines: list[str]) -> st.SearchStrategy[str]:
    """Stripped texts of up to five lines, some of them lines the format treats specially."""
    return (
        st.lists(st.one_of(LINE, st.sampled_from(tricky_lines)), max_size=5)
        .map("\n".join)
        .map(str.strip)
    )
