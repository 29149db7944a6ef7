"""Finding a repository's decisions folder and format, and writing in that format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.decisions import adr_tools, log4brains, madr
from slowcode.decisions.formats import DecisionFormat, detect_layout, parse_any, sniff
from slowcode.decisions.lifecycle import LifecycleError, find, set_status, supersede
from slowcode.decisions.store import DecisionStore
from tests.decisions.samples import ADR_TOOLS_NEW, ADR_TOOLS_OLD, HAND_WRITTEN


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def adr_tools_repo(tmp_path: Path) -> Path:
    """An adr-tools layout with a custom `.adr-dir`, as `adr init architecture/log` makes."""
    write(tmp_path / ".adr-dir", "architecture/log\n")
    folder = tmp_path / "architecture" / "log"
    write(folder / "0001-record-architecture-decisions.md", ADR_TOOLS_OLD)
    write(folder / "0002-use-postgresql.md", ADR_TOOLS_NEW)
    return tmp_path


@pytest.fixture
def log4brains_repo(tmp_path: Path) -> Path:
    write(tmp_path / ".log4brains.yml", "---\nproject:\n  name: demo\n  adrFolder: ./docs/arch\n")
    write(tmp_path / "docs" / "arch" / "20240301-use-madr.md", HAND_WRITTEN)
    write(tmp_path / "docs" / "arch" / "20240101-first.md", "# First\n\n- Status: accepted\n")
    write(tmp_path / "docs" / "arch" / "template.md", "# [short title]\n")
    write(tmp_path / "docs" / "arch" / "index.md", "# Index\n")
    return tmp_path


def new_record(title: str = "Adopt a job queue") -> DecisionRecord:
    return DecisionRecord(
        title=title,
        context="Jobs pile up.",
        outcome="Use Redis.",
        date="2026-11-21",
        status=DecisionStatus.ACCEPTED,
    )


def test_sniff_tells_the_formats_apart() -> None:
    assert sniff(madr.render(new_record())) is DecisionFormat.MADR
    assert sniff(ADR_TOOLS_OLD) is DecisionFormat.ADR_TOOLS
    assert sniff(HAND_WRITTEN) is DecisionFormat.LOG4BRAINS
    assert sniff("# Just a title\n\nsome text\n") is DecisionFormat.MADR
    assert parse_any(ADR_TOOLS_NEW).supersedes == "0001-record-architecture-decisions.md"


def test_default_layout(tmp_path: Path) -> None:
    layout = detect_layout(tmp_path)
    assert (layout.folder, layout.format) == ("docs/decisions", DecisionFormat.MADR)
    assert layout.label == "docs/decisions (MADR 4)"


def test_empty_doc_adr_is_adr_tools(tmp_path: Path) -> None:
    (tmp_path / "doc" / "adr").mkdir(parents=True)
    assert detect_layout(tmp_path).format is DecisionFormat.ADR_TOOLS


def test_existing_folder_keeps_the_format_of_its_records(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "adr" / "0001-a.md", ADR_TOOLS_NEW)
    assert detect_layout(tmp_path).format is DecisionFormat.ADR_TOOLS
    write(tmp_path / "doc" / "adr" / "0001-b.md", madr.render(new_record()))
    assert detect_layout(tmp_path, "doc/adr").format is DecisionFormat.MADR


def test_adr_tools_repo_with_custom_adr_dir(adr_tools_repo: Path) -> None:
    store = DecisionStore(adr_tools_repo)
    assert store.layout.label == "architecture/log (adr-tools)"
    records = store.records()
    assert [(r.number, r.status) for r in records] == [
        (1, DecisionStatus.SUPERSEDED),
        (2, DecisionStatus.ACCEPTED),
    ]
    assert records[0].superseded_by == "architecture/log/0002-use-postgresql.md"
    path = store.write(new_record())
    assert path == "architecture/log/0003-adopt-a-job-queue.md"
    text = (adr_tools_repo / path).read_text(encoding="utf-8")
    assert text.startswith("# 3. Adopt a job queue\n\nDate: 2026-11-21\n\n## Status\n\nAccepted\n")
    assert store.get(3) == adr_tools.parse(text, path)


def test_adr_tools_records_round_trip_through_the_store(adr_tools_repo: Path) -> None:
    store = DecisionStore(adr_tools_repo)
    for record in store.records():
        assert record.path is not None
        before = (adr_tools_repo / record.path).read_text(encoding="utf-8")
        store.write(record)
        assert store.by_path(record.path) == record
        # The tool's own files keep their content: only link labels are rewritten.
        after = (adr_tools_repo / record.path).read_text(encoding="utf-8")
        assert after.split("## Context")[1] == before.split("## Context")[1]


def test_log4brains_repo(log4brains_repo: Path) -> None:
    store = DecisionStore(log4brains_repo)
    assert store.layout.label == "docs/arch (log4brains)"
    records = store.records()
    # log4brains records have no number: their id is the file's slug.
    assert [(r.number, r.title) for r in records] == [
        (None, "First"),
        (None, "Use Markdown Architectural Decision Records"),
    ]
    ids = [r.record_id for r in records]
    path = store.write(new_record())
    assert path == "docs/arch/20261121-adopt-a-job-queue.md"
    assert [r.record_id for r in store.records()][:2] == ids
    assert store.records()[-1].record_id == "20261121-adopt-a-job-queue"
    text = (log4brains_repo / path).read_text(encoding="utf-8")
    assert "- Status: accepted\n" in text and not text.startswith("---")
    assert store.write(new_record()) == "docs/arch/20261121-adopt-a-job-queue-2.md"
    for record in store.records():
        assert record.path is not None
        reread = log4brains.parse(log4brains.render(record), record.path)
        reread.number = record.number
        assert reread == record


def test_log4brains_record_without_a_date_is_named_for_today(log4brains_repo: Path) -> None:
    store = DecisionStore(log4brains_repo)
    record = new_record()
    record.date = ""
    today = dt.date.today().strftime("%Y%m%d")
    assert store.write(record) == f"docs/arch/{today}-adopt-a-job-queue.md"


@pytest.mark.parametrize("kind", ["madr", "adr-tools", "log4brains"])
def test_supersede_links_both_records(tmp_path: Path, kind: str) -> None:
    if kind == "adr-tools":
        write(tmp_path / ".adr-dir", "doc/arch\n")
    elif kind == "log4brains":
        write(tmp_path / ".log4brains.yml", "project:\n  adrFolder: docs/l4b\n")
    store = DecisionStore(tmp_path)
    first = new_record("Use SQLite")
    first.date = "2026-01-01"
    store.write(first)
    replacement = new_record("Use PostgreSQL")
    supersede(store, store.records()[0], replacement, today=dt.date(2026, 2, 2))
    old, new = store.records()
    assert old.status is DecisionStatus.SUPERSEDED
    assert old.superseded_by == new.path
    assert new.supersedes == old.path
    assert new.status is DecisionStatus.ACCEPTED
    assert "SUPERSEDED by" in store.summary().splitlines()[0]
    with pytest.raises(LifecycleError, match="only an accepted or deprecated"):
        supersede(store, old, new_record("Third"))


def test_status_changes_follow_the_lifecycle(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path)
    record = new_record()
    record.status = DecisionStatus.PROPOSED
    store.write(record)
    set_status(store, find(store, 1), DecisionStatus.ACCEPTED)
    set_status(store, find(store, 1), DecisionStatus.DEPRECATED)
    assert find(store, 1).status is DecisionStatus.DEPRECATED
    with pytest.raises(LifecycleError, match="is deprecated; it cannot become rejected"):
        set_status(store, find(store, 1), DecisionStatus.REJECTED)
    with pytest.raises(LifecycleError, match="no decision record 9 in docs/decisions"):
        find(store, 9)
