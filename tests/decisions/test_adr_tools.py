"""adr-tools (Nygard) records: rendering, parsing, and the round trip."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.decisions import adr_tools
from tests.decisions.samples import ADR_TOOLS_NEW, ADR_TOOLS_OLD
from tests.decisions.strategies import LINE, texts


def test_parse_adr_tools_own_files() -> None:
    old = adr_tools.parse(ADR_TOOLS_OLD, "arch/0001-record-architecture-decisions.md")
    assert old.title == "Record architecture decisions"
    assert old.number == 1
    assert old.date == "2024-03-01"
    assert old.status is DecisionStatus.SUPERSEDED
    assert old.superseded_by == "arch/0002-use-postgresql.md"
    assert old.outcome.startswith("We will use Architecture Decision Records")
    new = adr_tools.parse(ADR_TOOLS_NEW, "arch/0002-use-postgresql.md")
    assert new.status is DecisionStatus.ACCEPTED
    assert new.supersedes == "arch/0001-record-architecture-decisions.md"
    assert new.superseded_by is None
    assert (new.context, new.outcome, new.consequences) == (
        "Many writers.",
        "PostgreSQL.",
        "A server to run.",
    )


def test_render_writes_adr_tools_layout() -> None:
    record = adr_tools.parse(ADR_TOOLS_NEW, "arch/0002-use-postgresql.md")
    text = adr_tools.render(record)
    assert text.startswith("# 2. Use PostgreSQL\n\nDate: 2024-03-02\n\n## Status\n\nAccepted\n")
    # adr-tools' own label: the target's number and title.
    link = "[1. Record architecture decisions](0001-record-architecture-decisions.md)"
    assert f"Accepted\n\nSupercedes {link}\n" in text
    assert adr_tools.parse(text, record.path) == record


def test_superseded_record_uses_the_tools_spelling() -> None:
    record = adr_tools.parse(ADR_TOOLS_OLD, "arch/0001-record-architecture-decisions.md")
    text = adr_tools.render(record)
    assert "## Status\n\nSuperceded by [2. Use postgresql](0002-use-postgresql.md)\n" in text
    titled = adr_tools.render(record, {"arch/0002-use-postgresql.md": "Use PostgreSQL"})
    assert "Superceded by [2. Use PostgreSQL](0002-use-postgresql.md)\n" in titled
    assert "Accepted" not in text
    assert adr_tools.parse(text, record.path) == record


def test_options_are_folded_into_the_decision_text() -> None:
    record = DecisionRecord(
        title="Pick a queue",
        context="Jobs pile up.",
        outcome="Redis is already deployed.",
        options=[ConsideredOption("Redis", pros=["deployed"]), ConsideredOption("Kafka")],
        chosen="Redis",
        decision_makers=["Ada"],
        number=4,
    )
    parsed = adr_tools.parse(adr_tools.render(record))
    assert parsed == adr_tools.fold(record)
    assert parsed.options == [] and parsed.decision_makers == []
    assert parsed.outcome == (
        "Redis is already deployed.\n\nChosen option: Redis.\n\nConsidered options:\n\n"
        "* Redis (chosen)\n  * Good, because deployed\n* Kafka"
    )


def test_a_superseded_by_link_makes_any_status_superseded() -> None:
    # adr-tools has no status word for "superseded": the link is the mark.
    record = DecisionRecord(
        title="T",
        context="",
        outcome="",
        status=DecisionStatus.DEPRECATED,
        superseded_by="x.md",
        number=1,
    )
    folded = adr_tools.fold(record)
    assert folded.status is DecisionStatus.SUPERSEDED
    assert adr_tools.parse(adr_tools.render(record)) == folded


@pytest.mark.parametrize("word", ["Proposed", "Accepted", "Rejected", "Deprecated"])
@pytest.mark.parametrize("verb", ["Superseded by", "Superceded by"])
def test_a_word_left_above_a_superseded_by_link_is_not_the_status(word: str, verb: str) -> None:
    # `adr new -s 2` adds the link and removes only an `Accepted` line.
    text = (
        "# 2. Use SQLite\n\nDate: 2026-12-02\n\n## Status\n\n"
        f"{word}\n\n{verb} [3. Use PostgreSQL](0003-use-postgresql.md)\n\n## Context\n"
    )
    record = adr_tools.parse(text, "doc/adr/0002-use-sqlite.md")
    assert record.status is DecisionStatus.SUPERSEDED
    assert record.superseded_by == "doc/adr/0003-use-postgresql.md"


def test_other_links_leave_the_status_word_as_written() -> None:
    text = (
        "# 4. Retry jobs\n\n## Status\n\nProposed\n\n"
        "Amended by [3. Use PostgreSQL](0003-use-postgresql.md)\n\n"
        "Supersedes [1. Give up](0001-give-up.md)\n"
    )
    record = adr_tools.parse(text, "doc/adr/0004-retry-jobs.md")
    assert record.status is DecisionStatus.PROPOSED
    assert record.superseded_by is None
    assert record.supersedes == "doc/adr/0001-give-up.md"


_text = texts(["## Status", "# 3. Title", "Date: x", "\\", ""])
_paths = st.sampled_from([None, "doc/adr/0001-a.md", "doc/adr/0007-b.md", "other/0002-c d.md"])


@st.composite
def records(draw: st.DrawFn) -> DecisionRecord:
    return DecisionRecord(
        title=draw(LINE),
        context=draw(_text),
        outcome=draw(_text),
        consequences=draw(_text),
        status=draw(st.sampled_from(list(DecisionStatus))),
        date=draw(st.sampled_from(["", "2026-11-21"])),
        number=draw(st.integers(1, 9999)),
        supersedes=draw(_paths),
        superseded_by=draw(_paths),
    )


@settings(max_examples=200, deadline=None)
@given(records(), st.sampled_from([None, "doc/adr/0009-x.md"]))
def test_round_trip(record: DecisionRecord, path: str | None) -> None:
    record = replace(record, path=path, number=9 if path else record.number)
    assert adr_tools.parse(adr_tools.render(record), path) == adr_tools.fold(record)
