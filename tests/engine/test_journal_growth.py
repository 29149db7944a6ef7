"""Many small edits to a large file keep the journal small, and resume gives them back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slowcode.engine.session.resume import StagedTextAltered, resume_point
from slowcode.journal.log import JOURNAL_FILE, read_events
from tests.context.repos import git, make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI, reply
from tests.helpers.humans import ScriptedHuman
from tests.helpers.many_edits import stage_many_edits
from tests.helpers.sessions import make_workflow

LINES, EDITS = 3_000, 30


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "project", {"README.md": "# p\n"})
    with_identity(root)
    return root


async def test_thirty_edits_to_a_large_file_journal_the_file_once(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    growth = await stage_many_edits(repo, fake_api, LINES, EDITS)
    size = (repo / "big.py").stat().st_size

    # The base once, then an edit's worth per edit; whole texts would hold it 60 times.
    assert growth.journal_bytes < 2 * size
    assert growth.whole_text_bytes > 2 * EDITS * size
    point = resume_point("s", read_events(growth.folder))
    assert point.staged["staged"] == {"big.py": growth.expected}
    assert point.staged["base"] == {"big.py": (repo / "big.py").read_text()}


async def test_a_resumed_session_commits_exactly_what_the_edits_staged(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    growth = await stage_many_edits(repo, fake_api, LINES, EDITS)

    fake_api.script(reply("Done.", stop_reason="end_turn"))
    resumed = make_workflow(repo, fake_api, ScriptedHuman(), [], max_changed_lines=2 * EDITS)
    assert await resumed.resume() is True

    assert git(repo, "show", "HEAD:big.py") == growth.expected
    assert git(repo, "status", "--porcelain") == ""


async def test_an_altered_edit_in_the_journal_refuses_the_resume(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    growth = await stage_many_edits(repo, fake_api, LINES, EDITS)
    journal = growth.folder / JOURNAL_FILE
    lines = journal.read_text().splitlines(keepends=True)
    last = max(n for n, line in enumerate(lines) if '"type":"staged"' in line)
    event = json.loads(lines[last])
    event["data"]["delta"][2] = "+"  # one character of the last edit changed
    lines[last] = json.dumps(event, separators=(",", ":"), sort_keys=True) + "\n"
    journal.write_text("".join(lines))

    with pytest.raises(StagedTextAltered, match=r"staged text of big\.py does not match"):
        resume_point("s", read_events(growth.folder))
