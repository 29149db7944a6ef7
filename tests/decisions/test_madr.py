"""MADR 4 rendering and parsing."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.decisions.madr import parse, read_front_matter, reference, render


def sample_record() -> DecisionRecord:
    return DecisionRecord(
        title="Use SQLite for local storage",
        context="We need to keep session state between runs.\n\nIt must work offline.",
        outcome="it needs no server and ships with Python.",
        consequences="* Good, because setup is trivial\n* Bad, because one writer at a time",
        status=DecisionStatus.ACCEPTED,
        date="2026-11-21",
        decision_makers=["Ada Lovelace", "Grace Hopper"],
        options=[
            ConsideredOption("SQLite", pros=["no server"], cons=["single writer"]),
            ConsideredOption("PostgreSQL", pros=["concurrent writers"], cons=["needs a server"]),
            ConsideredOption("JSON files"),
        ],
        chosen="SQLite",
    )


EXPECTED = """\
---
status: accepted
date: 2026-11-21
decision-makers:
  - Ada Lovelace
  - Grace Hopper
---

# Use SQLite for local storage

## Context and Problem Statement

We need to keep session state between runs.

It must work offline.

## Considered Options

* SQLite
* PostgreSQL
* JSON files

## Decision Outcome

Chosen option: "SQLite", because it needs no server and ships with Python.

### Consequences

* Good, because setup is trivial
* Bad, because one writer at a time

## Pros and Cons of the Options

### SQLite

* Good, because no server
* Bad, because single writer

### PostgreSQL

* Good, because concurrent writers
* Bad, because needs a server

### JSON files
"""


def test_render_writes_madr_4() -> None:
    assert render(sample_record()) == EXPECTED


def test_parse_reads_it_back() -> None:
    assert parse(EXPECTED) == sample_record()


def test_parse_takes_the_number_and_path_from_the_file_name() -> None:
    record = parse(EXPECTED, "docs/decisions/0007-use-sqlite.md")
    assert record.number == 7
    assert record.path == "docs/decisions/0007-use-sqlite.md"


def test_supersede_links_in_front_matter_and_body() -> None:
    old = sample_record()
    old.status = DecisionStatus.SUPERSEDED
    old.path = "docs/decisions/0002-use-sqlite.md"
    old.number = 2
    old.superseded_by = "docs/decisions/0005-use-postgresql.md"
    text = render(old)
    # MADR 4's own way: the status names the successor; the store resolves it.
    assert 'status: "superseded by ADR-0005"\n' in text
    assert "superseded-by" not in text
    assert parse(text, old.path) == replace(old, superseded_by="ADR-0005")

    new = DecisionRecord(
        title="Use PostgreSQL",
        context="Many writers now.",
        outcome="We switch.",
        supersedes="docs/decisions/0002-use-sqlite.md",
    )
    text = render(new)
    assert "supersedes:" not in text
    assert text.endswith(
        "## More Information\n\nSupersedes [ADR-0002](docs/decisions/0002-use-sqlite.md)\n"
    )
    assert parse(text) == new


def test_headings_inside_texts_stay_text() -> None:
    record = DecisionRecord(
        title="Tricky",
        context="## Decision Outcome\n\\ backslash line\n# not a title",
        outcome="### Consequences are not here",
        consequences="## Pros and Cons of the Options",
        chosen='A "quoted" \\ option',
        options=[ConsideredOption('A "quoted" \\ option')],
    )
    text = render(record)
    assert "\n\\## Decision Outcome\n" in text
    assert parse(text) == record


def test_outcome_that_looks_like_a_chosen_option_line() -> None:
    record = DecisionRecord(title="T", context="", outcome='Chosen option: "X", because Y')
    assert parse(render(record)) == record


def test_empty_record_round_trips() -> None:
    record = DecisionRecord(title="", context="", outcome="")
    text = render(record)
    assert "decision-makers: []" in text
    assert "date:" not in text
    assert parse(text) == DecisionRecord(title="", context="", outcome="")


def test_parse_a_hand_written_madr_file() -> None:
    text = """\
---
# comment in the front matter
status: "superseded by ADR-0009"
date: 2024-01-05
decision-makers: [Ada, 'Bob O''Brien', "Zoë"]
consulted: Carol
---
# Choose a logging library

## Context and Problem Statement

Which library?

## Decision Drivers

* speed

## Considered Options

- structlog
- loguru

## Decision Outcome

Chosen option: "structlog", because it is fast.

### Consequences

* Good, because fast

### Confirmation

Code review.

## Pros and Cons of the Options

### loguru

* Good, because simple
* Neutral, because popular
* Bad, because global state
"""
    record = parse(text, "doc/adr/0003-choose-a-logging-library.md")
    assert record.title == "Choose a logging library"
    assert record.status is DecisionStatus.SUPERSEDED
    assert record.date == "2024-01-05"
    assert record.decision_makers == ["Ada", "Bob O'Brien", "Zoë"]
    assert record.context == "Which library?"
    assert record.chosen == "structlog"
    assert record.outcome == "it is fast."
    assert record.consequences == "* Good, because fast"
    assert [o.title for o in record.options] == ["structlog", "loguru"]
    assert record.options[1].pros == ["simple"]
    assert record.options[1].cons == ["global state"]
    assert record.number == 3


def test_parse_an_adr_tools_file() -> None:
    text = """\
