"""A log that adr-tools' own `adr new -s` and `adr link` edited reads as adr-tools means it.

`adr new -s N` adds `Superseded by [..](..)` to record N and removes only an
`Accepted` line, so a record that was `Proposed` keeps its word above the link.
The fixtures in `adr_tools_after_supersede/` are such a log: 0002 was proposed
and then superseded by 0003 (0005 by 0006, in the tool's older spelling), and
0004 is proposed with only an `Amended by` link.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from slowcode.core.decision_record import DecisionStatus
from slowcode.decisions.lifecycle import LifecycleError, find, set_status
from slowcode.decisions.store import DecisionStore, summary_line
from tests.context.repos import git, make_repo

FIXTURES = Path(__file__).parent / "adr_tools_after_supersede"
S = DecisionStatus


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """A repository with the fixtures in adr-tools' default `doc/adr`, committed."""
    root = make_repo(tmp_path / "repo", {"README.md": "x\n"})
    shutil.copytree(FIXTURES, root / "doc/adr")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "records")
    return root


def test_every_record_reads_with_the_status_adr_tools_gave_it(log: Path) -> None:
    store = DecisionStore(log)
    assert store.layout.format == "adr-tools"
    statuses = {r.record_id: r.status for r in store.records()}
    assert statuses == {
        "0001": S.SUPERSEDED,
        "0002": S.SUPERSEDED,
        "0003": S.ACCEPTED,
        "0004": S.PROPOSED,
        "0005": S.SUPERSEDED,
        "0006": S.PROPOSED,
    }


def test_supersede_links_read_both_ways(log: Path) -> None:
    store = DecisionStore(log)

    def name(path: str | None) -> str | None:
        return path.rsplit("/", 1)[-1][:4] if path else None

    links = {r.record_id: (name(r.supersedes), name(r.superseded_by)) for r in store.records()}
    assert links == {
        "0001": (None, "0002"),
        "0002": ("0001", "0003"),
        "0003": ("0002", None),
        "0004": (None, None),
        "0005": (None, "0006"),
        "0006": ("0005", None),
    }
    assert find(store, "4").links == [("Amended by", "doc/adr/0003-keep-sessions-in-sqlite.md")]


def test_the_models_summary_says_not_to_follow_a_superseded_proposal(log: Path) -> None:
    line = summary_line(find(DecisionStore(log), "2"))
    assert line.startswith(
        "0002 Keep sessions in files [SUPERSEDED by 0003-keep-sessions-in-sqlite.md; do not follow]"
    )


def test_a_superseded_proposal_cannot_be_accepted(log: Path) -> None:
    store = DecisionStore(log)
    before = (log / "doc/adr/0002-keep-sessions-in-files.md").read_bytes()
    with pytest.raises(LifecycleError, match="superseded"):
        set_status(store, find(store, "2"), S.ACCEPTED)
    assert (log / "doc/adr/0002-keep-sessions-in-files.md").read_bytes() == before


def test_accepting_an_amended_proposal_changes_only_its_word(log: Path) -> None:
    store = DecisionStore(log)
    set_status(store, find(store, "4"), S.ACCEPTED)
    diff = subprocess.run(
        ["git", "diff", "-U0", "--no-color"], cwd=log, capture_output=True, text=True, check=True
    ).stdout
    changed = [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ["-Proposed", "+Accepted"]
    assert find(DecisionStore(log), "4").status is S.ACCEPTED
