"""The decisions folder: detection, numbering, writing, reading and the summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.core.errors import ConfigError, SlowcodeError
from slowcode.decisions.madr import parse, render
from slowcode.decisions.store import DecisionStore, detect_decisions_dir

_TITLE_WORDS = ["Use", "Drop", "Adopt", "Ünïcode", "cache/layer", "API: v2", "Retry & backoff"]


def generated_record(n: int) -> DecisionRecord:
    word = _TITLE_WORDS[n % len(_TITLE_WORDS)]
    return DecisionRecord(
        title=f"{word} decision {n}?!" if n % 11 else "???",
        context=f"Context of decision {n}.\n\n## not a heading {n}",
        outcome=f"reason number {n}.",
        consequences=f"* Good, because {n}",
        status=list(DecisionStatus)[n % len(DecisionStatus)],
        date=f"2026-01-{n % 28 + 1:02d}",
        decision_makers=["Ada"] if n % 2 else [],
        options=[ConsideredOption(f"Option {n}", pros=["fast"]), ConsideredOption("Other")],
        chosen=f"Option {n}",
    )


@pytest.fixture
def fifty_five(tmp_path: Path) -> DecisionStore:
    """A decision log of 55 records written through the store."""
    store = DecisionStore(tmp_path)
    for n in range(1, 56):
        store.write(generated_record(n))
    return store


def test_default_folder_is_docs_decisions(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path)
    assert store.folder == "docs/decisions"
    assert store.records() == []
    assert store.next_number() == 1
    assert store.summary() == ""


@pytest.mark.parametrize("existing", ["docs/decisions", "docs/adr", "doc/adr"])
def test_detects_an_existing_folder(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).mkdir(parents=True)
    assert DecisionStore(tmp_path).folder == existing


def test_known_folders_in_the_spec_order(tmp_path: Path) -> None:
    (tmp_path / "docs" / "adr").mkdir(parents=True)
    (tmp_path / "docs" / "decisions").mkdir(parents=True)
    assert detect_decisions_dir(tmp_path) == "docs/adr"


def test_a_folder_with_records_wins_over_an_empty_one(tmp_path: Path) -> None:
    (tmp_path / "docs" / "adr").mkdir(parents=True)
    (tmp_path / "docs" / "decisions").mkdir(parents=True)
    (tmp_path / "docs" / "decisions" / "0001-x.md").write_text("---\nstatus: accepted\n---\n")
    assert detect_decisions_dir(tmp_path) == "docs/decisions"


def test_detects_adr_tools_and_log4brains(tmp_path: Path) -> None:
    (tmp_path / ".log4brains.yml").write_text("project:\n  name: x\n  adrFolder: ./docs/arch\n")
    assert DecisionStore(tmp_path).folder == "docs/arch"
    (tmp_path / ".adr-dir").write_text("architecture/decisions\n")
    assert DecisionStore(tmp_path).folder == "architecture/decisions"


def test_configured_folder_wins(tmp_path: Path) -> None:
    (tmp_path / "docs" / "adr").mkdir(parents=True)
    assert DecisionStore(tmp_path, "records/").folder == "records"


@pytest.mark.parametrize("bad", ["/abs/decisions", "../outside", ".git/decisions"])
def test_folder_outside_the_repository_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ConfigError, match="inside the repository"):
        DecisionStore(tmp_path, bad)


def test_write_assigns_number_and_path(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path)
    record = DecisionRecord(title="Use SQLite", context="c", outcome="o")
    path = store.write(record)
    assert path == "docs/decisions/0001-use-sqlite.md"
    assert record.number == 1
    assert record.path == path
    assert (tmp_path / path).read_text(encoding="utf-8") == render(record)
    assert [p.name for p in (tmp_path / "docs" / "decisions").iterdir()] == ["0001-use-sqlite.md"]


def test_write_keeps_an_existing_path_and_number(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path)
    record = DecisionRecord(title="T", context="c", outcome="o")
    path = store.write(record)
    record.status = DecisionStatus.DEPRECATED
    assert store.write(record) == path
    assert store.records()[0].status is DecisionStatus.DEPRECATED
    assert len(store.records()) == 1


def test_fifty_five_records_round_trip(fifty_five: DecisionStore, tmp_path: Path) -> None:
    records = fifty_five.records()
    assert [r.number for r in records] == list(range(1, 56))
    for n, record in enumerate(records, start=1):
        expected = generated_record(n)
        expected.number = n
        expected.path = record.path
        assert record == expected
        assert parse(render(record), record.path) == record


def test_slugs_are_safe(fifty_five: DecisionStore, tmp_path: Path) -> None:
    names = sorted(p.name for p in fifty_five.directory.iterdir())
    assert len(names) == 55
    for name in names:
        assert re.fullmatch(r"\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.md", name), name
    assert "0011-decision.md" in names
    assert "0003-unicode-decision-3.md" in names
    assert "0005-api-v2-decision-5.md" in names


def test_numbering_continues_from_the_highest(fifty_five: DecisionStore) -> None:
    folder = fifty_five.directory
    (folder / "0107-hand-written.md").write_text("# Hand written\n", encoding="utf-8")
    (folder / "template.md").write_text("# Template\n", encoding="utf-8")
    (folder / "README.md").write_text("# Decisions\n", encoding="utf-8")
    (folder / "0200-not-markdown.txt").write_text("x", encoding="utf-8")
    assert fifty_five.next_number() == 108
    path = fifty_five.write(DecisionRecord(title="Next one", context="", outcome=""))
    assert path == "docs/decisions/0108-next-one.md"
    records = fifty_five.records()
    assert len(records) == 57
    assert [r.number for r in records][-3:] == [55, 107, 108]
    assert records[-2].title == "Hand written"


def test_path_for_does_not_write(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path)
    record = DecisionRecord(title="Pick a queue", context="", outcome="")
    assert store.path_for(record) == "docs/decisions/0001-pick-a-queue.md"
    record.number = 42
    assert store.path_for(record) == "docs/decisions/0042-pick-a-queue.md"
    assert not store.directory.exists()


def test_unwritable_folder_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "decisions").write_text("a file where the folder should be")
    store = DecisionStore(tmp_path, "docs/decisions")
    with pytest.raises(SlowcodeError) as caught:
        store.write(DecisionRecord(title="X", context="", outcome=""))
    message = str(caught.value)
    assert message.startswith("cannot write decision record docs/decisions/0001-x.md")
    assert "\n" not in message


def test_no_temporary_files_are_left_behind(fifty_five: DecisionStore) -> None:
    assert not [p for p in fifty_five.directory.iterdir() if p.name.startswith(".")]


def test_summary_has_one_line_per_record(fifty_five: DecisionStore) -> None:
    lines = fifty_five.summary().splitlines()
    assert len(lines) == 55
    assert lines[0] == ('0001 Drop decision 1?! [accepted]: chose "Option 1": reason number 1.')
    assert all(len(line) <= 160 for line in lines)


def test_summary_names_the_superseding_record(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path)
    store.write(
        DecisionRecord(
            title="Old way",
            context="",
            outcome="first line\nsecond line",
            status=DecisionStatus.SUPERSEDED,
            superseded_by="docs/decisions/0002-new.md",
        )
    )
    assert store.summary() == (
        "0001 Old way [SUPERSEDED by ADR-0002; do not follow]: first line second line"
    )


def test_summary_lines_are_cut_to_width(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path)
    store.write(DecisionRecord(title="Long " * 50, context="", outcome="x"))
    line = store.summary()
    assert line.startswith("0001 Long Long")
    assert len(line) == 160
    assert line.endswith("…")
