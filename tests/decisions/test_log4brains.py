"""log4brains records: bullet metadata, MADR sections, links, and the round trip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.decisions import log4brains
from tests.decisions.samples import HAND_WRITTEN
from tests.decisions.strategies import LINE, texts


def test_parse_a_hand_written_record() -> None:
    record = log4brains.parse(HAND_WRITTEN, "docs/adr/20240301-use-madr.md")
    assert record.title == "Use Markdown Architectural Decision Records"
    assert record.status is DecisionStatus.SUPERSEDED
    assert record.superseded_by == "docs/adr/20240310-use-log4brains.md"
    assert record.supersedes == "docs/adr/20240101-first.md"
    assert record.decision_makers == ["Ada", "Grace"]
    assert record.date == "2024-03-01"
    assert record.chosen == "MADR 2.1.2"
    assert record.outcome == "it is lean."
    assert [o.title for o in record.options] == ["MADR 2.1.2", "Nygard"]
    assert record.options[1].cons == ["no options"]
    assert record.consequences == ("Positive:\n\n- structured\n\nNegative:\n\n- more sections")
    assert record.context == "We want to record architectural decisions."
    assert record.number is None


def test_rendered_bullets_are_all_dashes() -> None:
    record = DecisionRecord(
        title="T",
        context="",
        outcome="",
        options=[ConsideredOption("A", pros=["p"], cons=["c"])],
        decision_makers=["Ada"],
    )
    text = log4brains.render(record)
    assert "- A\n" in text and "- Good, because p\n" in text and "- Bad, because c\n" in text
    assert not [line for line in text.splitlines() if line.startswith("* ")]


def test_render_has_bullet_metadata_and_no_front_matter() -> None:
    record = DecisionRecord(
        title="Use PostgreSQL",
        context="Many writers.",
        outcome="We switch to PostgreSQL.",
        status=DecisionStatus.ACCEPTED,
        date="2026-11-21",
        decision_makers=["Ada", "Grace"],
        options=[ConsideredOption("PostgreSQL"), ConsideredOption("SQLite")],
        chosen="PostgreSQL",
        path="docs/adr/20261121-use-postgresql.md",
        supersedes="docs/adr/20240301-use-sqlite.md",
    )
    text = log4brains.render(record)
    assert text.startswith(
        "# Use PostgreSQL\n\n- Status: accepted\n- Deciders: Ada, Grace\n- Date: 2026-11-21\n\n"
        "## Context and Problem Statement\n"
    )
    assert "---" not in text
    assert text.endswith(
        "## Links <!-- optional -->\n\n- Supersedes [20240301-use-sqlite](20240301-use-sqlite.md)\n"
    )
    assert log4brains.parse(text, record.path) == record


def test_superseded_status_carries_its_link() -> None:
    record = DecisionRecord(
        title="Old",
        context="",
        outcome="",
        status=DecisionStatus.SUPERSEDED,
        path="adr/20240101-old.md",
        superseded_by="adr/20240202-new.md",
    )
    text = log4brains.render(record)
    assert "- Status: superseded by [20240202-new](20240202-new.md)\n" in text
    assert log4brains.parse(text, record.path) == record


_name = st.text(st.characters(categories=["L"]), min_size=1, max_size=8)
_text = texts(["- Status: accepted", "## Links", "# T", "\\", ""])
_paths = st.sampled_from([None, "adr/20240101-a.md", "adr/20240102-b c.md"])


@st.composite
def records(draw: st.DrawFn) -> DecisionRecord:
    options = draw(
        st.lists(
            st.builds(ConsideredOption, title=LINE, pros=st.lists(LINE, max_size=2)), max_size=3
        )
    )
    return DecisionRecord(
        title=draw(LINE),
        context=draw(_text),
        outcome=draw(_text),
        consequences=draw(_text),
        status=draw(st.sampled_from(list(DecisionStatus))),
        date=draw(st.sampled_from(["", "2026-11-21"])),
        decision_makers=draw(st.lists(_name, max_size=3)),
        options=options,
        chosen=draw(st.sampled_from(["", *[o.title for o in options]])),
        supersedes=draw(_paths),
        superseded_by=draw(_paths),
        path="adr/20261121-x.md",
    )


@settings(max_examples=200, deadline=None)
@given(records())
def test_round_trip(record: DecisionRecord) -> None:
    assert log4brains.parse(log4brains.render(record), record.path) == record
