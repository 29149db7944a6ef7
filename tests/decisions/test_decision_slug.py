"""Slugs for decision record file names."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from slowcode.decisions.slug import slugify


def test_plain_title() -> None:
    assert slugify("Use SQLite for local storage") == "use-sqlite-for-local-storage"


def test_punctuation_and_accents() -> None:
    assert slugify("  Überblick: Café & Crème — v2.0!  ") == "uberblick-cafe-creme-v2-0"


def test_never_empty() -> None:
    assert slugify("") == "decision"
    assert slugify("!!! ???") == "decision"
    assert slugify("日本語") == "decision"


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    title = "Adopt an event sourced architecture for the billing subsystem and its reporting"
    slug = slugify(title)
    assert len(slug) <= 60
    assert slug == "adopt-an-event-sourced-architecture-for-the-billing"


def test_one_long_word_is_cut_hard() -> None:
    assert slugify("x" * 100) == "x" * 60


@given(st.text())
def test_any_title_gives_a_safe_slug(title: str) -> None:
    slug = slugify(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= 60
