"""Status changes, supersedes and back-links change only the lines that must change."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.decisions import edits
from slowcode.decisions.lifecycle import find, set_status, supersede
from slowcode.decisions.store import DecisionStore
from tests.context.repos import make_repo, with_identity

RECORDS = Path(__file__).parent / "records"
MADR = "0003-use-postgresql-for-sessions.md"
ADR_TOOLS = "0004-queue-jobs-in-redis.md"
LOG4BRAINS = "20261003-render-pages-on-the-server.md"
DAY = dt.date(2026, 12, 2)

# The lines a status change may touch, per format (adr-tools: the Status section's
# word, its blank line and its links).
STATUS_LINE = re.compile(
    r"(status: .*|date: .*|[-*] (Status|Date): .*"
    r"|(Accepted|Proposed|Rejected|Deprecated)|Superceded by \[.*\]\(.*\)|)"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A repository whose decisions folder mixes all three formats, committed."""
    root = make_repo(tmp_path / "repo", {"README.md": "x\n"})
    target = root / "docs/decisions"
    target.mkdir(parents=True)
    for record in RECORDS.iterdir():
        shutil.copy(record, target / record.name)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-qm", "records"], cwd=root, check=True)
    return root


def git_diff(root: Path) -> list[str]:
    """The changed lines (`-old` / `+new`) of `git diff`, without headers."""
    out = subprocess.run(
        ["git", "diff", "-U0", "--no-color"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    return [
        line
        for line in out.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_a_mixed_folder_lists_every_record_with_its_id(folder: Path) -> None:
    store = DecisionStore(folder)
    ids = [r.record_id for r in store.records()]
    assert ids == ["0003", "0004", "20261003-render-pages-on-the-server"]
    (folder / ".log4brains.yml").write_text("project:\n  adrFolder: docs/decisions\n")
    assert [r.record_id for r in DecisionStore(folder).records()] == ids
    assert len(DecisionStore(folder).summary().splitlines()) == 3


@pytest.mark.parametrize(
    ("wanted", "diff"),
    [
        (
            "3",
            [
                '-status: "accepted"',
                "-date: 2026-10-01",
                '+status: "deprecated"',
                "+date: 2026-12-02",
            ],
        ),
        ("ADR-0004", ["-Accepted", "+Deprecated"]),
        (
            "20261003-render-pages-on-the-server",
            [
                "-- Status: accepted",
                "+- Status: deprecated",
                "-- Date: 2026-10-03",
                "+- Date: 2026-12-02",
            ],
        ),
    ],
)
def test_a_status_change_shows_only_status_lines_in_git_diff(
    folder: Path, wanted: str, diff: list[str]
) -> None:
    store = DecisionStore(folder)
    record = find(store, wanted)
    changed = set_status(store, record, DecisionStatus.DEPRECATED, today=DAY)
    assert changed == record.path
    assert git_diff(folder) == diff
    assert find(DecisionStore(folder), wanted).status is DecisionStatus.DEPRECATED


def only(tmp_path: Path, name: str) -> Path:
    """A repository whose decisions folder holds the one fixture `name`, committed."""
    root = with_identity(make_repo(tmp_path / "one", {"README.md": "x\n"}))
    (root / "docs/decisions").mkdir(parents=True)
    shutil.copy(RECORDS / name, root / "docs/decisions" / name)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-qm", "record"], cwd=root, check=True)
    return root


def test_superseding_a_madr_record_writes_madr_4s_status(tmp_path: Path) -> None:
    root = only(tmp_path, MADR)
    store = DecisionStore(root)
    new = DecisionRecord(title="Use CockroachDB", context="Regions.", outcome="We move.")
    paths = supersede(store, find(store, "3"), new, today=DAY)
    assert paths == ["docs/decisions/0004-use-cockroachdb.md", f"docs/decisions/{MADR}"]
    assert git_diff(root) == [
        '-status: "accepted"',
        "-date: 2026-10-01",
        '+status: "superseded by ADR-0004"',
        "+date: 2026-12-02",
    ]
    text = (root / paths[0]).read_text()
    assert "Supersedes [ADR-0003](0003-use-postgresql-for-sessions.md)" in text
    assert "decision-makers:\n  - Ada Developer\n" in text
    reread = DecisionStore(root)
    old, newer = find(reread, "3"), find(reread, "4")
    assert (old.superseded_by, newer.supersedes) == (newer.path, old.path)


def test_superseding_an_adr_tools_record_writes_as_adr_new_s_does(tmp_path: Path) -> None:
    root = only(tmp_path, ADR_TOOLS)
    store = DecisionStore(root)
    new = DecisionRecord(title="Queue jobs in NATS", context="", outcome="NATS.")
    supersede(store, find(store, "4"), new, today=DAY)
    diff = git_diff(root)
    assert sorted(line for line in diff if line.startswith("-")) == ["-", "-Accepted"]
    assert sorted(line for line in diff if line.startswith("+")) == [
        "+",
        "+Superceded by [5. Queue jobs in NATS](0005-queue-jobs-in-nats.md)",
    ]
    text = (root / "docs/decisions" / ADR_TOOLS).read_text()
    assert "Amended by [6. Retry failed jobs](0006-retry-failed-jobs.md)" in text
    assert text.count("Supercedes [") == 2
    assert "Superceded by [5. Queue jobs in NATS](0005-queue-jobs-in-nats.md)\n\n## Context" in text
    newer = (root / "docs/decisions/0005-queue-jobs-in-nats.md").read_text()
    assert "Supercedes [4. Queue jobs in Redis](0004-queue-jobs-in-redis.md)\n" in newer


def test_superseding_a_log4brains_record_keeps_tags_and_links(tmp_path: Path) -> None:
    root = only(tmp_path, LOG4BRAINS)
    store = DecisionStore(root)
    assert store.format.value == "log4brains"
    new = DecisionRecord(title="Stream pages", context="", outcome="Streaming.", date="2026-12-02")
    supersede(store, find(store, "20261003-render-pages-on-the-server"), new, today=DAY)
    assert git_diff(root) == [
        "-- Status: accepted",
        "+- Status: superseded by [20261202-stream-pages](20261202-stream-pages.md)",
        "-- Date: 2026-10-03",
        "+- Date: 2026-12-02",
    ]
    newer = find(DecisionStore(root), "20261202-stream-pages")
    assert newer.supersedes == f"docs/decisions/{LOG4BRAINS}"


def test_a_back_link_adds_one_line_in_each_format() -> None:
    link = edits.Link("Amended by", "9. Nine", "0009-nine.md")
    for name in (MADR, ADR_TOOLS, LOG4BRAINS):
        before = (RECORDS / name).read_text()
        after = edits.add_link(before, link)
        added = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:1] in "+-"]
        assert [d for d in added if d.strip() not in ("+", "-")] == [
            f"+ {'- ' if name == LOG4BRAINS else ''}Amended by [9. Nine](0009-nine.md)"
        ], name


def test_numeric_looking_decision_makers_are_quoted(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path)
    path = store.write(
        DecisionRecord(title="T", context="", outcome="x", decision_makers=["0123", "yes", "Ada"])
    )
    text = (tmp_path / path).read_text()
    assert 'decision-makers:\n  - "0123"\n  - "yes"\n  - Ada\n' in text
    assert store.records()[0].decision_makers == ["0123", "yes", "Ada"]


# The property: whatever else a record holds, a status change alters only status lines.

_free_line = st.text(
    alphabet=st.sampled_from(list("ab #*-:\"'[]()<!>`\\_0123456789")), max_size=30
).filter(lambda line: not line.lstrip().startswith(("#", "-", "*", "+")) and "Status" not in line)
_paragraphs = st.lists(_free_line, min_size=0, max_size=6).map("\n".join)


def _madr(body: str, extra: str) -> str:
    return (
        f"---\nstatus: accepted\ndate: 2026-01-01\nconsulted: [x]\n---\n\n# T\n\n"
        f"## Context and Problem Statement\n\n{body}\n\n## More Information\n\n{extra}\n"
    )


def _adr_tools(body: str, extra: str) -> str:
    return (
        f"# 1. T\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n\n"
        f"Amended by [2. U](0002-u.md)\n\n## Context\n\n{body}\n\n## Decision\n\n{extra}\n"
    )


def _log4brains(body: str, extra: str) -> str:
    return (
        f"# T\n\n- Status: accepted\n- Date: 2026-01-01\n- Tags: a\n\n"
        f"## Context and Problem Statement\n\n{body}\n\n"
        f"## Links\n\n- Relates to [u](u.md)\n{extra}\n"
    )


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([_madr, _adr_tools, _log4brains]),
    _paragraphs,
    _paragraphs,
    st.sampled_from(
        [DecisionStatus.DEPRECATED, DecisionStatus.ACCEPTED, DecisionStatus.SUPERSEDED]
    ),
)
def test_a_status_change_alters_nothing_but_status_lines(
    template: object, body: str, extra: str, status: DecisionStatus
) -> None:
    assert callable(template)
    before = str(template(body, extra))
    link = edits.Link("Superceded by", "3. V", "0003-v.md")
    after = edits.change_status(
        before, status, date="2026-12-02", superseded_by=link, reference="ADR-0003"
    )
    assert after != before or status is DecisionStatus.ACCEPTED
    old, new = before.split("\n"), after.split("\n")
    # Every other line is kept, in order; what differs are status lines only.
    assert [line for line in old if not is_status(line)] == [
        line for line in new if not is_status(line)
    ]
    for line in (Counter(old) - Counter(new)) + (Counter(new) - Counter(old)):
        assert is_status(line), line


def is_status(line: str) -> bool:
    return bool(STATUS_LINE.fullmatch(line)) or line.startswith("status: superseded")