# 2. Use Markdown Architectural Decision Records

Date: 2024-02-01

## Status

Accepted

## Context

We want to record decisions.

## Decision

We will use MADR.

## Consequences

Everyone reads Markdown.
"""
    record = parse(text, "doc/adr/0002-use-markdown.md")
    assert record.title == "Use Markdown Architectural Decision Records"
    assert record.status is DecisionStatus.ACCEPTED
    assert record.context == "We want to record decisions."
    assert record.outcome == "We will use MADR."
    assert record.consequences == "Everyone reads Markdown."
    assert record.chosen == ""


def test_parse_never_fails_on_junk() -> None:
    record = parse("no headings at all\n---\n", "docs/decisions/0012-some-idea.md")
    assert record.title == "Some idea"
    assert record.number == 12
    assert record.status is DecisionStatus.PROPOSED


def test_front_matter_without_closing_delimiter_is_not_front_matter() -> None:
    assert read_front_matter(["---", "status: accepted", "# Title"]) == ({}, 0)
    meta, start = read_front_matter(["---", "a: 1", "b:", "  - x", "  - 'y'", "---", "rest"])
    assert meta == {"a": "1", "b": ["x", "y"]}
    assert start == 6


# The property: whatever the renderer writes, the parser reads back unchanged.

_CHARS = st.characters(blacklist_categories=("Cs", "Cc"))
_TRICKY_LINES = st.sampled_from(
    [
        "## Decision Outcome",
        "### Consequences",
        "# Title",
        "\\",
        "\\# already escaped",
        "---",
        "* Good, because x",
        'Chosen option: "x", because y',
        "- list item",
        "",
        "   indented",
    ]
)
one_line = st.text(_CHARS, min_size=1, max_size=25).map(str.strip).filter(bool)
multi_line = (
    st.lists(st.one_of(st.text(_CHARS, max_size=30), _TRICKY_LINES), max_size=6)
    .map("\n".join)
    .map(str.strip)
)
options = st.lists(
    st.builds(
        ConsideredOption,
        title=one_line,
        pros=st.lists(one_line, max_size=2),
        cons=st.lists(one_line, max_size=2),
    ),
    max_size=4,
)


@st.composite
def records(draw: st.DrawFn) -> DecisionRecord:
    considered = draw(options)
    chosen_choices = [st.just(""), one_line]
    if considered:
        chosen_choices.append(st.sampled_from([o.title for o in considered]))
    return DecisionRecord(
        title=draw(one_line),
        context=draw(multi_line),
        outcome=draw(multi_line),
        consequences=draw(multi_line),
        status=draw(st.sampled_from(list(DecisionStatus))),
        date=draw(st.one_of(st.just(""), st.just("2026-11-21"), one_line)),
        decision_makers=draw(st.lists(one_line, max_size=3)),
        options=considered,
        chosen=draw(st.one_of(*chosen_choices)),
        superseded_by=draw(st.one_of(st.none(), _record_paths)),
        supersedes=draw(st.one_of(st.none(), _record_paths)),
    )


_record_paths = st.sampled_from(
    ["docs/decisions/0005-use-x.md", "0012-y.md", "docs/decisions/20261121-use-z.md"]
)


def as_read(record: DecisionRecord) -> DecisionRecord:
    """What parsing the rendered record gives: MADR 4 names a successor only when superseded."""
    successor = None
    if record.status is DecisionStatus.SUPERSEDED and record.superseded_by:
        successor = reference(record.superseded_by)
    return replace(record, superseded_by=successor)


@settings(max_examples=300, deadline=None)
@given(records())
def test_parse_render_round_trip(record: DecisionRecord) -> None:
    assert parse(render(record)) == as_read(record)


def test_a_finish_step_decision_reads_well_and_round_trips() -> None:
    record = DecisionRecord.from_finish_step(
        {
            "title": "Keep greetings in their own module",
            "context": "Greetings grow.",
            "decision": "Move greetings to greetings.py and import them from app.py.",
            "alternatives": [{"option": "Keep app.py", "why_not": "it mixes concerns"}],
        }
    )
    text = render(record)
    assert (
        '## Decision Outcome\n\nChosen option: "Keep greetings in their own module".\n\n'
        "Move greetings to greetings.py and import them from app.py.\n"
    ) in text
    assert ", because Move" not in text
    assert parse(text) == record


def test_a_reason_still_follows_because() -> None:
    record = DecisionRecord(title="T", context="", outcome="it is fast.", chosen="A")
    assert 'Chosen option: "A", because it is fast.\n' in render(record)
    assert parse(render(record)) == record
